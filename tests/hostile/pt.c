/* SPDX-License-Identifier: MIT */
/*
 * tests/hostile/pt.c: page-table attacks the mm-hostile-* tests
 * (tests/conformance/mm) leave out.
 *   - device and firmware frames: VGA memory (0xa0), option and BIOS ROMs
 *     (0xc0, 0xf0), the I/O APIC (0xfec00), the local APIC (0xfee00), the
 *     top of 4 GiB (0xfffff) and a frame above it: never ours, -EPERM,
 *     read-only or writable, as an L1 entry or as a table
 *   - recursive mappings: an L2 entry naming the L2 itself (a table of
 *     the wrong level, -EBUSY) and an L1 entry mapping its own L1 writable
 *   - unpinning in use: the current base (-EBUSY), a table never pinned
 *     (-EINVAL); pinning twice (-EEXIST); NEW_BASEPTR to an L2
 *   - reference counts: one frame mapped read-only from all 512 slots of
 *     an L1, the L1 pinned, unpinned and remapped 64 times; the frame must
 *     still be an ordinary writable page afterwards, and the counters of
 *     memory_op STATS back where they were
 */
#include "../conformance/mm/mmtest.h"

static void device_frames(void)
{
    static const uint32_t mfns[] = { 0xa0, 0xb8, 0xc0, 0xf0, 0xff, 0xfec00, 0xfee00, 0xfffff, 0x100000, 0xffffff };
    uint32_t va = mt_scratch(0), l2 = mt_l2_mfn(va >> 30);
    for (unsigned i = 0; i < sizeof mfns / sizeof mfns[0]; i++) {
        RVT_EXPECT_RC(mt_uvm(va, mt_pte(mfns[i], MT_RO), RV_UVMF_INVLPG), -RV_EPERM, "map a device frame read-only");
        RVT_EXPECT_RC(mt_uvm(va, mt_pte(mfns[i], MT_RW | RV_PTE_PCD), RV_UVMF_INVLPG), -RV_EPERM,
                      "map a device frame writable, uncached");
        RVT_EXPECT_RC(mt_mmu1(mt_slot(l2, 400), mt_pte(mfns[i], MT_L2E)), -RV_EPERM, "a device frame as an L1");
        RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L1_TABLE, mfns[i]), -RV_EPERM, "pin a device frame");
    }
    rvt_log("%u device and firmware frames: -EPERM four ways each", (unsigned)(sizeof mfns / sizeof mfns[0]));
}

static void recursive(void)
{
    uint32_t l2 = mt_l2_mfn(0), l1 = mt_pte_mfn(mt_read_slot(l2, (rv_start_info->virt_base >> 21) & 511));
    RVT_EXPECT_RC(mt_mmu1(mt_slot(l2, 401), mt_pte(l2, MT_L2E)), -RV_EBUSY, "an L2 entry naming its own L2");
    RVT_EXPECT_RC(mt_mmu1(mt_slot(l1, 511), mt_pte(l1, MT_RW)), -RV_EBUSY, "an L1 mapping itself writable");
    RVT_EXPECT_RC(mt_mmu1(mt_slot(l2, 402), mt_pte(mt_l3_mfn(), MT_L2E)), -RV_EBUSY, "the L3 as an L1");
    MT_EXPECT_EQ64(mt_read_slot(l2, 401), 0, "the refused slot stays empty");
}

static void pins(void)
{
    uint32_t base = mt_base_mfn(), l2 = mt_l2_mfn(0);
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_UNPIN_TABLE, base), -RV_EBUSY, "unpin the current base");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L3_TABLE, base), -RV_EEXIST, "pin the base twice");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_UNPIN_TABLE, l2), -RV_EINVAL, "unpin an L2 never pinned");
    long r = mt_ext1(RV_MMUEXT_NEW_BASEPTR, l2);
    if (r != -RV_EBUSY && r != -RV_EINVAL)
        rvt_failure("NEW_BASEPTR to an L2: %s, expected -EBUSY or -EINVAL", rv_errname(r));
    RVT_EXPECT_EQ(mt_base_mfn(), base, "the base after refused NEW_BASEPTRs");
}

static void counts(void)
{
    struct rv_mem_stats s0 = mt_stats();
    uint32_t target = mt_alloc(), l1va = mt_alloc();
    uint32_t tmfn = mt_mfn_of(target), l1 = mt_mfn_of(l1va);
    for (unsigned i = 0; i < 512; i++)
        ((mt_pte_t *)l1va)[i] = mt_pte(tmfn, MT_RO);
    mt_make_ro(l1va);
    for (int round = 0; round < 64; round++) {
        mt_pin(RV_MMUEXT_PIN_L1_TABLE, l1);
        RVT_EXPECT_RC(mt_uvm(target, mt_pte(tmfn, MT_RW), RV_UVMF_INVLPG), 0, "target stays writable-mappable");
        /* ...but not while it is writable: then the L1 naming it read-only is still fine. */
        mt_unpin(l1);
    }
    mt_make_rw(l1va);
    memset((void *)l1va, 0, RV_PAGE_SIZE);
    mt_poke(target, 0x1234);
    RVT_EXPECT_EQ(mt_peek(target), 0x1234, "the target is an ordinary page again");
    struct rv_mem_stats s1 = mt_stats();
    RVT_EXPECT_EQ(s1.pt_frames, s0.pt_frames, "page-table frames after 64 pin/unpin rounds");
    RVT_EXPECT_EQ(s1.pinned, s0.pinned, "pins after 64 rounds");
    rvt_log("512 read-only mappings of one frame, pinned and unpinned 64 times: counts back");
}

void test_main(void)
{
    mt_init();
    device_frames();
    recursive();
    pins();
    counts();
    rvt_success();
}
