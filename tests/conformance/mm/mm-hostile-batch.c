/* SPDX-License-Identifier: MIT */
/*
 * mm-hostile-batch: on one CPU with a monitor that is never preempted there
 * is no race between validating a table and mapping it; the nearest thing
 * is one mmu_update batch that does both.  Each request must be judged
 * against the state the previous ones left:
 *   - [make F an L1 (L2 entry), map F writable]   -> EBUSY at the 2nd, done 1
 *   - [map F writable, make F an L1]               -> EBUSY at the 2nd, done 1
 *   - [make F an L1, write F's own entry mapping F writable] -> EBUSY, done 1
 *   - the same pair split across mmuext_op: [pin F] then a batch mapping it.
 * After each, F is exactly one thing, and nothing writable reaches a table.
 */
#include "mmtest.h"

void test_main(void)
{
    mt_init();
    struct rv_mem_stats st0 = mt_stats();
    uint32_t f = mt_alloc_ro(), fm = mt_mfn_of(f), s = mt_scratch(0);
    uint32_t l2 = mt_l2_mfn(0), slot = (MT_FREE_L2_VA >> 21) & 511;
    uint64_t l2e = mt_slot(l2, slot), l1e = mt_l1e(s);
    uint32_t done;

    struct rv_mmu_update table_then_map[2] = {
        { l2e, mt_pte(fm, MT_L2E) },
        { l1e, mt_pte(fm, MT_RW) },
    };
    done = 0xdeadbeef;
    RVT_EXPECT_RC(mt_mmu(table_then_map, 2, &done), -RV_EBUSY, "[F becomes an L1, map F writable]");
    RVT_EXPECT_EQ(done, 1, "done");
    RVT_EXPECT_EQ(mt_stats().pt_frames, st0.pt_frames + 1, "F is an L1");
    MT_EXPECT_EQ64(mt_get_pte(s), 0, "no writable mapping of F");
    mt_flush();
    RVT_EXPECT_TRUE(!mt_readable(s), "s maps nothing");
    RVT_REQUIRE_OK(mt_mmu1(l2e, 0), "take F out of the L2");
    RVT_EXPECT_EQ(mt_stats().pt_frames, st0.pt_frames, "F is no table");

    struct rv_mmu_update map_then_table[2] = {
        { l1e, mt_pte(fm, MT_RW) },
        { l2e, mt_pte(fm, MT_L2E) },
    };
    done = 0xdeadbeef;
    RVT_EXPECT_RC(mt_mmu(map_then_table, 2, &done), -RV_EBUSY, "[map F writable, F becomes an L1]");
    RVT_EXPECT_EQ(done, 1, "done");
    RVT_EXPECT_EQ(mt_stats().pt_frames, st0.pt_frames, "F is not a table");
    MT_EXPECT_EQ64(mt_read_slot(l2, slot), 0, "the L2 slot stayed empty");
    mt_flush();
    mt_poke(s, 0x600d);
    RVT_EXPECT_EQ(mt_peek(f), 0x600d, "F is an ordinary writable page");
    mt_poke(s, 0);
    RVT_REQUIRE_OK(mt_mmu1(l1e, 0), "unmap s");
    mt_flush();

    struct rv_mmu_update table_then_self[2] = {
        { l2e, mt_pte(fm, MT_L2E) },
        { mt_slot(fm, 7), mt_pte(fm, MT_RW) },
    };
    done = 0xdeadbeef;
    RVT_EXPECT_RC(mt_mmu(table_then_self, 2, &done), -RV_EBUSY, "[F becomes an L1, F maps itself writable]");
    RVT_EXPECT_EQ(done, 1, "done");
    MT_EXPECT_EQ64(mt_read_slot(fm, 7), 0, "F's entry not written");
    RVT_EXPECT_TRUE(!mt_writable(MT_FREE_L2_VA + 7 * RV_PAGE_SIZE), "F not writable through itself");
    RVT_REQUIRE_OK(mt_mmu1(l2e, 0), "take F out of the L2");

    /* Pin first (mmuext_op), then a batch whose 2nd request maps it. */
    mt_pin(RV_MMUEXT_PIN_L1_TABLE, fm);
    uint32_t g = mt_alloc();
    struct rv_mmu_update after_pin[2] = {
        { l1e, mt_pte(mt_mfn_of(g), MT_RW) },
        { l1e, mt_pte(fm, MT_RW) },
    };
    done = 0xdeadbeef;
    RVT_EXPECT_RC(mt_mmu(after_pin, 2, &done), -RV_EBUSY, "[map G, map pinned F writable]");
    RVT_EXPECT_EQ(done, 1, "done");
    MT_EXPECT_EQ64(mt_get_pte(s), mt_pte(mt_mfn_of(g), MT_RW), "s maps G, the 1st request");
    RVT_REQUIRE_OK(mt_mmu1(l1e, 0), "unmap s");
    mt_unpin(fm);
    mt_make_rw(f);
    struct rv_mem_stats st = mt_stats();
    RVT_EXPECT_EQ(st.pt_frames, st0.pt_frames, "page tables as at the start");
    RVT_EXPECT_EQ(st.pinned, st0.pinned, "pins as at the start");
    RVT_EXPECT_EQ(st.writable, st0.writable, "writable frames as at the start");
    rvt_success();
}
