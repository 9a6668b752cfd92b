/* SPDX-License-Identifier: MIT */
/*
 * seg-desc-good: update_descriptor accepts every kind of descriptor ABI.md
 * "Segments" allows, and what it installs is what the CPU then uses:
 * DPL 1, 2 and 3 data, byte-granular small segments, the largest segment
 * below the hole, ring-1 code we can jump into, not-present descriptors
 * whatever their other fields (#NP on load; #GP if DPL 0) and the zero
 * descriptor (#GP on load).  The monitor sets the accessed bit of code and
 * data.
 */
#include "segutil.h"

static uint32_t buf[2048] __attribute__((aligned(4096)));

#define BUF ((uint32_t)(uintptr_t)buf)

/* The descriptor as LAR sees it: type (with accessed), S, DPL, P, and the limit. */
static void expect_desc(unsigned sel, unsigned type, unsigned dpl, uint32_t last, const char *what)
{
    uint32_t ar, limit;

    if (!seg_lar(sel, &ar))
        rvt_failure("%s: LAR refuses selector 0x%x after update_descriptor", what, sel);
    RVT_EXPECT_EQ(AR_TYPE(ar), type | T_ACCESSED, "type (with the accessed bit the monitor sets)");
    RVT_EXPECT_EQ(AR_S(ar), 1, "S bit");
    RVT_EXPECT_EQ(AR_DPL(ar), dpl, "DPL");
    RVT_EXPECT_EQ(AR_P(ar), 1, "P bit");
    if (!seg_lsl(sel, &limit))
        rvt_failure("%s: LSL refuses selector 0x%x", what, sel);
    RVT_EXPECT_EQ(limit, last, "segment limit (LSL)");
}

static void load_fs(void *sel)
{
    seg_set_fs((unsigned)(uintptr_t)sel);
    seg_set_fs(0);
}

static void check_data_segments(void)
{
    unsigned sel;

    for (unsigned i = 0; i < 2048; i++)
        buf[i] = 0x5e600000 + i;

    /* DPL 1 read/write data over buf, used through ES. */
    sel = rv_selector(10, 1);
    SEG_RC(seg_update(10, seg_desc(BUF, sizeof buf - 1, T_DATA_RW, 1)), 0, "DPL-1 data");
    expect_desc(sel, T_DATA_RW, 1, sizeof buf - 1, "DPL-1 data");
    RVT_EXPECT_EQ(seg_read32(sel, 0), buf[0], "es:0 through the DPL-1 segment");
    RVT_EXPECT_EQ(seg_read32(sel, sizeof buf - 4), buf[2047], "last word through the DPL-1 segment");
    seg_write32(sel, 0x40, 0xfeedf00d);
    RVT_EXPECT_EQ(buf[0x10], 0xfeedf00d, "a write through the DPL-1 segment lands in buf");

    /* The same through int $0x82 instead of the hypercall page, base 0x100 into buf. */
    struct rv_descriptor d = seg_desc(BUF + 0x100, 0xff, T_DATA_RW, 1);
    SEG_RC(rv_hypercall_int82(RV_HC_update_descriptor, 11, d.low, d.high, 0, 0), 0,
           "update_descriptor through int $0x82");
    expect_desc(rv_selector(11, 1), T_DATA_RW, 1, 0xff, "data at buf+0x100");
    RVT_EXPECT_EQ(seg_read32(rv_selector(11, 1), 0), buf[0x40], "es:0 of the segment at buf+0x100");

    /* Byte-granular small segments: 1 byte and 16 bytes. */
    SEG_RC(seg_update(12, seg_desc(BUF + 8, 0, T_DATA_RW, 1)), 0, "1-byte segment");
    expect_desc(rv_selector(12, 1), T_DATA_RW, 1, 0, "1-byte segment");
    SEG_RC(seg_update(13, seg_desc(BUF + 16, 15, T_DATA_RW, 1)), 0, "16-byte segment");
    expect_desc(rv_selector(13, 1), T_DATA_RW, 1, 15, "16-byte segment");
    RVT_EXPECT_EQ(seg_read32(rv_selector(13, 1), 12), buf[7], "last word of the 16-byte segment");

    /* DPL 2 and DPL 3 data, read-only data: loadable from ring 1 (DPL >= CPL). */
    SEG_RC(seg_update(14, seg_desc(BUF, 0xfff, T_DATA_RW, 2)), 0, "DPL-2 data");
    expect_desc(rv_selector(14, 2), T_DATA_RW, 2, 0xfff, "DPL-2 data");
    RVT_EXPECT_EQ(seg_read32(rv_selector(14, 2), 4), buf[1], "read through DPL-2 data");
    SEG_RC(seg_update(15, seg_desc(BUF, 0xfff, T_DATA_RW, 3)), 0, "DPL-3 data");
    expect_desc(rv_selector(15, 3), T_DATA_RW, 3, 0xfff, "DPL-3 data");
    RVT_EXPECT_EQ(seg_read32(rv_selector(15, 3), 8), buf[2], "read through DPL-3 data");
    SEG_RC(seg_update(16, seg_desc(BUF, 0xfff, T_DATA_RO, 1)), 0, "read-only data");
    expect_desc(rv_selector(16, 1), T_DATA_RO, 1, 0xfff, "read-only data");
    RVT_EXPECT_EQ(seg_read32(rv_selector(16, 1), 12), buf[3], "read through read-only data");

    /* Given with the accessed bit already set: accepted the same way. */
    SEG_RC(seg_update(17, seg_desc(BUF, 0xfff, T_DATA_RW | T_ACCESSED, 1)), 0, "accessed data");
    expect_desc(rv_selector(17, 1), T_DATA_RW, 1, 0xfff, "accessed data");

    /* The largest segments a guest may have: last byte RV_GUEST_VA_LIMIT. */
    SEG_RC(seg_update(18, seg_raw(0, 0xfbfff, T_DATA_RW, 1, 1, 1, SEG_DB | SEG_G)), 0,
           "4K-granular data up to 0xFBFFFFFF");
    expect_desc(rv_selector(18, 1), T_DATA_RW, 1, RV_GUEST_VA_LIMIT, "flat data");
    RVT_EXPECT_EQ(seg_read32(rv_selector(18, 1), BUF + 20), buf[5], "read through our flat data");
    SEG_RC(seg_update(19, seg_raw(0xfbf00000, 0xfffff, T_DATA_RW, 1, 1, 1, SEG_DB)), 0,
           "byte-granular 1 MiB data ending at 0xFBFFFFFF");
    SEG_RC(seg_update(20, seg_raw(0xfbfff000, 0xfff, T_DATA_RW, 1, 3, 1, SEG_DB)), 0,
           "byte-granular 4 KiB data ending at 0xFBFFFFFF");
    SEG_RC(seg_update(21, seg_raw(0xfbffffff, 0, T_DATA_RW, 1, 1, 1, SEG_DB)), 0,
           "1-byte data at 0xFBFFFFFF");
    /* A 16-bit (D/B = 0) data segment and one with AVL set are plain data too. */
    SEG_RC(seg_update(22, seg_raw(BUF, 0xff, T_DATA_RW, 1, 1, 1, 0)), 0, "16-bit data");
    SEG_RC(seg_update(23, seg_raw(BUF, 0xff, T_DATA_RW, 1, 1, 1, SEG_DB | SEG_AVL)), 0,
           "data with AVL set");
    RVT_EXPECT_EQ(seg_read32(rv_selector(23, 1), 0), buf[0], "read through data with AVL");
}

static void check_code_segment(void)
{
    unsigned sel = rv_selector(30, 1);

    SEG_RC(seg_update(30, seg_raw(0, 0xfbfff, T_CODE_RX, 1, 1, 1, SEG_DB | SEG_G)), 0,
           "ring-1 execute/read code");
    expect_desc(sel, T_CODE_RX, 1, RV_GUEST_VA_LIMIT, "ring-1 code");
    seg_far_jump(sel);
    unsigned cs = seg_get_cs();
    long v = rv_hc_version(RV_VERSION_ABI, 0); /* a hypercall from our own CS */
    seg_far_jump(RV_FLAT_RING1_CS);
    RVT_EXPECT_EQ(cs, sel, "CS after a far jump to our code segment");
    RVT_EXPECT_EQ(v, RV_ABI_VERSION, "version hypercall made under our CS");

    /* Execute-only code and DPL-2/3 code are allowed too. */
    SEG_RC(seg_update(31, seg_raw(0, 0xfbfff, T_CODE_X, 1, 1, 1, SEG_DB | SEG_G)), 0,
           "execute-only code");
    SEG_RC(seg_update(32, seg_desc(0, 0x7fffff, T_CODE_RX, 2)), 0, "DPL-2 code");
    SEG_RC(seg_update(33, seg_desc(0, 0x7fffff, T_CODE_RX, 3)), 0, "DPL-3 code");
    expect_desc(rv_selector(33, 3), T_CODE_RX, 3, 0x7fffff, "DPL-3 code");
}

static void check_not_present_and_zero(void)
{
    struct rv_trap_frame f;
    uint32_t ar;
    int v;

    /* Not present: accepted whatever the rest says; loading it raises #NP(selector). */
    const struct { uint32_t base, limit; unsigned type, dpl; uint32_t flags; const char *what; } np[] = {
        { BUF, 0xfff, T_DATA_RW, 1, SEG_DB, "not-present data" },
        { 0, 0xfffff, T_DATA_RW, 0, SEG_DB | SEG_G, "not-present DPL-0 4 GiB data" },
        { 0xfc000000, 0xfff, T_DATA_RW_DOWN, 1, SEG_DB, "not-present expand-down data in the hole" },
        { 0, 0xfffff, T_CODE_RX_CONF, 0, SEG_L | SEG_G, "not-present conforming 64-bit code" },
    };
    for (unsigned i = 0; i < sizeof np / sizeof np[0]; i++) {
        unsigned idx = 40 + i;
        SEG_RC(seg_update(idx, seg_raw(np[i].base, np[i].limit, np[i].type, 1, np[i].dpl, 0, np[i].flags)),
               0, "%s", np[i].what);
        if (np[i].type & 8)
            continue; /* code cannot go into FS */
        /* The CPU checks privilege before presence: DPL 0 gives #GP (SDM Vol. 2B MOV). */
        int want = np[i].dpl == 0 ? 13 : 11;
        v = seg_catch(load_fs, (void *)(uintptr_t)rv_selector(idx, 1), &f);
        if (v != want)
            rvt_failure("%s: loading it into FS raised vector %d, expected %d", np[i].what, v, want);
        RVT_EXPECT_EQ(f.error_code, idx << 3, "error code (the selector)");
    }

    /* The zero descriptor: accepted, and loading it raises #GP(selector). */
    SEG_RC(seg_update(10, seg_raw(0, 0, 0, 0, 0, 0, 0)), 0, "the zero descriptor over a used entry");
    RVT_EXPECT_EQ(seg_lar(rv_selector(10, 1), &ar), 0, "LAR of a zeroed entry fails");
    v = seg_catch(load_fs, (void *)(uintptr_t)rv_selector(10, 1), &f);
    if (v != 13)
        rvt_failure("loading a zeroed entry raised vector %d, expected 13 (#GP)", v);
    RVT_EXPECT_EQ(f.error_code, 10 << 3, "#GP error code (the selector)");

    /* The first and last guest entries. */
    SEG_RC(seg_update(1, seg_desc(BUF, 0xfff, T_DATA_RW, 1)), 0, "index 1");
    expect_desc(rv_selector(1, 1), T_DATA_RW, 1, 0xfff, "index 1");
    SEG_RC(seg_update(RV_GDT_GUEST_ENTRIES - 1, seg_desc(BUF, 0x7ff, T_DATA_RW, 1)), 0, "index 255");
    expect_desc(rv_selector(RV_GDT_GUEST_ENTRIES - 1, 1), T_DATA_RW, 1, 0x7ff, "index 255");
    SEG_RC(seg_update(RV_GDT_GUEST_ENTRIES - 1, seg_raw(0, 0, 0, 0, 0, 0, 0)), 0, "clearing index 255");
}

void test_main(void)
{
    check_data_segments();
    check_code_segment();
    check_not_present_and_zero();
    rvt_success();
}
