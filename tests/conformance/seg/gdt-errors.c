/* SPDX-License-Identifier: MIT */
/*
 * seg-gdt-errors: every way set_gdt refuses, and that a refusal changes
 * nothing (all or nothing): count 0 -EINVAL; count > 256 -E2BIG; a table
 * that is NULL, in the hole, across the hole's edge or not mapped (wholly
 * or in part) -EFAULT; entry 0 not zero -EINVAL; one refused descriptor
 * among good ones -EINVAL.  Entries installed before stay as they were,
 * including one loaded in FS, which keeps its selector.
 */
#include "segutil.h"

#define N 10          /* table entries in the refused calls */
#define KEEP 60       /* an entry past N that a successful set_gdt would clear */

static struct rv_descriptor table[RV_GDT_GUEST_ENTRIES] __attribute__((aligned(8)));
static uint32_t buf[1024] __attribute__((aligned(4096)));
#define BUF ((uint32_t)(uintptr_t)buf)

static void fill_good_table(void)
{
    table[0] = seg_raw(0, 0, 0, 0, 0, 0, 0);
    for (unsigned i = 1; i < N; i++)
        table[i] = seg_desc(BUF, 0x200 + i, T_DATA_RW, 1); /* the old entries have 0x100 + i */
}

/* Entries 1 .. N-1 and KEEP still hold what update_descriptor put there; FS too. */
static void expect_unchanged(const char *after)
{
    uint32_t limit;

    for (unsigned i = 1; i < N; i++) {
        if (!seg_lsl(rv_selector(i, 1), &limit) || limit != 0x100 + i)
            rvt_failure("entry %u changed after %s (limit 0x%x, expected 0x%x)", i, after, limit, 0x100 + i);
    }
    if (!seg_lsl(rv_selector(KEEP, 1), &limit) || limit != 0x77)
        rvt_failure("entry %u changed after %s", KEEP, after);
    if (seg_get_fs() != rv_selector(KEEP, 1))
        rvt_failure("FS is 0x%x after %s, expected 0x%x", seg_get_fs(), after, rv_selector(KEEP, 1));
    uint32_t v;
    __asm__ volatile("movl %%fs:0, %0" : "=r"(v));
    RVT_EXPECT_EQ(v, 0xf5f5f5f5, "a read through FS");
}

static void check_counts_and_pointers(void)
{
    const struct rv_start_info *si = rv_start_info;
    uint32_t after_shared = si->shared_info + RV_PAGE_SIZE; /* the first unmapped page past it */

    fill_good_table();
    SEG_RC(rv_hc_set_gdt(table, 0), -RV_EINVAL, "count 0");
    expect_unchanged("count 0");
    SEG_RC(rv_hc_set_gdt(table, RV_GDT_GUEST_ENTRIES + 1), -RV_E2BIG, "count 257");
    SEG_RC(rv_hc_set_gdt(table, 1000), -RV_E2BIG, "count 1000");
    SEG_RC(rv_hc_set_gdt(table, 0x20000000), -RV_E2BIG, "count 0x20000000 (times 8 wraps)");
    SEG_RC(rv_hc_set_gdt(table, 0xffffffffu), -RV_E2BIG, "count 0xffffffff");
    expect_unchanged("count > 256");

    SEG_RC(rv_hc_set_gdt(0, 1), -RV_EFAULT, "NULL table");
    SEG_RC(rv_hc_set_gdt(0, N), -RV_EFAULT, "NULL table, %u entries", N);
    SEG_RC(rv_hc_set_gdt((void *)0x1000, 2), -RV_EFAULT, "table at 0x1000 (not mapped)");
    SEG_RC(rv_hc_set_gdt((void *)(uintptr_t)RV_HOLE_START, 1), -RV_EFAULT, "table at RV_HOLE_START");
    SEG_RC(rv_hc_set_gdt((void *)0xfc100000u, N), -RV_EFAULT, "table in the monitor image");
    SEG_RC(rv_hc_set_gdt((void *)0xfffffff8u, 2), -RV_EFAULT, "table at 0xFFFFFFF8 (wraps)");
    SEG_RC(rv_hc_set_gdt((void *)(uintptr_t)(RV_HOLE_START - 8), 2), -RV_EFAULT, "table across the hole's edge");
    SEG_RC(rv_hc_set_gdt((void *)(uintptr_t)(RV_HOLE_START - RV_PAGE_SIZE), 1), -RV_EFAULT,
           "table in the guest's last page (not mapped)");
    SEG_RC(rv_hc_set_gdt((void *)(uintptr_t)after_shared, 1), -RV_EFAULT, "table past the shared_info page");
    /* Entry 0 mapped (the end of shared_info, which is zero there), entry 1 not. */
    SEG_RC(rv_hc_set_gdt((void *)(uintptr_t)(after_shared - 8), 2), -RV_EFAULT,
           "table running into an unmapped page");
    expect_unchanged("bad table pointers");
}

static void check_descriptors(void)
{
    const struct {
        unsigned at;
        struct rv_descriptor d;
        const char *what;
    } bad[] = {
        { 1, seg_desc(BUF, 0xfff, T_DATA_RW, 0), "DPL-0 data first" },
        { 5, seg_desc(0, RV_GUEST_VA_LIMIT, T_CODE_RX, 0), "DPL-0 code in the middle" },
        { N - 1, seg_raw(BUF, 0x67, 0x9, 0, 1, 1, 0), "a TSS last" },
        { 3, seg_raw(0, 0xfffff, T_DATA_RW, 1, 1, 1, SEG_DB | SEG_G), "a 4 GiB segment" },
        { 4, seg_desc(0, 0xfff, T_DATA_RW_DOWN, 1), "expand-down data" },
        { 6, seg_desc(0, 0xfff, T_CODE_RX_CONF, 1), "conforming code" },
        { 7, seg_raw(0, 0xfbfff, T_CODE_RX, 1, 1, 1, SEG_L | SEG_G), "64-bit code" },
        { 8, seg_raw(0xfffff000, 0x1000, T_DATA_RW, 1, 1, 1, SEG_DB), "a wrapping segment" },
        { 2, seg_raw(0xfc000000, 0, T_DATA_RW, 1, 3, 1, SEG_DB), "a segment in the hole" },
        { 2, (struct rv_descriptor){ (0xfc100000u & 0xffff) | (0x0800u << 16), 0xfc10ec00u }, "a call gate" },
    };

    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fill_good_table();
        table[bad[i].at] = bad[i].d;
        SEG_RC(rv_hc_set_gdt(table, N), -RV_EINVAL, "set_gdt with %s at %u", bad[i].what, bad[i].at);
        expect_unchanged(bad[i].what);
    }
    /* The bad entry at the end of a full table. */
    for (unsigned i = N; i < RV_GDT_GUEST_ENTRIES; i++)
        table[i] = seg_desc(BUF, 0x300, T_DATA_RW, 1);
    fill_good_table();
    table[RV_GDT_GUEST_ENTRIES - 1] = seg_desc(BUF, 0xfff, T_DATA_RW, 0);
    SEG_RC(rv_hc_set_gdt(table, RV_GDT_GUEST_ENTRIES), -RV_EINVAL, "256 entries, the last DPL 0");
    expect_unchanged("256 entries with a bad last one");

    /* Entry 0 must be zero, even when it is a good descriptor. */
    fill_good_table();
    table[0] = seg_desc(BUF, 0xfff, T_DATA_RW, 1);
    SEG_RC(rv_hc_set_gdt(table, N), -RV_EINVAL, "entry 0 a good data segment");
    table[0] = seg_raw(0, 0, 0, 0, 0, 1, 0); /* only P set */
    SEG_RC(rv_hc_set_gdt(table, 1), -RV_EINVAL, "entry 0 with only P set, count 1");
    table[0].high = 0;
    table[0].low = 1;
    SEG_RC(rv_hc_set_gdt(table, N), -RV_EINVAL, "entry 0 with low word 1");
    expect_unchanged("entry 0 not zero");
}

void test_main(void)
{
    for (unsigned i = 0; i < 1024; i++)
        buf[i] = 0xf5f5f5f5;
    for (unsigned i = 1; i < N; i++)
        SEG_RC(seg_update(i, seg_desc(BUF, 0x100 + i, T_DATA_RW, 1)), 0, "entry %u", i);
    SEG_RC(seg_update(KEEP, seg_desc(BUF, 0x77, T_DATA_RW, 1)), 0, "entry %u", KEEP);
    seg_set_fs(rv_selector(KEEP, 1));
    expect_unchanged("setting up");
    check_counts_and_pointers();
    check_descriptors();
    seg_set_fs(0);
    rvt_success();
}
