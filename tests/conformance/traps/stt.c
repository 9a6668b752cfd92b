/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/traps/stt.c: set_trap_table(table, count) (ABI.md).
 *
 * Every documented error: count > 256 -E2BIG; a table that is NULL, in
 * the hole, straddling it, unmapped or partly unmapped -EFAULT; vector
 * 0x82, unknown flag bits, a cs that is not a present ring-1 code selector
 * (RPL 1, DPL 1) or an address in the hole -EINVAL.  All or nothing: a
 * table with one bad entry installs none of its good ones, whichever order
 * they come in.  Success: count 0, count 256, several entries at once, an
 * address just below the hole, and a handler entered with a code selector
 * of the guest's own GDT.  The handler that ud2 reaches tells which
 * table is in force.
 */
#include "trapkit.h"

#define CODE_DPL1 (TK_GDT_FIRST + 0)
#define CODE_DPL3 (TK_GDT_FIRST + 1)
#define CODE_DPL2 (TK_GDT_FIRST + 2)
#define CODE_DPL1_NP (TK_GDT_FIRST + 3)
#define DATA_DPL1 (TK_GDT_FIRST + 4)
#define SPARE_VECTOR 0x99 /* its stub reaches handler B */

static struct rv_trap_info table[RV_TRAP_TABLE_MAX + 1];
static rv_jmp_buf jb;
static volatile unsigned reached_cs;

static void handler_a(struct rv_trap_frame *f)
{
    reached_cs = rv_read_cs();
    rv_trap_longjmp(f, jb, 'A');
}

static void handler_b(struct rv_trap_frame *f)
{
    reached_cs = rv_read_cs();
    rv_trap_longjmp(f, jb, 'B');
}

/* 'A' or 'B': whose handler ud2 reaches (the entry stub of vector 6 runs A, of SPARE_VECTOR B). */
static int who_takes_ud(void)
{
    int r = rv_setjmp(jb);

    if (r == 0) {
        __asm__ volatile("ud2");
        rvt_failure("ud2 did not fault");
    }
    return r;
}

static uint32_t stub(unsigned vector)
{
    return rv_trap_entry[vector];
}

static struct rv_trap_info entry(unsigned vector, unsigned flags, unsigned cs, uint32_t address)
{
    struct rv_trap_info t = {
        .vector = (uint8_t)vector, .flags = (uint8_t)flags, .cs = (uint16_t)cs, .address = address,
    };
    return t;
}

static struct rv_trap_info to_b; /* #UD -> the stub of SPARE_VECTOR, so B */

/* A bad entry alone, then after and before a good one: -EINVAL, and ud2 still reaches A. */
static void refused(struct rv_trap_info bad, const char *what)
{
    RVT_EXPECT_RC(rv_hc_set_trap_table(&bad, 1), -RV_EINVAL, what);
    table[0] = to_b;
    table[1] = bad;
    RVT_EXPECT_RC(rv_hc_set_trap_table(table, 2), -RV_EINVAL, what);
    RVT_EXPECT_EQ(who_takes_ud(), 'A', "handler after a refused [good, bad] table");
    table[0] = bad;
    table[1] = to_b;
    RVT_EXPECT_RC(rv_hc_set_trap_table(table, 2), -RV_EINVAL, what);
    RVT_EXPECT_EQ(who_takes_ud(), 'A', "handler after a refused [bad, good] table");
}

static void check_einval(void)
{
    const uint32_t ok = stub(6);

    refused(entry(RV_HYPERCALL_VECTOR, 0, RV_FLAT_RING1_CS, ok), "vector 0x82");
    refused(entry(RV_HYPERCALL_VECTOR, 0, RV_FLAT_RING1_CS, 0), "vector 0x82 with address 0");
    refused(entry(6, 0x08, RV_FLAT_RING1_CS, ok), "flag bit 3");
    refused(entry(6, 0x10, RV_FLAT_RING1_CS, ok), "flag bit 4");
    refused(entry(6, 0x80, RV_FLAT_RING1_CS, ok), "flag bit 7");
    refused(entry(6, 0xff, RV_FLAT_RING1_CS, ok), "all flag bits");
    refused(entry(6, 0x08, RV_FLAT_RING1_CS, 0), "unknown flag bit on a removal");

    refused(entry(6, 0, 0x0800, ok), "cs = the monitor's ring-0 code selector 0x800");
    refused(entry(6, 0, 0x0801, ok), "cs = the monitor's code selector with RPL 1");
    refused(entry(6, 0, RV_FLAT_RING1_CS & ~3u, ok), "cs = RV_FLAT_RING1_CS with RPL 0");
    refused(entry(6, 0, RV_FLAT_RING1_CS | 3, ok), "cs = RV_FLAT_RING1_CS with RPL 3");
    refused(entry(6, 0, RV_FLAT_RING3_CS, ok), "cs = RV_FLAT_RING3_CS");
    refused(entry(6, 0, (RV_FLAT_RING3_CS & ~3u) | 1, ok), "cs = the ring-3 code segment with RPL 1");
    refused(entry(6, 0, RV_FLAT_RING1_DS, ok), "cs = RV_FLAT_RING1_DS (data)");
    refused(entry(6, 0, 0, ok), "cs = the null selector");
    refused(entry(6, 0, 1, ok), "cs = the null selector with RPL 1");
    refused(entry(6, 0, rv_selector(CODE_DPL1, 0), ok), "cs = a guest DPL 1 code entry, RPL 0");
    refused(entry(6, 0, rv_selector(CODE_DPL1, 2), ok), "cs = a guest DPL 1 code entry, RPL 2");
    refused(entry(6, 0, rv_selector(CODE_DPL1, 3), ok), "cs = a guest DPL 1 code entry, RPL 3");
    refused(entry(6, 0, rv_selector(CODE_DPL3, 1), ok), "cs = a guest DPL 3 code entry, RPL 1");
    refused(entry(6, 0, rv_selector(CODE_DPL3, 3), ok), "cs = a guest DPL 3 code entry, RPL 3");
    refused(entry(6, 0, rv_selector(CODE_DPL2, 1), ok), "cs = a guest DPL 2 code entry");
    refused(entry(6, 0, rv_selector(CODE_DPL1_NP, 1), ok), "cs = a not-present DPL 1 code entry");
    refused(entry(6, 0, rv_selector(DATA_DPL1, 1), ok), "cs = a guest DPL 1 data entry");
    refused(entry(6, 0, rv_selector(CODE_DPL1, 1) | 4, ok), "cs = an LDT selector");
    refused(entry(6, 0, rv_selector(30, 1), ok), "cs = an empty guest GDT entry");

    refused(entry(6, 0, RV_FLAT_RING1_CS, RV_HOLE_START), "address RV_HOLE_START");
    refused(entry(6, 0, RV_FLAT_RING1_CS, 0xfffffff0u), "address 0xfffffff0");
}

static void touch(void *p)
{
    (void)*(volatile uint32_t *)p;
}

static int unmapped(uint32_t va)
{
    return rvt_expect_fault(14, touch, (void *)(uintptr_t)va, 0);
}

static void check_efault(void)
{
    const struct rv_trap_info *hole = (const struct rv_trap_info *)(uintptr_t)RV_HOLE_START;
    uint32_t tail = rv_start_info->shared_info + RV_PAGE_SIZE - sizeof(struct rv_trap_info);
    struct rv_trap_info *split = (struct rv_trap_info *)(uintptr_t)tail;

    if (!unmapped(0) || !unmapped(RV_HOLE_START - RV_PAGE_SIZE) || !unmapped(tail + 8))
        rvt_error("expected VA 0, the last guest page and the page after shared_info unmapped");
    RVT_EXPECT_RC(rv_hc_set_trap_table(0, 1), -RV_EFAULT, "NULL table");
    RVT_EXPECT_RC(rv_hc_set_trap_table(hole, 1), -RV_EFAULT, "table at RV_HOLE_START");
    RVT_EXPECT_RC(rv_hc_set_trap_table((void *)(uintptr_t)(RV_HOLE_START - 4), 1), -RV_EFAULT,
                  "table straddling RV_HOLE_START");
    RVT_EXPECT_RC(rv_hc_set_trap_table((void *)(uintptr_t)0xfffffff8u, 1), -RV_EFAULT,
                  "table at 0xfffffff8");
    RVT_EXPECT_RC(rv_hc_set_trap_table((void *)(uintptr_t)(RV_HOLE_START - RV_PAGE_SIZE), 1),
                  -RV_EFAULT, "table in an unmapped page");
    /* First entry readable (ud2 -> B, at the end of the shared page), second not. */
    *split = to_b;
    RVT_EXPECT_RC(rv_hc_set_trap_table(split, 2), -RV_EFAULT, "table running into an unmapped page");
    memset(split, 0, sizeof(*split));
    RVT_EXPECT_EQ(who_takes_ud(), 'A', "handler after a table running into an unmapped page");
}

static void check_count(void)
{
    unsigned i;

    /* 257 and ~0 good entries: too many, nothing installed. */
    for (i = 0; i <= RV_TRAP_TABLE_MAX; i++)
        table[i] = to_b;
    RVT_EXPECT_RC(rv_hc_set_trap_table(table, RV_TRAP_TABLE_MAX + 1), -RV_E2BIG, "count 257");
    RVT_EXPECT_RC(rv_hc_set_trap_table(table, 0xffffffffu), -RV_E2BIG, "count 0xffffffff");
    RVT_EXPECT_EQ(who_takes_ud(), 'A', "handler after count 257");
    RVT_EXPECT_RC(rv_hc_set_trap_table(table, 0), 0, "count 0");
    RVT_EXPECT_EQ(who_takes_ud(), 'A', "handler after count 0");

    /*
     * 256 entries (the maximum): 0-31 as rv_trap_set_defaults left them
     * but #UD -> B, everything else removed.  Only 255 vectors may be
     * named, so 0x83 comes twice, the same both times.
     */
    for (i = 0; i < RV_TRAP_TABLE_MAX; i++) {
        if (i == 6)
            table[i] = to_b;
        else if (i < 32)
            table[i] = entry(i, 0, RV_FLAT_RING1_CS, stub(i));
        else
            table[i] = entry(i == RV_HYPERCALL_VECTOR ? 0x83 : i, 0, RV_FLAT_RING1_CS, 0);
    }
    RVT_EXPECT_RC(rv_hc_set_trap_table(table, RV_TRAP_TABLE_MAX), 0, "count 256");
    RVT_EXPECT_EQ(who_takes_ud(), 'B', "handler after a 256-entry table");
}

static void check_success(void)
{
    /* Several entries in one call: the last sets #UD back to A. */
    table[0] = to_b;
    table[1] = entry(0x98, 0, RV_FLAT_RING1_CS, RV_GUEST_VA_LIMIT & ~3u); /* just below the hole */
    table[2] = entry(0x97, 3 | RV_TI_MASK_EVENTS, RV_FLAT_RING1_CS, stub(0x97));
    RVT_EXPECT_RC(rv_hc_set_trap_table(table, 3), 0, "three good entries");
    RVT_EXPECT_EQ(who_takes_ud(), 'B', "handler after three good entries");
    table[0] = entry(6, 0, RV_FLAT_RING1_CS, stub(6));
    table[1] = entry(0x98, 0, RV_FLAT_RING1_CS, 0);
    table[2] = entry(0x97, 0, RV_FLAT_RING1_CS, 0);
    RVT_EXPECT_RC(rv_hc_set_trap_table(table, 3), 0, "putting A back, removing 0x97 and 0x98");
    RVT_EXPECT_EQ(who_takes_ud(), 'A', "handler after putting A back");

    /* A handler entered through the guest's own DPL 1 code segment. */
    reached_cs = 0;
    table[0] = entry(6, 0, rv_selector(CODE_DPL1, 1), stub(6));
    RVT_EXPECT_RC(rv_hc_set_trap_table(table, 1), 0, "cs = a guest DPL 1 code entry");
    RVT_EXPECT_EQ(who_takes_ud(), 'A', "handler through the guest code segment");
    RVT_EXPECT_EQ(reached_cs, rv_selector(CODE_DPL1, 1), "CS the handler ran with");
    RVT_EXPECT_EQ(rv_read_cs(), RV_FLAT_RING1_CS, "CS after returning");
    table[0] = entry(6, 0, RV_FLAT_RING1_CS, stub(6));
    RVT_EXPECT_RC(rv_hc_set_trap_table(table, 1), 0, "cs = RV_FLAT_RING1_CS");
    RVT_EXPECT_EQ(who_takes_ud(), 'A', "handler through RV_FLAT_RING1_CS");
    RVT_EXPECT_EQ(reached_cs, RV_FLAT_RING1_CS, "CS the handler ran with");
}

static void install(unsigned index, unsigned type, unsigned dpl, int present)
{
    struct rv_descriptor d = rv_desc_segment(0, RV_GUEST_VA_LIMIT, type, dpl);

    if (!present)
        d.high &= ~0x8000u;
    RVT_REQUIRE_OK(rv_hc_update_descriptor(index, d.low, d.high), "update_descriptor");
}

void test_main(void)
{
    tk_init();
    install(CODE_DPL1, RV_SEG_CODE_RX, 1, 1);
    install(CODE_DPL3, RV_SEG_CODE_RX, 3, 1);
    install(CODE_DPL2, RV_SEG_CODE_RX, 2, 1);
    install(CODE_DPL1_NP, RV_SEG_CODE_RX, 1, 0);
    install(DATA_DPL1, RV_SEG_DATA_RW, 1, 1);

    RVT_REQUIRE_OK(rv_trap_set(6, handler_a, 0), "#UD -> A");
    RVT_REQUIRE_OK(rv_trap_set(SPARE_VECTOR, handler_b, 0), "vector 0x99 -> B");
    to_b = entry(6, 0, RV_FLAT_RING1_CS, stub(SPARE_VECTOR));
    RVT_EXPECT_EQ(who_takes_ud(), 'A', "handler at the start");

    check_einval();
    check_efault();
    check_count();
    check_success();
    rvt_success();
}
