/* SPDX-License-Identifier: MIT */
/*
 * seg-desc-down: expand-down data segments (SDM Vol. 3A 3.4.5.1: valid
 * offsets limit+1 .. 0xFFFFFFFF with B = 1, .. 0xFFFF with B = 0) are
 * accepted exactly when every valid offset, added to the base modulo
 * 4 GiB, lands below the hole (ABI.md "Segments"), and then work: a
 * 32-bit one whose offsets wrap to the 64 KiB below its base, one whose
 * offsets wrap to all of [0, base), a 16-bit one over 60 KiB above its
 * base, one ending at 0xFBFFFFFF, and one with no valid offset at all.
 * Refused with -EINVAL: ranges that wrap through the hole (one page more
 * than [0, base) among them), 16-bit ranges that run into it, and bases
 * in it.
 * Reads here stay inside the segments (they work on any CPU); what lies
 * outside them faults in seg-iso-down, on a CPU that checks limits.
 */
#include "segutil.h"

#define WRAP 100        /* 32-bit, base AREA + 0x11000, offsets 0xFFFF0000 .. 0xFFFFFFFF */
#define SMALL 101       /* 16-bit, base AREA, offsets 0x1000 .. 0xFFFF */
#define EDGE 102        /* 16-bit, base 0xFBFF0000, offsets 1 .. 0xFFFF: up to 0xFBFFFFFF */
#define EMPTY 103       /* 32-bit, limit 0xFFFFFFFF: no valid offset */
#define BAD 104
#define WIDE 105        /* 32-bit, base AREA + 0x11000, every offset that wraps: linear [0, base) */

static uint32_t area[0x12000 / 4] __attribute__((aligned(4096)));
#define AREA ((uint32_t)(uintptr_t)area)

/* The word at linear address a, as we fill it: it names its own address. */
static uint32_t pattern(uint32_t a) { return a ^ 0x5a5a5a5au; }

static void expect_desc(unsigned idx, uint32_t last, const char *what)
{
    uint32_t ar, limit;

    if (!seg_lar(rv_selector(idx, 1), &ar) || !seg_lsl(rv_selector(idx, 1), &limit))
        rvt_failure("%s: LAR/LSL refuse the installed selector", what);
    RVT_EXPECT_EQ(AR_TYPE(ar), T_DATA_RW_DOWN | T_ACCESSED, "type: read/write expand-down, accessed");
    RVT_EXPECT_EQ(limit, last, "the limit as installed (LSL)");
}

static void accepted(void)
{
    for (uint32_t a = AREA; a < AREA + sizeof area; a += 4)
        area[(a - AREA) / 4] = pattern(a);

    /* (L + 1) * 4 KiB = 4 GiB - 64 KiB: offsets 0xFFFF0000 .. wrap to [base - 64 KiB, base). */
    SEG_RC(seg_update(WRAP, seg_raw(AREA + 0x11000, 0xfffef, T_DATA_RW_DOWN, 1, 1, 1, SEG_DB | SEG_G)), 0,
           "32-bit expand-down whose offsets wrap below its base");
    expect_desc(WRAP, 0xfffeffff, "32-bit expand-down");
    unsigned wrap = rv_selector(WRAP, 1);
    RVT_EXPECT_EQ(seg_read32(wrap, 0xffff0000u), pattern(AREA + 0x1000), "the first valid offset");
    RVT_EXPECT_EQ(seg_read32(wrap, 0xfffffffcu), pattern(AREA + 0x10ffc), "offset -4");
    seg_write32(wrap, 0xffff8000u, 0xd0d0cafe);
    RVT_EXPECT_EQ(area[0x9000 / 4], 0xd0d0cafe, "a write at offset -0x8000 lands at base - 0x8000");

    /* The largest: the first valid offset is 4 GiB - base, which wraps to linear 0. */
    SEG_RC(seg_update(WIDE, seg_raw(AREA + 0x11000, 0xfffff - (AREA >> 12) - 0x11, T_DATA_RW_DOWN, 1, 1, 1,
                                    SEG_DB | SEG_G)), 0, "32-bit expand-down over [0, base)");
    RVT_EXPECT_EQ(seg_read32(rv_selector(WIDE, 1), 0xfffffffcu), pattern(AREA + 0x10ffc), "WIDE, offset -4");
    RVT_EXPECT_EQ(seg_read32(rv_selector(WIDE, 1), 0xfffef000u), pattern(AREA), "WIDE, offset -0x11000");

    SEG_RC(seg_update(SMALL, seg_raw(AREA, 0xfff, T_DATA_RW_DOWN, 1, 1, 1, 0)), 0,
           "16-bit expand-down above its base");
    expect_desc(SMALL, 0xfff, "16-bit expand-down");
    unsigned small = rv_selector(SMALL, 1);
    RVT_EXPECT_EQ(seg_read32(small, 0x1000), pattern(AREA + 0x1000), "offset limit + 1");
    RVT_EXPECT_EQ(seg_read32(small, 0xfffc), pattern(AREA + 0xfffc), "the last word below 0x10000");

    SEG_RC(seg_update(EDGE, seg_raw(RV_HOLE_START - 0x10000, 0, T_DATA_RW_DOWN, 1, 1, 1, 0)), 0,
           "16-bit expand-down ending at 0xFBFFFFFF");
    expect_desc(EDGE, 0, "expand-down up to the hole");
    SEG_RC(seg_update(EMPTY, seg_raw(0, 0xfffff, T_DATA_RW_DOWN, 1, 1, 1, SEG_DB | SEG_G)), 0,
           "expand-down with no valid offset");
    expect_desc(EMPTY, 0xffffffffu, "empty expand-down");
    /* DPL 3 and read-only expand-down are data like any other. */
    SEG_RC(seg_update(BAD, seg_raw(AREA + 0x11000, 0xfffef, T_DATA_RO_DOWN, 1, 3, 1, SEG_DB | SEG_G)), 0,
           "read-only DPL-3 expand-down");
    RVT_EXPECT_EQ(seg_read32(rv_selector(BAD, 3), 0xfffffff8u), pattern(AREA + 0x10ff8), "read-only, offset -8");
}

static void refused(void)
{
    const struct {
        uint32_t base, limit;
        unsigned flags;
        const char *what;
    } bad[] = {
        { 0, 0xfff, SEG_DB, "base 0, offsets 0x1000 .. 0xFFFFFFFF" },
        { AREA, 0xff, SEG_DB, "offsets 0x100 .. wrapping through the hole" },
        { 0, 0xfbfff, SEG_DB | SEG_G, "offsets 0xFC000000 .. 0xFFFFFFFF" },
        { AREA + 0x11000, 0xfffff - (AREA >> 12) - 0x12, SEG_DB | SEG_G,
          "one page more than WIDE: the first valid page lands at 0xFFFFF000" },
        { RV_HOLE_START - 0x8000, 0xfff, 0, "16-bit, 32 KiB past the hole's start" },
        { RV_HOLE_START - 0xffff, 0, 0, "16-bit, last byte 0xFC000000" },
        { RV_HOLE_START, 0x03fff, SEG_DB | SEG_G, "based at the hole, offsets wrapping below it" },
        { 0xff000000u, 0xfffff - 0x1000, SEG_DB | SEG_G, "based in the hole" },
    };
    uint32_t ar;

    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct rv_descriptor d = seg_raw(bad[i].base, bad[i].limit, T_DATA_RW_DOWN, 1, 3, 1, bad[i].flags);
        SEG_RC(seg_update(BAD, d), -RV_EINVAL, "%s", bad[i].what);
        if (!seg_lar(rv_selector(BAD, 3), &ar) || AR_TYPE(ar) != (T_DATA_RO_DOWN | T_ACCESSED))
            rvt_failure("%s: the entry changed though refused", bad[i].what);
    }
}

void test_main(void)
{
    accepted();
    refused();
    rvt_success();
}
