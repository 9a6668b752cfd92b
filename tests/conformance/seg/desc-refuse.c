/* SPDX-License-Identifier: MIT */
/*
 * seg-desc-refuse: update_descriptor refuses with -EINVAL every
 * descriptor ABI.md "Segments" forbids: DPL 0 code and data, every system
 * descriptor (TSS, LDT, call, task, interrupt and trap gates, present or
 * not), conforming code, expand-down data that reaches the hole (the
 * accepted kind: seg-desc-down), L = 1, and segments whose last
 * byte reaches the hole or wraps, or whose base lies in it; and index 0 or
 * above 255 (the monitor's own entries among them).  A refused write
 * leaves the entry as it was.
 */
#include "segutil.h"

#define IDX 20
#define MON_CS 0x0800   /* a ring-0 code selector a gate would name */
#define HOLE_CODE 0xfc100000u

static uint8_t buf[4096] __attribute__((aligned(4096)));
#define BUF ((uint32_t)(uintptr_t)buf)

struct bad {
    struct rv_descriptor d;
    const char *what;
};

/* A gate (SDM Vol. 3A 5.8.3, 6.11): selector:offset, type, DPL, present. */
static struct rv_descriptor gate(unsigned type, unsigned sel, uint32_t off, unsigned dpl, unsigned p)
{
    struct rv_descriptor d;

    d.low = (sel << 16) | (off & 0xffff);
    d.high = (off & 0xffff0000) | (p & 1) << 15 | (dpl & 3) << 13 | (type & 0xf) << 8;
    return d;
}

static unsigned nbad;
static struct bad bads[128];

static void add(struct rv_descriptor d, const char *what)
{
    if (nbad == sizeof bads / sizeof bads[0])
        rvt_error("too many cases");
    bads[nbad].d = d;
    bads[nbad].what = what;
    nbad++;
}

static const char *const sys_names[16] = {
    "system type 0 (reserved)", "16-bit TSS (available)", "LDT", "16-bit TSS (busy)",
    "16-bit call gate", "task gate", "16-bit interrupt gate", "16-bit trap gate",
    "system type 8 (reserved)", "32-bit TSS (available)", "system type 10 (reserved)",
    "32-bit TSS (busy)", "32-bit call gate", "system type 13 (reserved)",
    "32-bit interrupt gate", "32-bit trap gate",
};

static void build_cases(void)
{
    /* DPL 0: code and data, small and large. */
    add(seg_desc(0, RV_GUEST_VA_LIMIT, T_DATA_RW, 0), "DPL-0 flat data");
    add(seg_desc(0, RV_GUEST_VA_LIMIT, T_CODE_RX, 0), "DPL-0 flat code");
    add(seg_desc(BUF, 0xff, T_DATA_RW, 0), "DPL-0 small data in guest memory");
    add(seg_desc(BUF, 0xff, T_CODE_X, 0), "DPL-0 small code in guest memory");
    add(seg_desc(BUF, 0xff, T_DATA_RO | T_ACCESSED, 0), "DPL-0 read-only data, accessed");

    /* Every system type, as segment-shaped descriptors, DPL 1 and 3, present and not. */
    for (unsigned t = 0; t < 16; t++) {
        add(seg_raw(BUF, 0x67, t, 0, 1, 1, 0), sys_names[t]);
        add(seg_raw(BUF, 0x67, t, 0, 3, 1, 0), sys_names[t]);
        add(seg_raw(BUF, 0x67, t, 0, 3, 0, 0), sys_names[t]); /* not present: still a system descriptor */
    }
    /* Gates that would lead into ring 0 (the dangerous ones), DPL 1 and 3. */
    add(gate(0xc, MON_CS, HOLE_CODE, 3, 1), "32-bit call gate to ring 0, DPL 3");
    add(gate(0xc, MON_CS, HOLE_CODE, 1, 1), "32-bit call gate to ring 0, DPL 1");
    add(gate(0x4, MON_CS, HOLE_CODE, 3, 1), "16-bit call gate to ring 0");
    add(gate(0x5, 0x0810, 0, 3, 1), "task gate to the monitor's TSS");
    add(gate(0xe, MON_CS, HOLE_CODE, 3, 1), "32-bit interrupt gate");
    add(gate(0xf, MON_CS, HOLE_CODE, 3, 1), "32-bit trap gate");
    add(gate(0x6, MON_CS, HOLE_CODE, 3, 1), "16-bit interrupt gate");
    add(gate(0x7, MON_CS, HOLE_CODE, 3, 1), "16-bit trap gate");
    add(gate(0xc, RV_FLAT_RING1_CS, BUF, 3, 1), "32-bit call gate to ring 1");
    add(seg_raw(BUF, 0x67, 0x9, 0, 1, 1, 0), "32-bit TSS in guest memory");
    add(seg_raw(BUF, 0x67, 0xb, 0, 1, 1, 0), "busy 32-bit TSS in guest memory");
    add(seg_raw(BUF, 0xfff, 0x2, 0, 1, 1, 0), "LDT in guest memory");

    /* Conforming code (types 0xC-0xF), DPL 1 and 3. */
    for (unsigned t = 0xc; t <= 0xf; t++) {
        add(seg_desc(0, RV_GUEST_VA_LIMIT, t, 1), "conforming code, DPL 1");
        add(seg_desc(BUF, 0xff, t, 3), "conforming code, DPL 3");
    }
    /* Expand-down data (types 4-7) whose offsets limit+1 .. 4 GiB-1 run through the hole. */
    for (unsigned t = 4; t <= 7; t++) {
        add(seg_desc(0, 0xfff, t, 1), "expand-down data, DPL 1");
        add(seg_desc(BUF, 0xff, t, 3), "expand-down data, DPL 3");
    }
    add(seg_raw(0, 0xfbfff, T_DATA_RW_DOWN, 1, 1, 1, SEG_DB | SEG_G), "expand-down data, 4K granular");

    /* L = 1 (64-bit code; reserved in data). */
    add(seg_raw(0, 0xfbfff, T_CODE_RX, 1, 1, 1, SEG_L | SEG_G), "64-bit code (L=1 D=0)");
    add(seg_raw(0, 0xfbfff, T_CODE_RX, 1, 3, 1, SEG_L | SEG_G), "64-bit code, DPL 3");
    add(seg_raw(0, 0xfbfff, T_CODE_RX, 1, 1, 1, SEG_L | SEG_DB | SEG_G), "code with L=1 D=1");
    add(seg_raw(BUF, 0xff, T_DATA_RW, 1, 1, 1, SEG_L | SEG_DB), "data with L=1");

    /* Last byte at or past RV_HOLE_START. */
    add(seg_raw(0, 0xfffff, T_DATA_RW, 1, 1, 1, SEG_DB | SEG_G), "4 GiB data (base 0, limit 0xFFFFF, G)");
    add(seg_raw(0, 0xfffff, T_CODE_RX, 1, 1, 1, SEG_DB | SEG_G), "4 GiB code");
    add(seg_raw(0, 0xfffff, T_DATA_RW, 1, 3, 1, SEG_DB | SEG_G), "4 GiB DPL-3 data");
    add(seg_raw(0, 0xfffff, T_CODE_RX, 1, 3, 1, SEG_DB | SEG_G), "4 GiB DPL-3 code");
    add(seg_raw(0, 0xfc000, T_DATA_RW, 1, 1, 1, SEG_DB | SEG_G), "data to 0xFC000FFF (4K granular)");
    add(seg_raw(0x1000, 0xfbfff, T_DATA_RW, 1, 1, 1, SEG_DB | SEG_G), "base 0x1000 + flat limit");
    add(seg_raw(0xfbfff000, 0x1000, T_DATA_RW, 1, 1, 1, SEG_DB), "last byte exactly 0xFC000000");
    add(seg_raw(0xfbffffff, 1, T_DATA_RW, 1, 1, 1, SEG_DB), "2 bytes at 0xFBFFFFFF");
    add(seg_raw(0xfb000000, 0x1000, T_DATA_RW, 1, 1, 1, SEG_DB | SEG_G), "16 MiB + 4 KiB from 0xFB000000");
    /* Base + limit wrapping past 4 GiB. */
    add(seg_raw(0xfffff000, 0x1000, T_DATA_RW, 1, 1, 1, SEG_DB), "base 0xFFFFF000 limit 0x1000 (wraps)");
    add(seg_raw(0xffffffff, 1, T_DATA_RW, 1, 3, 1, SEG_DB), "base 0xFFFFFFFF limit 1 (wraps)");
    add(seg_raw(0x80000000, 0xfffff, T_DATA_RW, 1, 1, 1, SEG_DB | SEG_G), "base 2 GiB, 4 GiB limit (wraps)");
    add(seg_raw(0x00400000, 0xfffff, T_CODE_RX, 1, 1, 1, SEG_DB | SEG_G), "code base 4 MiB, 4 GiB limit (wraps)");
    /* Base inside the hole. */
    add(seg_raw(0xfc000000, 0, T_DATA_RW, 1, 1, 1, SEG_DB), "1 byte at 0xFC000000");
    add(seg_raw(0xfc100000, 0xfff, T_DATA_RW, 1, 3, 1, SEG_DB), "4 KiB at the monitor image");
    add(seg_raw(0xfc100000, 0xfff, T_CODE_RX, 1, 1, 1, SEG_DB), "code at the monitor image");
    add(seg_raw(0xfffff000, 0xfff, T_DATA_RW, 1, 1, 1, SEG_DB), "the last page of 4 GiB");
}

static void expect_unchanged(const char *after)
{
    uint32_t ar, limit;
    unsigned sel = rv_selector(IDX, 1);

    if (!seg_lar(sel, &ar) || !seg_lsl(sel, &limit))
        rvt_failure("entry %u is no longer usable after refusing %s", IDX, after);
    if (AR_TYPE(ar) != (T_DATA_RW | T_ACCESSED) || AR_DPL(ar) != 1 || limit != 0x123)
        rvt_failure("entry %u changed (type %u dpl %u limit 0x%x) after refusing %s", IDX,
                    AR_TYPE(ar), AR_DPL(ar), limit, after);
}

static void check_indices(void)
{
    struct rv_descriptor good = seg_desc(BUF, 0xfff, T_DATA_RW, 1);
    static const uint32_t bad_index[] = {
        0, RV_GDT_GUEST_ENTRIES, 257, 259, 260, 261, 262, 263, 264, 511, 512,
        0x10000, 0x80000000u, 0xffffffffu,
    };
    uint32_t limit;

    for (unsigned i = 0; i < sizeof bad_index / sizeof bad_index[0]; i++)
        SEG_RC(seg_update(bad_index[i], good), -RV_EINVAL, "update_descriptor index %u", bad_index[i]);
    SEG_RC(seg_update(0, seg_raw(0, 0, 0, 0, 0, 0, 0)), -RV_EINVAL, "index 0 with the zero descriptor");
    /* The monitor's flat selectors are untouched. */
    static const unsigned flat[] = { RV_FLAT_RING1_CS, RV_FLAT_RING1_DS, RV_FLAT_RING3_CS, RV_FLAT_RING3_DS };
    for (unsigned i = 0; i < 4; i++) {
        if (!seg_lsl(flat[i], &limit))
            rvt_failure("LSL refuses flat selector 0x%x", flat[i]);
        RVT_EXPECT_EQ(limit, RV_GUEST_VA_LIMIT, "limit of a flat selector");
    }
    RVT_EXPECT_EQ(seg_read32(RV_FLAT_RING1_DS, (uint32_t)(uintptr_t)buf), 0, "flat DS still works");
}

void test_main(void)
{
    build_cases();
    SEG_RC(seg_update(IDX, seg_desc(BUF, 0x123, T_DATA_RW, 1)), 0, "the entry refusals must leave alone");
    expect_unchanged("nothing");
    for (unsigned i = 0; i < nbad; i++) {
        SEG_RC(seg_update(IDX, bads[i].d), -RV_EINVAL, "case %u, %s (0x%08x:%08x)", i, bads[i].what,
               bads[i].d.high, bads[i].d.low);
        expect_unchanged(bads[i].what);
        /* The same at an empty entry: nothing appears there. */
        SEG_RC(seg_update(IDX + 1, bads[i].d), -RV_EINVAL, "case %u, %s at an empty entry", i, bads[i].what);
        uint32_t ar;
        if (seg_lar(rv_selector(IDX + 1, 1), &ar))
            rvt_failure("case %u, %s: entry %u became visible (LAR 0x%x)", i, bads[i].what, IDX + 1, ar);
    }
    rvt_log("%u refused descriptors", nbad);
    check_indices();
    rvt_success();
}
