/* SPDX-License-Identifier: MIT */
/*
 * seg-iso-down (strict): the expand-down segments ABI.md "Segments"
 * accepts keep ring 1 out of the hole.  Offsets at or below the limit and
 * accesses past the upper bound (0xFFFFFFFF with B = 1, 0xFFFF with B = 0)
 * raise #GP(0) (SDM Vol. 3A 5.3): for a 32-bit segment whose offsets wrap
 * to the 64 KiB below its base, a 16-bit one above its base, and a 16-bit
 * one ending at 0xFBFFFFFF, whose last word gives #PF at 0xFBFFFFFC (the
 * page is unmapped: the limit let it through) while a 4-byte read of its
 * last 2 bytes gives #GP.  A segment with no valid offset faults at every
 * offset.  And the valid offsets still read the right memory.
 */
#include "segutil.h"

#define WRAP 100
#define SMALL 101
#define EDGE 102
#define EMPTY 103

static uint32_t area[0x12000 / 4] __attribute__((aligned(4096)));
#define AREA ((uint32_t)(uintptr_t)area)

struct access {
    unsigned sel;
    uint32_t off;
};

static void read_es(void *p)
{
    const struct access *a = p;
    (void)seg_read32(a->sel, a->off);
}

static void expect(unsigned idx, uint32_t off, int vector, uint32_t cr2, const char *what)
{
    struct rv_trap_frame f;
    struct access a = { rv_selector(idx, 1), off };
    int v = seg_catch(read_es, &a, &f);

    if (v != vector)
        rvt_failure("%s: read at offset 0x%x of entry %u: vector %d, expected %d", what, off, idx, v, vector);
    if (vector == 13 && f.error_code != 0)
        rvt_failure("%s: #GP error code 0x%x, expected 0", what, f.error_code);
    if (vector == 14 && f.cr2 != cr2)
        rvt_failure("%s: #PF at 0x%x, expected 0x%x", what, f.cr2, cr2);
}

void test_main(void)
{
    for (unsigned i = 0; i < sizeof area / 4; i++)
        area[i] = 0x71000000u + i;
    SEG_RC(seg_update(WRAP, seg_raw(AREA + 0x11000, 0xfffef, T_DATA_RW_DOWN, 1, 1, 1, SEG_DB | SEG_G)), 0,
           "32-bit expand-down, offsets 0xFFFF0000 ..");
    SEG_RC(seg_update(SMALL, seg_raw(AREA, 0xfff, T_DATA_RW_DOWN, 1, 1, 1, 0)), 0,
           "16-bit expand-down, offsets 0x1000 .. 0xFFFF");
    SEG_RC(seg_update(EDGE, seg_raw(RV_HOLE_START - 0x10000, 0, T_DATA_RW_DOWN, 1, 1, 1, 0)), 0,
           "16-bit expand-down ending at 0xFBFFFFFF");
    SEG_RC(seg_update(EMPTY, seg_raw(0, 0xfffff, T_DATA_RW_DOWN, 1, 1, 1, SEG_DB | SEG_G)), 0,
           "expand-down with no valid offset");

    seg_require_limits();

    RVT_EXPECT_EQ(seg_read32(rv_selector(WRAP, 1), 0xffff0000u), area[0x1000 / 4], "WRAP, first valid offset");
    RVT_EXPECT_EQ(seg_read32(rv_selector(SMALL, 1), 0xfffc), area[0xfffc / 4], "SMALL, last word");

    expect(WRAP, 0xfffefffcu, 13, 0, "WRAP, the word at the limit");
    expect(WRAP, 0, 13, 0, "WRAP, offset 0 (the base)");
    expect(WRAP, 0x1000, 13, 0, "WRAP, offset 0x1000 (up from the base)");
    expect(WRAP, RV_HOLE_START - (AREA + 0x11000), 13, 0, "WRAP, the offset that would be the hole");
    expect(WRAP, 0xfffffffeu, 13, 0, "WRAP, 4 bytes across 0xFFFFFFFF");
    expect(SMALL, 0xffc, 13, 0, "SMALL, the word at the limit");
    expect(SMALL, 0xfffe, 13, 0, "SMALL, 4 bytes across 0xFFFF");
    expect(SMALL, 0x10000, 13, 0, "SMALL, offset 0x10000 (past the 16-bit bound)");
    expect(EDGE, 0xfffc, 14, RV_HOLE_START - 4, "EDGE, the last word (not mapped: #PF)");
    expect(EDGE, 0xfffe, 13, 0, "EDGE, 4 bytes across the hole's start");
    expect(EDGE, 0x10000, 13, 0, "EDGE, offset 0x10000: the hole");
    expect(EDGE, 0, 13, 0, "EDGE, offset 0 (the limit)");
    expect(EMPTY, 0, 13, 0, "EMPTY, offset 0");
    expect(EMPTY, 0xfffffff0u, 13, 0, "EMPTY, offset 0xFFFFFFF0");
    expect(EMPTY, RV_HOLE_START, 13, 0, "EMPTY, offset 0xFC000000");
    RVT_EXPECT_EQ(rv_hc_version(RV_VERSION_ABI, 0), RV_ABI_VERSION, "the monitor still answers");
    rvt_success();
}
