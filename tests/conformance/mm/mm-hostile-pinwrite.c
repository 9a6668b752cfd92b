/* SPDX-License-Identifier: MIT */
/*
 * mm-hostile-pinwrite: a guest that tries to write into one of its page
 * tables after the monitor validated it.
 *
 *   - While any writable mapping of a frame exists (its own start-of-day
 *     one, or a second one at a scratch VA) the pin is refused (EBUSY).
 *   - The second mapping is then removed with update_va_mapping
 *     RV_UVMF_NONE, right after a write through it, so the TLB still holds
 *     the writable translation; the pin now succeeds, and the monitor must
 *     have flushed that translation (a frame becoming a table after being
 *     writable): the write through the old VA faults.
 *   - A pinned table cannot be mapped writable again, by update_va_mapping,
 *     mmu_update, or inside a new L1 that is pinned or installed.
 */
#include "mmtest.h"

static void write_entry(void *va)
{
    /* A present entry naming the monitor image, if it ever landed. */
    *(volatile uint64_t *)va = mt_pte(MT_MONITOR_MFN, MT_RW);
}

void test_main(void)
{
    mt_init();
    uint32_t t = mt_alloc(), tm = mt_mfn_of(t), s = mt_scratch(0);

    mt_map(s, tm, MT_RW);
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L1_TABLE, tm), -RV_EBUSY, "pin with two writable mappings");
    mt_make_ro(t);
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L1_TABLE, tm), -RV_EBUSY, "pin with one writable mapping left");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L2_TABLE, tm), -RV_EBUSY, "pin as L2 with a writable mapping");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_NEW_BASEPTR, tm), -RV_EBUSY, "NEW_BASEPTR with a writable mapping");

    /* Load the writable translation, then drop the mapping without a flush. */
    mt_poke(s + 8, 0);
    RVT_EXPECT_RC(mt_uvm(s, 0, RV_UVMF_NONE), 0, "unmap the 2nd mapping, no flush");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L1_TABLE, tm), 0, "pin once no writable mapping is left");
    RVT_EXPECT_TRUE(rvt_expect_fault(14, write_entry, (void *)(s + 8), 0),
                    "the write through the old writable VA faults (flushed at the pin)");
    MT_EXPECT_EQ64(mt_read_slot(tm, 1), 0, "the pinned table was not written");

    /* No new writable mapping of the pinned table, by any path. */
    RVT_EXPECT_RC(mt_uvm(s, mt_pte(tm, MT_RW), RV_UVMF_INVLPG), -RV_EBUSY, "update_va_mapping writable");
    RVT_EXPECT_RC(mt_uvm(t, mt_pte(tm, MT_RW), RV_UVMF_INVLPG), -RV_EBUSY, "its own VA writable again");
    RVT_EXPECT_RC(mt_mmu1(mt_l1e(s), mt_pte(tm, MT_RW)), -RV_EBUSY, "mmu_update writable");
    RVT_EXPECT_RC(mt_mmu1(mt_slot(tm, 0), mt_pte(tm, MT_RW)), -RV_EBUSY, "its own entry mapping it writable");
    uint32_t q = mt_alloc(), qm = mt_mfn_of(q);
    ((mt_pte_t *)q)[0] = mt_pte(tm, MT_RW);
    mt_make_ro(q);
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L1_TABLE, qm), -RV_EBUSY, "a new L1 mapping it writable, pinned");
    uint32_t l2 = mt_l2_mfn(0), slot = (MT_FREE_L2_VA >> 21) & 511;
    RVT_EXPECT_RC(mt_mmu1(mt_slot(l2, slot), mt_pte(qm, MT_L2E)), -RV_EBUSY,
                  "a new L1 mapping it writable, installed");
    mt_flush();
    RVT_EXPECT_TRUE(!mt_readable(MT_FREE_L2_VA), "nothing installed");
    RVT_EXPECT_TRUE(!mt_writable(t), "the table stayed read-only");

    /* Read-only is fine, and the ordinary way back works. */
    RVT_EXPECT_RC(mt_uvm(s, mt_pte(tm, MT_RO), RV_UVMF_INVLPG), 0, "a read-only 2nd mapping");
    mt_unmap(s);
    mt_unpin(tm);
    mt_make_rw(t);
    mt_make_rw(q);
    rvt_success();
}
