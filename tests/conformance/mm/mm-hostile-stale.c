/* SPDX-License-Identifier: MIT */
/*
 * mm-hostile-stale: a guest that tries to keep a mapping alive after the
 * monitor has stopped counting it.
 *
 * An L1 (L) maps a data frame (X) writable; L is pinned and installed in
 * an L2 slot, and X is touched through it so the TLB holds the
 * translation.  Then:
 *   - unpinning L while the L2 still refers to it leaves it a table (it
 *     cannot be made writable);
 *   - after the L2 slot is cleared (no flush by the guest) and L unpinned,
 *     L stops being a table: the monitor must flush the TLB then (ABI
 *     "UNPIN_TABLE ... the TLB is flushed"), so the old VA faults, and X
 *     has no writable reference left: it can become a page table;
 *   - L, now ordinary memory that the guest rewrites to map the monitor,
 *     cannot be put back in the L2 (its entries are validated again), and
 *     its old entry for X, now a table, makes it -RV_EBUSY.
 */
#include "mmtest.h"

static void write_word(void *va)
{
    *(volatile uint32_t *)va = 0x57a1e000; /* even: never a present entry */
}

void test_main(void)
{
    mt_init();
    struct rv_mem_stats st0 = mt_stats();
    uint32_t x = mt_alloc(), xm = mt_mfn_of(x);
    mt_poke(x, 0x0f00d000);
    mt_make_ro(x); /* from now on L's entry is X's only writable mapping */

    uint32_t l = mt_alloc(), lm = mt_mfn_of(l);
    ((mt_pte_t *)l)[0] = mt_pte(xm, MT_RW);
    mt_make_ro(l);
    uint32_t l2 = mt_l2_mfn(0), slot = (MT_FREE_L2_VA >> 21) & 511;
    uint32_t r = MT_FREE_L2_VA; /* X through L */

    mt_pin(RV_MMUEXT_PIN_L1_TABLE, lm);
    RVT_REQUIRE_OK(mt_mmu1(mt_slot(l2, slot), mt_pte(lm, MT_L2E)), "install L in the L2");
    mt_flush();
    RVT_EXPECT_EQ(mt_peek(r), 0x0f00d000, "X through L");
    mt_poke(r, 0x0beef000); /* the TLB now holds a writable translation of r */
    RVT_EXPECT_EQ(mt_peek(x), 0x0beef000, "the write reached X");

    /* Unpinned but still referenced: still a table. */
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_UNPIN_TABLE, lm), 0, "unpin L while the L2 refers to it");
    RVT_EXPECT_RC(mt_uvm(l, mt_pte(lm, MT_RW), RV_UVMF_INVLPG), -RV_EBUSY,
                  "make L writable while the L2 still refers to it");
    RVT_EXPECT_EQ(mt_peek(r), 0x0beef000, "r still maps X");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L1_TABLE, xm), -RV_EBUSY, "X, mapped writable by L, cannot be a table");

    /* Pin again, remove from the L2 without a flush, unpin: L is no table now. */
    mt_pin(RV_MMUEXT_PIN_L1_TABLE, lm);
    RVT_REQUIRE_OK(mt_mmu1(mt_slot(l2, slot), 0), "remove L from the L2 (no flush)");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_UNPIN_TABLE, lm), 0, "unpin L, now referenced by nothing");
    RVT_EXPECT_EQ(mt_stats().pt_frames, st0.pt_frames, "L is no longer a page table");
    RVT_EXPECT_TRUE(rvt_expect_fault(14, write_word, (void *)r, 0),
                    "writing through the old VA faults (the TLB was flushed at the unpin)");
    RVT_EXPECT_EQ(mt_peek(x), 0x0beef000, "X not written through a stale translation");
    RVT_EXPECT_TRUE(!mt_readable(r), "reading through the old VA faults");

    /* X's writable reference went with L: X can become a table. */
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L1_TABLE, xm), 0, "pin X as an L1 once L is gone");

    /* L is ordinary memory again: the guest rewrites it to reach the monitor. */
    RVT_EXPECT_RC(mt_uvm(l, mt_pte(lm, MT_RW), RV_UVMF_INVLPG), 0, "L can be made writable");
    ((mt_pte_t *)l)[1] = mt_pte(MT_MONITOR_MFN, MT_RW);
    mt_make_ro(l);
    RVT_EXPECT_RC(mt_mmu1(mt_slot(l2, slot), mt_pte(lm, MT_L2E)), -RV_EBUSY,
                  "L back in the L2, its old entry mapping X (now a table) writable");
    mt_make_rw(l);
    ((mt_pte_t *)l)[0] = 0;
    mt_make_ro(l);
    RVT_EXPECT_RC(mt_mmu1(mt_slot(l2, slot), mt_pte(lm, MT_L2E)), -RV_EPERM,
                  "L back in the L2, its new entry mapping the monitor");
    MT_EXPECT_EQ64(mt_read_slot(l2, slot), 0, "the L2 slot stayed empty");
    mt_flush();
    RVT_EXPECT_TRUE(!mt_readable(r + RV_PAGE_SIZE), "no monitor frame mapped");

    mt_unpin(xm);
    mt_make_rw(l);
    mt_make_rw(x);
    struct rv_mem_stats st = mt_stats();
    RVT_EXPECT_EQ(st.pt_frames, st0.pt_frames, "page tables as at the start");
    RVT_EXPECT_EQ(st.pinned, st0.pinned, "pins as at the start");
    rvt_success();
}
