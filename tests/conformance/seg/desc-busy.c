/* SPDX-License-Identifier: MIT */
/*
 * seg-desc-busy: the entries of the caller's current CS and SS cannot be
 * changed (-EBUSY), by update_descriptor (also inside a multicall) or
 * set_gdt, and a refused call changes nothing; rewriting them with the
 * same descriptor is allowed (with or without the accessed bit, which the
 * monitor sets anyway).  Once we have left them, the same entries change
 * freely.  The entries of DS, ES, FS and GS are not protected.
 */
#include "segutil.h"

#define CS_IDX 40
#define SS_IDX 41
#define OTHER_IDX 42
#define FLAT_LAST 0xfbfff     /* 4K-granular limit of RV_GUEST_VA_LIMIT */

static struct rv_descriptor table[RV_GDT_GUEST_ENTRIES];

static struct rv_descriptor code(uint32_t limit20, unsigned type)
{
    return seg_raw(0, limit20, type, 1, 1, 1, SEG_DB | SEG_G);
}

static void expect_limit(unsigned idx, uint32_t last, const char *what)
{
    uint32_t limit;

    if (!seg_lsl(rv_selector(idx, 1), &limit))
        rvt_failure("%s: entry %u is unusable", what, idx);
    if (limit != last)
        rvt_failure("%s: entry %u has limit 0x%x, expected 0x%x", what, idx, limit, last);
}

/* set_gdt with entries 1 .. count-1 taken from the current state plus the change. */
static long set_gdt_with(unsigned idx, struct rv_descriptor d, unsigned count)
{
    for (unsigned i = 0; i < RV_GDT_GUEST_ENTRIES; i++)
        table[i] = seg_raw(0, 0, 0, 0, 0, 0, 0);
    table[CS_IDX] = code(FLAT_LAST, T_CODE_RX);
    table[SS_IDX] = seg_raw(0, FLAT_LAST, T_DATA_RW, 1, 1, 1, SEG_DB | SEG_G);
    table[idx] = d;
    return rv_hc_set_gdt(table, count);
}

/* Run while CS (or SS) is entry idx holding the descriptor same. */
static void check_busy(unsigned idx, struct rv_descriptor same, struct rv_descriptor other,
                       const char *reg)
{
    struct rv_descriptor acc = same;
    acc.high |= T_ACCESSED << 8;

    SEG_RC(seg_update(idx, other), -RV_EBUSY, "changing the %s entry", reg);
    SEG_RC(rv_hypercall_int82(RV_HC_update_descriptor, idx, other.low, other.high, 0, 0), -RV_EBUSY,
           "changing the %s entry through int $0x82", reg);
    SEG_RC(seg_update(idx, seg_raw(0, 0, 0, 0, 0, 0, 0)), -RV_EBUSY, "clearing the %s entry", reg);
    struct rv_multicall_entry mc = { .op = RV_HC_update_descriptor, .args = { idx, other.low, other.high } };
    SEG_RC(rv_hc_multicall(&mc, 1), 0, "multicall");
    SEG_RC(mc.result, -RV_EBUSY, "changing the %s entry inside a multicall", reg);
    SEG_RC(seg_update(idx, seg_raw(0, FLAT_LAST, same.high >> 8 & 0xf, 1, 1, 0, SEG_DB | SEG_G)),
           -RV_EBUSY, "making the %s entry not present", reg);
    expect_limit(idx, RV_GUEST_VA_LIMIT, "after the refused update_descriptor calls");
    SEG_RC(seg_update(idx, same), 0, "rewriting the %s entry with the same descriptor", reg);
    SEG_RC(seg_update(idx, acc), 0, "rewriting the %s entry with the accessed bit set", reg);

    /* set_gdt: changing it, or clearing it (count stops before it), is refused as a whole. */
    SEG_RC(seg_update(OTHER_IDX, seg_desc(0, 0x777, T_DATA_RW, 1)), 0, "a bystander entry");
    SEG_RC(set_gdt_with(idx, other, RV_GDT_GUEST_ENTRIES), -RV_EBUSY, "set_gdt changing the %s entry", reg);
    SEG_RC(set_gdt_with(OTHER_IDX, seg_desc(0, 0x555, T_DATA_RW, 1), CS_IDX < SS_IDX ? CS_IDX : SS_IDX),
           -RV_EBUSY, "set_gdt clearing the %s entry (count below it)", reg);
    expect_limit(OTHER_IDX, 0x777, "set_gdt refused with -EBUSY changed nothing");
    expect_limit(idx, RV_GUEST_VA_LIMIT, "after the refused set_gdt calls");
    /* The same descriptor in set_gdt is no change: allowed, and the rest is installed. */
    SEG_RC(set_gdt_with(OTHER_IDX, seg_desc(0, 0x555, T_DATA_RW, 1), RV_GDT_GUEST_ENTRIES), 0,
           "set_gdt keeping the %s entry as it is", reg);
    expect_limit(OTHER_IDX, 0x555, "set_gdt keeping CS and SS installed the rest");
}

static void switch_ss(unsigned sel)
{
    __asm__ volatile("movw %w0, %%ss" : : "r"(sel) : "memory");
}

void test_main(void)
{
    struct rv_descriptor cs_desc = code(FLAT_LAST, T_CODE_RX);
    struct rv_descriptor ss_desc = seg_raw(0, FLAT_LAST, T_DATA_RW, 1, 1, 1, SEG_DB | SEG_G);
    unsigned cs = rv_selector(CS_IDX, 1), ss = rv_selector(SS_IDX, 1);

    SEG_RC(seg_update(CS_IDX, cs_desc), 0, "our ring-1 code segment");
    SEG_RC(seg_update(SS_IDX, ss_desc), 0, "our ring-1 stack segment");

    /* Under our own CS. */
    seg_far_jump(cs);
    if (seg_get_cs() != cs)
        rvt_error("far jump did not load CS 0x%x", cs);
    check_busy(CS_IDX, cs_desc, code(FLAT_LAST - 1, T_CODE_RX), "CS");
    /* SS is flat, so our SS entry is free to change now. */
    SEG_RC(seg_update(SS_IDX, seg_desc(0, 0xffff, T_DATA_RW, 1)), 0, "the SS entry while SS is flat");
    SEG_RC(seg_update(SS_IDX, ss_desc), 0, "putting the SS entry back");
    seg_far_jump(RV_FLAT_RING1_CS);

    /* Under our own SS (same base and limit as the flat one, so the stack stays put). */
    switch_ss(ss);
    if (seg_get_ss() != ss) {
        switch_ss(RV_FLAT_RING1_DS);
        rvt_error("could not load SS 0x%x", ss);
    }
    check_busy(SS_IDX, ss_desc, seg_raw(0, FLAT_LAST - 1, T_DATA_RW, 1, 1, 1, SEG_DB | SEG_G), "SS");
    SEG_RC(seg_update(CS_IDX, code(0xfff, T_CODE_RX)), 0, "the CS entry while CS is flat");
    switch_ss(RV_FLAT_RING1_DS);

    /* Back on the flat selectors: both entries change freely. */
    SEG_RC(seg_update(CS_IDX, code(FLAT_LAST - 1, T_CODE_X)), 0, "the old CS entry, after leaving it");
    SEG_RC(seg_update(SS_IDX, seg_raw(0, 0, 0, 0, 0, 0, 0)), 0, "clearing the old SS entry");
    expect_limit(CS_IDX, RV_GUEST_VA_LIMIT - 0x1000, "the old CS entry was changed");

    /* DS, ES, FS and GS do not pin their entries. */
    SEG_RC(seg_update(OTHER_IDX, seg_desc(0, 0xfff, T_DATA_RW, 1)), 0, "an FS segment");
    seg_set_fs(rv_selector(OTHER_IDX, 1));
    SEG_RC(seg_update(OTHER_IDX, seg_desc(0, 0x1fff, T_DATA_RW, 1)), 0, "changing the FS entry");
    seg_set_fs(0);
    rvt_success();
}
