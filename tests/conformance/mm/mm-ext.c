/* SPDX-License-Identifier: MIT */
/*
 * mm-ext: hypercall 12, mmuext_op(ops, count, done).
 *
 * Pinning at each level (and what it does to memory_op's counts), pinning
 * twice (EEXIST), a frame mapped writable (EBUSY), a table of another
 * level (EBUSY), frames not owned (EPERM), tables that refer to themselves
 * (writably: EBUSY; an L1 mapping itself read-only: allowed), tables with
 * a refused entry (that entry's error); unpinning (EINVAL when not pinned,
 * EBUSY for the current base); NEW_BASEPTR to an L3 the test built and
 * back, with the old base losing its reference; TLB_FLUSH and INVLPG with
 * an observable effect; unknown commands; the call's count, ops and done
 * errors and partial success.
 */
#include "mmtest.h"

static struct rv_mmuext_op many[RV_MMUEXT_MAX + 1];

/* Writes entries into a fresh frame while it is writable, then makes it
 * read-only: the frame is then ready to be validated. */
static uint32_t table_with(unsigned n, const unsigned *slots, const mt_pte_t *vals)
{
    uint32_t va = mt_alloc();
    for (unsigned i = 0; i < n; i++)
        ((mt_pte_t *)va)[slots[i]] = vals[i];
    mt_make_ro(va);
    return va;
}

static uint32_t table1(unsigned slot, mt_pte_t val)
{
    return table_with(1, &slot, &val);
}

static void pin_unpin(void)
{
    struct rv_mem_stats st0 = mt_stats(), st;
    uint32_t a = mt_alloc_ro(), am = mt_mfn_of(a);

    st = mt_stats();
    RVT_EXPECT_EQ(st.writable, st0.writable - 1, "writable count after a frame was made read-only");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L1_TABLE, am), 0, "pin a fresh read-only frame as L1");
    st = mt_stats();
    RVT_EXPECT_EQ(st.pinned, st0.pinned + 1, "pinned after a pin");
    RVT_EXPECT_EQ(st.pt_frames, st0.pt_frames + 1, "pt_frames after a pin");
    RVT_EXPECT_EQ(st.writable, st0.writable - 1, "writable after a pin");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L1_TABLE, am), -RV_EEXIST, "pin it twice");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L2_TABLE, am), -RV_EEXIST, "pin it again as an L2");
    RVT_EXPECT_RC(mt_uvm(a, mt_pte(am, MT_RW), RV_UVMF_INVLPG), -RV_EBUSY, "map a pinned L1 writable");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_UNPIN_TABLE, am), 0, "unpin it");
    st = mt_stats();
    RVT_EXPECT_EQ(st.pinned, st0.pinned, "pinned after the unpin");
    RVT_EXPECT_EQ(st.pt_frames, st0.pt_frames, "pt_frames after the unpin");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_UNPIN_TABLE, am), -RV_EINVAL, "unpin a frame not pinned");
    RVT_EXPECT_RC(mt_uvm(a, mt_pte(am, MT_RW), RV_UVMF_INVLPG), 0, "the unpinned frame can be writable again");
    RVT_EXPECT_EQ(mt_stats().writable, st0.writable, "writable count back");

    /* A frame mapped writable cannot become a table. */
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L1_TABLE, am), -RV_EBUSY, "pin a frame mapped writable (L1)");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L2_TABLE, am), -RV_EBUSY, "pin a frame mapped writable (L2)");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L3_TABLE, am), -RV_EBUSY, "pin a frame mapped writable (L3)");
    RVT_EXPECT_EQ(mt_stats().pt_frames, st0.pt_frames, "a refused pin made no table");
    mt_poke(a, 7);
    RVT_EXPECT_EQ(mt_peek(a), 7, "still writable after the refused pins");

    /* Frames not owned. */
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L1_TABLE, MT_MONITOR_MFN), -RV_EPERM, "pin a monitor frame");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L3_TABLE, MT_MONITOR_MFN), -RV_EPERM, "pin a monitor frame as L3");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L1_TABLE, mt_first_mfn() - 1), -RV_EPERM, "pin first_mfn - 1");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L2_TABLE, mt_first_mfn() + mt_nr_pages()), -RV_EPERM,
                  "pin first_mfn + nr_pages");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_UNPIN_TABLE, MT_MONITOR_MFN), -RV_EPERM, "unpin a monitor frame");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_UNPIN_TABLE, mt_first_mfn() - 1), -RV_EPERM, "unpin first_mfn - 1");

    /* Tables in use: pinning at their own level adds a pin, another level is EBUSY. */
    uint32_t l1 = (uint32_t)(mt_l1e(rv_start_info->free_start) >> 12);
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L2_TABLE, l1), -RV_EBUSY, "pin a live L1 as an L2");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L3_TABLE, l1), -RV_EBUSY, "pin a live L1 as an L3");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L1_TABLE, l1), 0, "pin a live L1 as an L1");
    RVT_EXPECT_EQ(mt_stats().pinned, st0.pinned + 1, "pinned after pinning a live L1");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_UNPIN_TABLE, l1), 0, "unpin the live L1");
    RVT_EXPECT_EQ(mt_stats().pt_frames, st0.pt_frames, "the live L1 is still a table");
    RVT_EXPECT_TRUE(mt_readable(rv_start_info->free_start), "and still maps");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L2_TABLE, mt_l2_mfn(3)), -RV_EBUSY, "pin the top L2 as an L2");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L1_TABLE, mt_l2_mfn(0)), -RV_EBUSY, "pin an L2 as an L1");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L3_TABLE, mt_l2_mfn(3)), -RV_EBUSY, "pin the top L2 as an L3");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L3_TABLE, mt_l3_mfn()), -RV_EEXIST, "pin the start-of-day L3 again");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L2_TABLE, mt_l2_mfn(0)), 0, "pin the live GiB-0 L2");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_UNPIN_TABLE, mt_l2_mfn(0)), 0, "unpin it");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_UNPIN_TABLE, mt_l3_mfn()), -RV_EBUSY, "unpin the current base");
    st = mt_stats();
    RVT_EXPECT_EQ(st.pinned, st0.pinned, "pinned at the end");
    RVT_EXPECT_EQ(st.pt_frames, st0.pt_frames, "pt_frames at the end");
}

static void self_and_bad_entries(void)
{
    struct rv_mem_stats st0 = mt_stats();
    uint32_t x = mt_alloc(), xm = mt_mfn_of(x);

    /* An L1 that maps itself writably: EBUSY. */
    ((mt_pte_t *)x)[9] = mt_pte(xm, MT_RW);
    mt_make_ro(x);
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L1_TABLE, xm), -RV_EBUSY, "L1 that maps itself writable");
    RVT_EXPECT_EQ(mt_stats().pt_frames, st0.pt_frames, "no table after the refusal");
    /* ... read-only: allowed. */
    mt_make_rw(x);
    ((mt_pte_t *)x)[9] = mt_pte(xm, MT_RO);
    mt_make_ro(x);
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L1_TABLE, xm), 0, "L1 that maps itself read-only");
    mt_unpin(xm);
    mt_make_rw(x);

    /* An L2 that refers to itself (as its own L1): EBUSY. */
    uint32_t y = mt_alloc(), ym = mt_mfn_of(y);
    ((mt_pte_t *)y)[3] = mt_pte(ym, MT_L2E);
    mt_make_ro(y);
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L2_TABLE, ym), -RV_EBUSY, "L2 that points at itself");
    /* An L3 whose slot 0 points at itself (slot 3 as in ours: see build_l3 for the mask). */
    uint32_t z = mt_alloc(), zm = mt_mfn_of(z);
    ((mt_pte_t *)z)[0] = mt_pte(zm, MT_L3E);
    ((mt_pte_t *)z)[3] = mt_read_slot(mt_l3_mfn(), 3) & RV_L3_ALLOWED;
    mt_make_ro(z);
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L3_TABLE, zm), -RV_EBUSY, "L3 that points at itself");

    /* Refused entries: the entry's own error, and nothing stays typed. */
    uint32_t b1 = table1(17, mt_pte(MT_MONITOR_MFN, MT_RO));
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L1_TABLE, mt_mfn_of(b1)), -RV_EPERM, "L1 mapping a monitor frame");
    uint32_t data = mt_alloc();
    uint32_t b2 = table1(17, mt_pte(mt_mfn_of(data), MT_RO | MT_PTE_G));
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L1_TABLE, mt_mfn_of(b2)), -RV_EINVAL, "L1 with a global entry");
    uint32_t b3 = table1(17, mt_pte(mt_l3_mfn(), MT_RW));
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L1_TABLE, mt_mfn_of(b3)), -RV_EBUSY, "L1 mapping the L3 writable");
    /* An L1 whose 2nd entry is bad, after a good writable one: the good one's reference is undone. */
    unsigned s2[2] = { 1, 2 };
    mt_pte_t v2[2] = { mt_pte(mt_mfn_of(data), MT_RW), mt_pte(MT_MONITOR_MFN, MT_RO) };
    uint32_t b4 = table_with(2, s2, v2);
    mt_make_ro(data);
    struct rv_mem_stats st1 = mt_stats();
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L1_TABLE, mt_mfn_of(b4)), -RV_EPERM, "L1 with a good then a bad entry");
    RVT_EXPECT_EQ(mt_stats().writable, st1.writable, "the good entry's writable reference was dropped");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L1_TABLE, mt_mfn_of(data)), 0,
                  "the frame the good entry mapped can become a table");
    mt_unpin(mt_mfn_of(data));
    /* An L2 whose L1 is bad: the recursive error. */
    uint32_t b5 = table1(4, mt_pte(mt_mfn_of(b1), MT_L2E));
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L2_TABLE, mt_mfn_of(b5)), -RV_EPERM, "L2 whose L1 maps a monitor frame");

    RVT_EXPECT_EQ(mt_stats().pt_frames, st0.pt_frames, "no refused table stayed a table");
    mt_make_rw(b1);
    mt_make_rw(b2);
    mt_make_rw(b3);
    mt_make_rw(b4);
    mt_make_rw(b5);
    mt_make_rw(y);
    mt_make_rw(z);
    mt_make_rw(data);
}

static void recursive_pin(void)
{
    struct rv_mem_stats st0 = mt_stats();
    uint32_t data = mt_alloc(), dm = mt_mfn_of(data);
    uint32_t w = table1(0, mt_pte(dm, MT_RW));
    uint32_t z = table1(7, mt_pte(mt_mfn_of(w), MT_L2E));

    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L2_TABLE, mt_mfn_of(z)), 0, "pin an L2 with one L1");
    struct rv_mem_stats st = mt_stats();
    RVT_EXPECT_EQ(st.pt_frames, st0.pt_frames + 2, "the L2 and its L1 are tables");
    RVT_EXPECT_EQ(st.pinned, st0.pinned + 1, "one pin");
    RVT_EXPECT_RC(mt_uvm(w, mt_pte(mt_mfn_of(w), MT_RW), RV_UVMF_INVLPG), -RV_EBUSY,
                  "the L1 under a pinned L2 cannot be made writable");
    mt_make_ro(data);
    RVT_EXPECT_EQ(mt_stats().writable, st.writable, "data is still mapped writable by the L1");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L1_TABLE, dm), -RV_EBUSY, "data, mapped writable by the L1, cannot be a table");
    mt_unpin(mt_mfn_of(z));
    st = mt_stats();
    RVT_EXPECT_EQ(st.pt_frames, st0.pt_frames, "unpinned: neither is a table");
    RVT_EXPECT_EQ(st.writable, st0.writable - 3, "data is no longer mapped writable");
    mt_make_rw(data);
    mt_make_rw(w);
    mt_make_rw(z);
}

/*
 * A copy of the current L3 (its L2s shared), slot 1 extra, slot 3 as given.
 * Only the bits a PDPTE may hold are copied: QEMU's TCG sets bit 5 (A) in
 * the live L3's entries, which PAE reserves (SDM Vol. 3A 4.4.1) and the
 * monitor rightly refuses.
 */
static uint32_t build_l3(mt_pte_t slot1, int with_slot3)
{
    uint32_t n = mt_alloc();
    uint32_t cur = mt_base_mfn();
    for (unsigned i = 0; i < 4; i++)
        ((mt_pte_t *)n)[i] = mt_read_slot(cur, i) & RV_L3_ALLOWED;
    if (slot1)
        ((mt_pte_t *)n)[1] = slot1;
    if (!with_slot3)
        ((mt_pte_t *)n)[3] = 0;
    mt_make_ro(n);
    return n;
}

/*
 * An L3 that was loaded and is now ordinary memory (writable va), made
 * ready to be validated again: QEMU's TCG sets bit 5 in loaded PDPTEs
 * (see build_l3), which would make it -RV_EINVAL.
 */
static void scrub_l3(uint32_t va)
{
    for (unsigned i = 0; i < 4; i++)
        ((mt_pte_t *)va)[i] &= RV_L3_ALLOWED;
    mt_make_ro(va);
}

static void l3_pins(void)
{
    struct rv_mem_stats st0 = mt_stats();
    uint32_t e = build_l3(0, 0);
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L3_TABLE, mt_mfn_of(e)), -RV_EINVAL, "pin an L3 without slot 3");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_NEW_BASEPTR, mt_mfn_of(e)), -RV_EINVAL, "NEW_BASEPTR to an L3 without slot 3");
    RVT_EXPECT_EQ(mt_stats().base_mfn, st0.base_mfn, "base unchanged");
    uint32_t n = build_l3(0, 1);
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L3_TABLE, mt_mfn_of(n)), 0, "pin an L3 sharing our L2s");
    RVT_EXPECT_EQ(mt_stats().pt_frames, st0.pt_frames + 1, "only the L3 is new");
    mt_unpin(mt_mfn_of(n));
    RVT_EXPECT_EQ(mt_stats().pt_frames, st0.pt_frames, "and it is gone again");
    mt_make_rw(e);
    mt_make_rw(n);
}

static void new_baseptr(void)
{
    struct rv_mem_stats st0 = mt_stats();
    uint32_t old = st0.base_mfn;
    uint32_t data = mt_alloc();
    mt_poke(data, 0xba5eba11);
    uint32_t k = table1(0, mt_pte(mt_mfn_of(data), MT_RO));
    uint32_t m = table1(0, mt_pte(mt_mfn_of(k), MT_L2E));
    uint32_t n = build_l3(mt_pte(mt_mfn_of(m), MT_L3E), 1);
    uint32_t nm = mt_mfn_of(n);

    RVT_EXPECT_TRUE(!mt_readable(MT_NO_L2_VA), "1 GiB unmapped in the old tables");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_NEW_BASEPTR, nm), 0, "NEW_BASEPTR to a new L3");
    struct rv_mem_stats st = mt_stats();
    RVT_EXPECT_EQ(st.base_mfn, nm, "memory_op reports the new base");
    RVT_EXPECT_EQ(st.pt_frames, st0.pt_frames + 3, "the new L3, L2 and L1 are tables");
    RVT_EXPECT_EQ(mt_peek(MT_NO_L2_VA), 0xba5eba11, "the new tables are loaded");
    /* update_va_mapping works on the current tables: the new L1 (k) has 1 GiB + 4 KiB. */
    RVT_EXPECT_RC(mt_uvm(MT_NO_L2_VA + RV_PAGE_SIZE, mt_pte(mt_mfn_of(data), MT_RO), RV_UVMF_INVLPG), 0,
                  "update_va_mapping of a VA only the new base maps");
    MT_EXPECT_EQ64(mt_read_slot(mt_mfn_of(k), 1), mt_pte(mt_mfn_of(data), MT_RO), "it wrote the new L1");
    RVT_EXPECT_EQ(mt_peek(MT_NO_L2_VA + RV_PAGE_SIZE), 0xba5eba11, "and maps through it");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_UNPIN_TABLE, nm), -RV_EINVAL, "unpin the (unpinned) new base");

    /* The old base keeps only its pin: unpinning it ends it as a table. */
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_UNPIN_TABLE, old), 0, "unpin the old base");
    RVT_EXPECT_EQ(mt_stats().pt_frames, st0.pt_frames + 2, "the old L3 is no longer a table");
    RVT_EXPECT_RC(mt_uvm(mt_va_of(old), mt_pte(old, MT_RW), RV_UVMF_INVLPG), 0,
                  "the old L3 can be mapped writable");
    scrub_l3(mt_va_of(old));

    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_NEW_BASEPTR, old), 0, "NEW_BASEPTR back to the old L3");
    st = mt_stats();
    RVT_EXPECT_EQ(st.base_mfn, old, "memory_op reports the old base");
    RVT_EXPECT_EQ(st.pt_frames, st0.pt_frames, "the new L3, L2, L1 are no longer tables");
    RVT_EXPECT_TRUE(!mt_readable(MT_NO_L2_VA), "1 GiB unmapped again");
    RVT_EXPECT_RC(mt_uvm(MT_NO_L2_VA + RV_PAGE_SIZE, 0, RV_UVMF_INVLPG), -RV_EINVAL,
                  "update_va_mapping of that VA in the old base (no L2)");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L3_TABLE, old), 0, "pin the old base again");
    RVT_EXPECT_EQ(mt_stats().pinned, st0.pinned, "pins as at the start");
    mt_make_rw(n);
    scrub_l3(n);

    /* A pinned L3 that is the current base cannot be unpinned. */
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L3_TABLE, nm), 0, "pin the new L3");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_NEW_BASEPTR, nm), 0, "switch to it");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_UNPIN_TABLE, nm), -RV_EBUSY, "unpin the current (pinned) base");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_NEW_BASEPTR, old), 0, "switch back");
    mt_unpin(nm);

    /* Refused bases. */
    uint32_t w = mt_alloc();
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_NEW_BASEPTR, mt_mfn_of(w)), -RV_EBUSY, "NEW_BASEPTR to a writable frame");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_NEW_BASEPTR, mt_l2_mfn(0)), -RV_EBUSY, "NEW_BASEPTR to an L2");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_NEW_BASEPTR, MT_MONITOR_MFN), -RV_EPERM, "NEW_BASEPTR to a monitor frame");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_NEW_BASEPTR, mt_first_mfn() - 1), -RV_EPERM, "NEW_BASEPTR to first_mfn - 1");
    RVT_EXPECT_EQ(mt_stats().base_mfn, old, "base unchanged by refusals");
    st = mt_stats();
    RVT_EXPECT_EQ(st.pt_frames, st0.pt_frames, "pt_frames at the end");
    RVT_EXPECT_EQ(st.pinned, st0.pinned, "pinned at the end");
    mt_make_rw(n);
    mt_make_rw(m);
    mt_make_rw(k);
}

static void flushes(void)
{
    uint32_t a = mt_alloc(), b = mt_alloc(), s = mt_scratch(0);
    uint64_t ptr = mt_l1e(s);
    mt_poke(a, 0xaaaaaaaa);
    mt_poke(b, 0xbbbbbbbb);

    mt_map(s, mt_mfn_of(a), MT_RO);
    RVT_EXPECT_EQ(mt_peek(s), 0xaaaaaaaa, "mapped A");
    RVT_REQUIRE_OK(mt_mmu1(ptr, mt_pte(mt_mfn_of(b), MT_RO)), "remap to B");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_TLB_FLUSH, 0), 0, "TLB_FLUSH");
    RVT_EXPECT_EQ(mt_peek(s), 0xbbbbbbbb, "B after TLB_FLUSH");
    RVT_REQUIRE_OK(mt_mmu1(ptr, mt_pte(mt_mfn_of(a), MT_RO)), "remap to A");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_TLB_FLUSH, RV_HOLE_START), 0, "TLB_FLUSH ignores its argument");
    RVT_EXPECT_EQ(mt_peek(s), 0xaaaaaaaa, "A after TLB_FLUSH");
    RVT_REQUIRE_OK(mt_mmu1(ptr, mt_pte(mt_mfn_of(b), MT_RO)), "remap to B");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_INVLPG, s), 0, "INVLPG");
    RVT_EXPECT_EQ(mt_peek(s), 0xbbbbbbbb, "B after INVLPG");
    RVT_REQUIRE_OK(mt_mmu1(ptr, mt_pte(mt_mfn_of(a), MT_RO)), "remap to A");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_INVLPG, s + 0xabc), 0, "INVLPG of an address inside the page");
    RVT_EXPECT_EQ(mt_peek(s), 0xaaaaaaaa, "A after INVLPG");
    mt_unmap(s);

    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_INVLPG, RV_HOLE_START), -RV_EINVAL, "INVLPG at the hole's start");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_INVLPG, 0xfc100000u), -RV_EINVAL, "INVLPG of the monitor image");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_INVLPG, 0xffffffffu), -RV_EINVAL, "INVLPG at 4 GiB - 1");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_INVLPG, RV_HOLE_START - 1), 0, "INVLPG of the guest's last byte");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_INVLPG, 0), 0, "INVLPG of 0");
}

static void calls(void)
{
    uint32_t a = mt_alloc_ro(), am = mt_mfn_of(a);
    uint32_t done;
    struct rv_mem_stats st0 = mt_stats();

    RVT_EXPECT_RC(mt_ext1(7, 0), -RV_ENOSYS, "cmd 7");
    RVT_EXPECT_RC(mt_ext1(8, am), -RV_ENOSYS, "cmd 8");
    RVT_EXPECT_RC(mt_ext1(0x100, 0), -RV_ENOSYS, "cmd 0x100");
    RVT_EXPECT_RC(mt_ext1(0xffffffffu, 0), -RV_ENOSYS, "cmd 0xffffffff");

    struct rv_mmuext_op ops[3] = {
        { RV_MMUEXT_PIN_L1_TABLE, am }, { RV_MMUEXT_PIN_L1_TABLE, am }, { RV_MMUEXT_UNPIN_TABLE, am },
    };
    done = 0xdeadbeef;
    RVT_EXPECT_RC(mt_ext(ops, 3, &done), -RV_EEXIST, "pin, pin again, unpin");
    RVT_EXPECT_EQ(done, 1, "done after a failure at the 2nd op");
    RVT_EXPECT_EQ(mt_stats().pinned, st0.pinned + 1, "the 1st op took effect, the 3rd did not run");
    done = 0xdeadbeef;
    RVT_EXPECT_RC(mt_ext(&ops[2], 1, &done), 0, "unpin");
    RVT_EXPECT_EQ(done, 1, "done after one op");
    struct rv_mmuext_op bad[2] = { { RV_MMUEXT_TLB_FLUSH, 0 }, { 9, 0 } };
    RVT_EXPECT_RC(mt_ext(bad, 2, &done), -RV_ENOSYS, "flush, then an unknown cmd");
    RVT_EXPECT_EQ(done, 1, "done before the unknown cmd");

    for (unsigned i = 0; i <= RV_MMUEXT_MAX; i++)
        many[i] = (struct rv_mmuext_op){ RV_MMUEXT_PIN_L1_TABLE, am };
    RVT_EXPECT_RC(mt_ext(many, RV_MMUEXT_MAX + 1, &done), -RV_E2BIG, "count 4097");
    RVT_EXPECT_RC(mt_ext(many, 0xffffffffu, &done), -RV_E2BIG, "count 0xffffffff");
    RVT_EXPECT_EQ(mt_stats().pinned, st0.pinned, "no op of a refused count ran");
    for (unsigned i = 0; i < RV_MMUEXT_MAX; i++)
        many[i] = (struct rv_mmuext_op){ RV_MMUEXT_INVLPG, i * RV_PAGE_SIZE };
    done = 0;
    RVT_EXPECT_RC(mt_ext(many, RV_MMUEXT_MAX, &done), 0, "count 4096");
    RVT_EXPECT_EQ(done, RV_MMUEXT_MAX, "done after 4096 ops");
    done = 0xdeadbeef;
    RVT_EXPECT_RC(mt_ext(many, 0, &done), 0, "count 0");
    RVT_EXPECT_EQ(done, 0, "done after count 0");

    /* Bad pointers. */
    uint32_t p = mt_alloc(), q = mt_alloc();
    if (q != p + RV_PAGE_SIZE)
        rvt_error("mt_alloc frames not contiguous");
    mt_unmap(q);
    RVT_EXPECT_RC(mt_ext(0, 1, &done), -RV_EFAULT, "ops = NULL");
    RVT_EXPECT_RC(mt_ext((void *)RV_HOLE_START, 1, &done), -RV_EFAULT, "ops in the hole");
    RVT_EXPECT_RC(mt_ext((void *)(RV_HOLE_START - 4), 1, &done), -RV_EFAULT, "ops crossing into the hole");
    RVT_EXPECT_RC(mt_ext((void *)q, 1, &done), -RV_EFAULT, "ops unmapped");
    struct rv_mmuext_op *o = (void *)(q - sizeof(*o));
    *o = (struct rv_mmuext_op){ RV_MMUEXT_PIN_L1_TABLE, am };
    done = 0xdeadbeef;
    RVT_EXPECT_RC(mt_ext(o, 2, &done), -RV_EFAULT, "2nd op unmapped");
    RVT_EXPECT_EQ(done, 1, "done when the 2nd op cannot be read");
    RVT_EXPECT_EQ(mt_stats().pinned, st0.pinned + 1, "the 1st op ran");
    mt_unpin(am);
    RVT_EXPECT_RC(mt_ext(ops, 0, (uint32_t *)RV_HOLE_START), -RV_EFAULT, "done in the hole");
    RVT_EXPECT_RC(mt_ext(ops, 0, (uint32_t *)q), -RV_EFAULT, "done unmapped");
    RVT_EXPECT_RC(mt_ext(ops, 0, (uint32_t *)rv_start_info->pt_base), -RV_EFAULT, "done read-only");
    mt_make_rw(q);
    mt_make_rw(a);
}

void test_main(void)
{
    mt_init();
    struct rv_mem_stats st0 = mt_stats();
    pin_unpin();
    self_and_bad_entries();
    recursive_pin();
    l3_pins();
    new_baseptr();
    flushes();
    calls();
    struct rv_mem_stats st = mt_stats();
    RVT_EXPECT_EQ(st.pinned, st0.pinned, "pins at the end as at the start");
    RVT_EXPECT_EQ(st.pt_frames, st0.pt_frames, "page tables at the end as at the start");
    rvt_success();
}
