/* SPDX-License-Identifier: MIT */
/*
 * seg-gdt-replace: what a successful set_gdt does.  Entries 1 .. count-1
 * become the table's (accessed bit set by the monitor) and are usable;
 * entries count .. 255 are cleared, so loading one raises #GP(selector)
 * (seg-desc-nullify checks a loaded selector of a cleared entry).  A full
 * 256-entry table is accepted and every entry works; count 1 clears all.
 * The monitor's flat selectors are not touched.
 */
#include "segutil.h"

static struct rv_descriptor table[RV_GDT_GUEST_ENTRIES];
static uint8_t buf[8192] __attribute__((aligned(4096)));
#define BUF ((uint32_t)(uintptr_t)buf)

static void load_fs(void *sel)
{
    seg_set_fs((unsigned)(uintptr_t)sel);
    seg_set_fs(0);
}

static void expect_cleared(unsigned idx, const char *when)
{
    struct rv_trap_frame f;
    uint32_t ar;

    if (seg_lar(rv_selector(idx, 1), &ar))
        rvt_failure("%s: entry %u still there (LAR 0x%x)", when, idx, ar);
    int v = seg_catch(load_fs, (void *)(uintptr_t)rv_selector(idx, 1), &f);
    if (v != 13)
        rvt_failure("%s: loading cleared entry %u raised vector %d, expected 13 (#GP)", when, idx, v);
    RVT_EXPECT_EQ(f.error_code, idx << 3, "#GP error code (the selector)");
}

static void expect_flat_selectors(void)
{
    static const unsigned flat[] = { RV_FLAT_RING1_CS, RV_FLAT_RING1_DS, RV_FLAT_RING3_CS, RV_FLAT_RING3_DS };
    uint32_t limit;

    for (unsigned i = 0; i < 4; i++)
        if (!seg_lsl(flat[i], &limit) || limit != RV_GUEST_VA_LIMIT)
            rvt_failure("flat selector 0x%x damaged by set_gdt", flat[i]);
}

static void check_partial(void)
{
    uint32_t ar, limit;

    /* Entries past the table's end, one of them loaded in FS. */
    SEG_RC(seg_update(8, seg_desc(BUF, 0xfff, T_DATA_RW, 1)), 0, "entry 8");
    SEG_RC(seg_update(20, seg_desc(BUF, 0xfff, T_DATA_RW, 1)), 0, "entry 20");
    SEG_RC(seg_update(255, seg_desc(BUF, 0xfff, T_DATA_RW, 1)), 0, "entry 255");

    table[0] = seg_raw(0, 0, 0, 0, 0, 0, 0);
    table[1] = seg_desc(BUF, 0x10, T_DATA_RW, 1);
    table[2] = seg_desc(BUF + 4, 0x20, T_DATA_RO, 2);
    table[3] = seg_desc(BUF + 8, 0x30, T_DATA_RW, 3);
    table[4] = seg_desc(0, 0x7fffff, T_CODE_RX, 1);
    table[5] = seg_raw(0, 0, 0, 0, 0, 0, 0);                        /* zero: allowed */
    table[6] = seg_raw(BUF, 0xfff, T_DATA_RW, 1, 1, 0, SEG_DB);      /* not present: allowed */
    table[7] = seg_desc(BUF + 12, 0xfff, T_DATA_RW | T_ACCESSED, 1);
    SEG_RC(rv_hc_set_gdt(table, 8), 0, "set_gdt of 8 entries");

    for (unsigned i = 1; i < 4; i++) {
        if (!seg_lar(rv_selector(i, i), &ar) || !seg_lsl(rv_selector(i, i), &limit))
            rvt_failure("entry %u not usable after set_gdt", i);
        RVT_EXPECT_EQ(limit, 0x10 * i, "limit of an entry set_gdt installed");
        RVT_EXPECT_EQ(AR_DPL(ar), i, "DPL of an entry set_gdt installed");
        RVT_EXPECT_EQ(AR_TYPE(ar) & T_ACCESSED, T_ACCESSED, "accessed bit set by the monitor");
        RVT_EXPECT_EQ(seg_read32(rv_selector(i, i), 0), *(uint32_t *)(buf + 4 * (i - 1)),
                      "read through an entry set_gdt installed");
    }
    if (!seg_lsl(rv_selector(4, 1), &limit) || limit != 0x7fffff)
        rvt_failure("code entry 4 not installed");
    if (!seg_lsl(rv_selector(7, 1), &limit) || limit != 0xfff)
        rvt_failure("entry 7 (given with the accessed bit) not installed");
    expect_cleared(5, "a zero entry in the table");
    struct rv_trap_frame f;
    int v = seg_catch(load_fs, (void *)(uintptr_t)rv_selector(6, 1), &f);
    if (v != 11)
        rvt_failure("loading not-present entry 6 raised vector %d, expected 11 (#NP)", v);

    /* At and after count: cleared. */
    expect_cleared(8, "entry count");
    expect_cleared(20, "an entry after count");
    expect_cleared(255, "the last entry");
    expect_flat_selectors();
}

static void check_full(void)
{
    uint32_t limit;

    for (unsigned i = 0; i < sizeof buf; i++)
        buf[i] = (uint8_t)(i * 7 + 3);
    table[0] = seg_raw(0, 0, 0, 0, 0, 0, 0);
    for (unsigned i = 1; i < RV_GDT_GUEST_ENTRIES; i++)
        table[i] = seg_desc(BUF + 4 * i, i, T_DATA_RW, 1 + i % 3);
    SEG_RC(rv_hc_set_gdt(table, RV_GDT_GUEST_ENTRIES), 0, "set_gdt of 256 entries");
    for (unsigned i = 1; i < RV_GDT_GUEST_ENTRIES; i++) {
        unsigned sel = rv_selector(i, 1 + i % 3);
        if (!seg_lsl(sel, &limit) || limit != i)
            rvt_failure("entry %u of the full table: limit 0x%x, expected 0x%x", i, limit, i);
        if (i >= 4 && seg_read32(sel, 0) != *(uint32_t *)(buf + 4 * i))
            rvt_failure("entry %u of the full table reads the wrong bytes", i);
    }
    expect_flat_selectors();

    /* The null table alone: everything cleared. */
    SEG_RC(rv_hc_set_gdt(table, 1), 0, "set_gdt of the null entry alone");
    for (unsigned i = 1; i < RV_GDT_GUEST_ENTRIES; i++) {
        uint32_t ar;
        if (seg_lar(rv_selector(i, 1), &ar))
            rvt_failure("entry %u survived set_gdt(count 1)", i);
    }
    expect_cleared(1, "set_gdt(count 1)");
    expect_cleared(255, "set_gdt(count 1)");
    expect_flat_selectors();
}

void test_main(void)
{
    check_partial();
    check_full();
    rvt_success();
}
