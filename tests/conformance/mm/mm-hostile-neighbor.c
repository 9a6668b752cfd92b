/* SPDX-License-Identifier: MIT */
/*
 * mm-hostile-neighbor: a guest that tries to read or write other domains'
 * memory by mapping their frames.  Domains get contiguous runs of frames,
 * so the mm-witness of the same boot sits just below or just above this
 * guest's range: the frames right outside it are tried at every level
 * (leaf read-only and writable, L1, L2, L3, pin, NEW_BASEPTR, and as the
 * table an mmu_update writes into).  Then every frame number from 0 up to
 * well past the end of RAM that is not ours is offered as a read-only leaf
 * (one request per call, so each is judged on its own).  Everything must
 * be -RV_EPERM.  A mapping that is granted is reported after writing a
 * marker through it when it is writable, so the witness sees it too.
 */
#include "mmtest.h"

#define NEAR 64               /* frames tried at every level on each side */
#define SWEEP_PAST 0x2000u    /* frames swept past our own range (32 MiB: past the end of RAM) */

static _Noreturn void breach(uint32_t va, uint32_t mfn, const char *how, int writable)
{
    mt_flush();
    uint32_t w = mt_readable(va) ? mt_peek(va) : 0;
    if (writable && mt_writable(va))
        mt_poke(va, 0xbad0bad0);
    rvt_failure("%s: foreign mfn 0x%x mapped at 0x%x (first word was 0x%08x)", how, mfn, va, w);
}

static uint32_t shared_mfn;

static int ours(uint32_t mfn)
{
    return mt_owns(mfn) || mfn == shared_mfn;
}

static void every_level(uint32_t mfn, uint32_t s)
{
    uint64_t ptr = mt_l1e(s);
    uint32_t l2 = mt_l2_mfn(0), slot = (MT_FREE_L2_VA >> 21) & 511, l3 = mt_base_mfn();
    long rc;

    if (ours(mfn))
        return;
    if ((rc = mt_mmu1(ptr, mt_pte(mfn, MT_RW))) == 0)
        breach(s, mfn, "mmu_update writable", 1);
    RVT_EXPECT_RC(rc, -RV_EPERM, "map a neighbour's frame writable");
    if ((rc = mt_uvm(s, mt_pte(mfn, MT_RO), RV_UVMF_INVLPG)) == 0)
        breach(s, mfn, "update_va_mapping read-only", 0);
    RVT_EXPECT_RC(rc, -RV_EPERM, "map a neighbour's frame read-only");
    if ((rc = mt_mmu1(mt_slot(l2, slot), mt_pte(mfn, MT_L2E))) == 0)
        breach(MT_FREE_L2_VA, mfn, "L2 entry -> a neighbour's frame", 0);
    RVT_EXPECT_RC(rc, -RV_EPERM, "L2 entry -> a neighbour's frame");
    if ((rc = mt_mmu1(mt_slot(l3, 1), mt_pte(mfn, MT_L3E))) == 0)
        breach(MT_NO_L2_VA, mfn, "L3 slot -> a neighbour's frame", 0);
    RVT_EXPECT_RC(rc, -RV_EPERM, "L3 slot 1 -> a neighbour's frame");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L1_TABLE, mfn), -RV_EPERM, "pin a neighbour's frame (L1)");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L2_TABLE, mfn), -RV_EPERM, "pin a neighbour's frame (L2)");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L3_TABLE, mfn), -RV_EPERM, "pin a neighbour's frame (L3)");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_UNPIN_TABLE, mfn), -RV_EPERM, "unpin a neighbour's frame");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_NEW_BASEPTR, mfn), -RV_EPERM, "NEW_BASEPTR to a neighbour's frame");
    /* Its page tables, if this is one of them: written through mmu_update. */
    RVT_EXPECT_RC(mt_mmu1(mt_slot(mfn, 0), mt_pte(mt_first_mfn(), MT_RW)), -RV_EPERM,
                  "mmu_update into a neighbour's frame, naming our frame");
    RVT_EXPECT_RC(mt_mmu1(mt_slot(mfn, 3), 0), -RV_EPERM, "mmu_update clearing a neighbour's entry");
}

void test_main(void)
{
    mt_init();
    uint32_t s = mt_scratch(0), first = mt_first_mfn(), end = first + mt_nr_pages();
    uint64_t ptr = mt_l1e(s);
    uint32_t tried = 0;

    shared_mfn = mt_shared_mfn();

    rvt_log("own frames 0x%x-0x%x, shared_info 0x%x", first, end - 1, mt_shared_mfn());
    for (uint32_t i = 1; i <= NEAR; i++) {
        every_level(first - i, s);
        every_level(end - 1 + i, s);
    }
    /* The sweep: every frame that is not ours, as a read-only leaf. */
    uint32_t limit = end + SWEEP_PAST;
    for (uint32_t mfn = 0; mfn < limit; mfn++) {
        if (ours(mfn))
            continue;
        long rc = mt_mmu1(ptr, mt_pte(mfn, MT_RO));
        if (rc == 0)
            breach(s, mfn, "sweep", 0);
        if (rc != -RV_EPERM)
            rvt_failure("mapping foreign mfn 0x%x: %s, expected -EPERM", mfn, rv_errname(rc));
        tried++;
    }
    MT_EXPECT_EQ64(mt_get_pte(s), 0, "nothing mapped at the end");
    RVT_EXPECT_EQ(mt_stats().base_mfn, mt_l3_mfn(), "base unchanged");
    rvt_log("%u frames near ours refused at every level, %u frames 0x0-0x%x refused as leaves",
            2 * NEAR, tried, limit - 1);
    rvt_success();
}
