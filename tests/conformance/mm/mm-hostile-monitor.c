/* SPDX-License-Identifier: MIT */
/*
 * mm-hostile-monitor: a guest that tries to reach the monitor's memory
 * through its own page tables.  The monitor image is at 1 MiB (mfns
 * 0x100 ..); the guest asks for each of those frames, and the low frames
 * below them, at every level: as a leaf (mmu_update and
 * update_va_mapping, read-only and writable), as an L1 (an L2 entry), an
 * L2 (an L3 slot), an L3 (pin, NEW_BASEPTR), and as the table an
 * mmu_update writes into.  It also tries to take over the monitor's slots
 * of its top L2 (480-511).  Every attempt must be -RV_EPERM and leave
 * nothing behind; a mapping that is granted is read once (never written:
 * that would take the boot down) and reported.
 */
#include "mmtest.h"

static struct rv_mmu_update batch[256];

static _Noreturn void breach(uint32_t va, uint32_t mfn, const char *how)
{
    mt_flush();
    rvt_failure("%s: mfn 0x%x is mapped at 0x%x (first word 0x%08x)", how, mfn, va,
                mt_readable(va) ? mt_peek(va) : 0);
}

static void leaves(uint32_t s)
{
    uint64_t ptr = mt_l1e(s);
    for (uint32_t mfn = 0; mfn < 0x200; mfn++) {
        if (mfn == mt_shared_mfn())
            continue;
        long rc = mt_mmu1(ptr, mt_pte(mfn, MT_RW));
        if (rc == 0)
            breach(s, mfn, "mmu_update writable");
        RVT_EXPECT_RC(rc, -RV_EPERM, "mmu_update: a writable mapping of a monitor frame");
        rc = mt_mmu1(ptr, mt_pte(mfn, MT_RO));
        if (rc == 0)
            breach(s, mfn, "mmu_update read-only");
        RVT_EXPECT_RC(rc, -RV_EPERM, "mmu_update: a read-only mapping of a monitor frame");
        rc = mt_uvm(s, mt_pte(mfn, MT_RW), RV_UVMF_INVLPG);
        if (rc == 0)
            breach(s, mfn, "update_va_mapping writable");
        RVT_EXPECT_RC(rc, -RV_EPERM, "update_va_mapping of a monitor frame");
    }
    /* One batch: the first request already fails. */
    for (unsigned i = 0; i < 256; i++)
        batch[i] = (struct rv_mmu_update){ .ptr = ptr, .val = mt_pte(0x100 + i, MT_RW) };
    uint32_t done = 0xdeadbeef;
    RVT_EXPECT_RC(mt_mmu(batch, 256, &done), -RV_EPERM, "a batch mapping 0x100-0x1ff");
    RVT_EXPECT_EQ(done, 0, "done after the batch");
    MT_EXPECT_EQ64(mt_get_pte(s), 0, "nothing was mapped");
}

static void tables(void)
{
    uint32_t l2 = mt_l2_mfn(0), slot = (MT_FREE_L2_VA >> 21) & 511, l3 = mt_base_mfn();
    for (uint32_t mfn = 0x100; mfn < 0x200; mfn++) {
        if (mfn == mt_shared_mfn())
            continue;
        long rc = mt_mmu1(mt_slot(l2, slot), mt_pte(mfn, MT_L2E));
        if (rc == 0)
            breach(MT_FREE_L2_VA, mfn, "L2 entry -> a monitor frame as L1");
        RVT_EXPECT_RC(rc, -RV_EPERM, "L2 entry -> a monitor frame");
        rc = mt_mmu1(mt_slot(l3, 1), mt_pte(mfn, MT_L3E));
        if (rc == 0)
            breach(MT_NO_L2_VA, mfn, "L3 slot -> a monitor frame as L2");
        RVT_EXPECT_RC(rc, -RV_EPERM, "L3 slot 1 -> a monitor frame");
        RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L1_TABLE, mfn), -RV_EPERM, "pin a monitor frame as L1");
        RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L2_TABLE, mfn), -RV_EPERM, "pin a monitor frame as L2");
        RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L3_TABLE, mfn), -RV_EPERM, "pin a monitor frame as L3");
        RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_UNPIN_TABLE, mfn), -RV_EPERM, "unpin a monitor frame");
        RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_NEW_BASEPTR, mfn), -RV_EPERM, "NEW_BASEPTR to a monitor frame");
        /* Writing into the monitor's frame as if it were a page table. */
        RVT_EXPECT_RC(mt_mmu1(mt_slot(mfn, 0), 0), -RV_EPERM, "mmu_update with ptr in a monitor frame");
        RVT_EXPECT_RC(mt_mmu1(mt_slot(mfn, 511), mt_pte(mt_first_mfn(), MT_RW)), -RV_EPERM,
                      "mmu_update with ptr in a monitor frame, a value naming our own frame");
    }
    RVT_EXPECT_EQ(mt_stats().base_mfn, l3, "base unchanged");
}

/* The hole's L2 slots: the monitor's entries, never the guest's. */
static void hole_slots(void)
{
    uint32_t top = mt_l2_mfn(3), l1 = mt_alloc_ro();
    mt_pte_t saved[32];
    for (unsigned i = 0; i < 32; i++)
        saved[i] = mt_read_slot(top, RV_L2_HOLE_FIRST + i);
    for (unsigned i = RV_L2_HOLE_FIRST; i < 512; i++) {
        RVT_EXPECT_RC(mt_mmu1(mt_slot(top, i), mt_pte(mt_mfn_of(l1), MT_L2E)), -RV_EPERM,
                      "a hole slot of the top L2 -> an own L1");
        RVT_EXPECT_RC(mt_mmu1(mt_slot(top, i), 0), -RV_EPERM, "clearing a hole slot of the top L2");
        RVT_EXPECT_RC(mt_mmu1(mt_slot(top, i), saved[i - RV_L2_HOLE_FIRST]), -RV_EPERM,
                      "rewriting a hole slot with its own value");
    }
    for (unsigned i = 0; i < 32; i++)
        MT_EXPECT_EQ64(mt_read_slot(top, RV_L2_HOLE_FIRST + i), saved[i], "hole slot unchanged");
    /* update_va_mapping of a hole address never reaches the monitor's L1s. */
    RVT_EXPECT_RC(mt_uvm(0xff000000u, mt_pte(mt_mfn_of(l1), MT_RW), RV_UVMF_INVLPG), -RV_EINVAL,
                  "update_va_mapping of the monitor's frame window");
    RVT_EXPECT_RC(mt_uvm(RV_HOLE_START, 0, RV_UVMF_INVLPG), -RV_EINVAL, "update_va_mapping of the hole");
}

void test_main(void)
{
    mt_init();
    uint32_t s = mt_scratch(0);
    leaves(s);
    tables();
    hole_slots();
    rvt_log("0x200 frames from mfn 0 and the 32 hole slots refused at every level");
    rvt_success();
}
