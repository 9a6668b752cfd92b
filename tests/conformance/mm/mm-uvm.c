/* SPDX-License-Identifier: MIT */
/*
 * mm-uvm: hypercall 13, update_va_mapping(va, low, high, flags).
 *
 * It writes the L1 entry that maps va in the current tables: each flag
 * (NONE, INVLPG, TLB_FLUSH: the flushing ones with an observable effect, a
 * translation the TLB held is replaced), flags > 2, va in the hole, va
 * with no L2 or no L1 (EINVAL), the errors it shares with mmu_update
 * (EPERM, EBUSY, EINVAL for refused bits, also in the high word), and an
 * unaligned va meaning its page.
 */
#include "mmtest.h"

static void flags(void)
{
    uint32_t a = mt_alloc(), b = mt_alloc(), s = mt_scratch(0), t = mt_scratch(1);
    uint32_t am = mt_mfn_of(a), bm = mt_mfn_of(b);
    mt_poke(a, 0xaaaaaaaa);
    mt_poke(b, 0xbbbbbbbb);

    RVT_EXPECT_RC(mt_uvm(s, mt_pte(am, MT_RO), RV_UVMF_NONE), 0, "flags NONE");
    MT_EXPECT_EQ64(mt_get_pte(s), mt_pte(am, MT_RO), "the entry written (NONE)");
    mt_invlpg(s);
    RVT_EXPECT_EQ(mt_peek(s), 0xaaaaaaaa, "A mapped");
    RVT_EXPECT_RC(mt_uvm(s, mt_pte(bm, MT_RO), RV_UVMF_INVLPG), 0, "flags INVLPG");
    RVT_EXPECT_EQ(mt_peek(s), 0xbbbbbbbb, "B seen at once after INVLPG");
    RVT_EXPECT_RC(mt_uvm(s, mt_pte(am, MT_RO), RV_UVMF_TLB_FLUSH), 0, "flags TLB_FLUSH");
    RVT_EXPECT_EQ(mt_peek(s), 0xaaaaaaaa, "A seen at once after TLB_FLUSH");

    /* TLB_FLUSH flushes everything: t's change (made without a flush) shows too. */
    mt_map(t, am, MT_RO);
    RVT_EXPECT_EQ(mt_peek(t), 0xaaaaaaaa, "A at t");
    RVT_REQUIRE_OK(mt_mmu1(mt_l1e(t), mt_pte(bm, MT_RO)), "remap t to B without a flush");
    RVT_EXPECT_RC(mt_uvm(s, mt_pte(am, MT_RW), RV_UVMF_TLB_FLUSH), 0, "TLB_FLUSH through another VA");
    RVT_EXPECT_EQ(mt_peek(t), 0xbbbbbbbb, "t's new mapping seen after the full flush");
    mt_poke(s, 0xa0a0a0a0);
    RVT_EXPECT_EQ(mt_peek(a), 0xa0a0a0a0, "write through a writable mapping made by update_va_mapping");

    /* Refused flags: nothing is written. */
    mt_pte_t before = mt_get_pte(s);
    RVT_EXPECT_RC(mt_uvm(s, mt_pte(bm, MT_RO), 3), -RV_EINVAL, "flags 3");
    RVT_EXPECT_RC(mt_uvm(s, mt_pte(bm, MT_RO), 4), -RV_EINVAL, "flags 4");
    RVT_EXPECT_RC(mt_uvm(s, mt_pte(bm, MT_RO), 0xffffffffu), -RV_EINVAL, "flags 0xffffffff");
    MT_EXPECT_EQ64(mt_get_pte(s), before, "no entry written with refused flags");

    /* va names the page it is in. */
    RVT_EXPECT_RC(mt_uvm(s + 0xff8, mt_pte(bm, MT_RO), RV_UVMF_INVLPG), 0, "va not page aligned");
    MT_EXPECT_EQ64(mt_get_pte(s), mt_pte(bm, MT_RO), "the entry of the page holding va");
    RVT_EXPECT_EQ(mt_peek(s), 0xbbbbbbbb, "B mapped through an unaligned va");
    mt_unmap(s);
    mt_unmap(t);
}

static void bad_va(void)
{
    uint32_t a = mt_alloc();
    mt_pte_t e = mt_pte(mt_mfn_of(a), MT_RO);

    RVT_EXPECT_RC(mt_uvm(RV_HOLE_START, e, RV_UVMF_INVLPG), -RV_EINVAL, "va at the hole's start");
    RVT_EXPECT_RC(mt_uvm(0xfc100000u, e, RV_UVMF_INVLPG), -RV_EINVAL, "va of the monitor image");
    RVT_EXPECT_RC(mt_uvm(0xfffff000u, e, RV_UVMF_NONE), -RV_EINVAL, "va of the last page");
    RVT_EXPECT_RC(mt_uvm(0xffffffffu, 0, RV_UVMF_NONE), -RV_EINVAL, "va 0xffffffff, clearing");
    if (mt_l2_mfn(MT_NO_L2_VA >> 30))
        rvt_error("GiB 1 has an L2; the test needs it empty");
    RVT_EXPECT_RC(mt_uvm(MT_NO_L2_VA, e, RV_UVMF_INVLPG), -RV_EINVAL, "va with no L2");
    if (mt_l1e(MT_FREE_L2_VA))
        rvt_error("0x%x has an L1; the test needs none", MT_FREE_L2_VA);
    RVT_EXPECT_RC(mt_uvm(MT_FREE_L2_VA, e, RV_UVMF_INVLPG), -RV_EINVAL, "va with no L1");
    RVT_EXPECT_RC(mt_uvm(0, e, RV_UVMF_INVLPG), -RV_EINVAL, "va 0 (no L1 there)");
    RVT_EXPECT_TRUE(!mt_readable(MT_FREE_L2_VA), "nothing mapped at a refused va");
}

/* The errors of mmu_update, through update_va_mapping. */
static void bad_values(void)
{
    uint32_t s = mt_scratch(2), f = mt_alloc(), fm = mt_mfn_of(f);

    RVT_EXPECT_RC(mt_uvm(s, mt_pte(MT_MONITOR_MFN, MT_RO), RV_UVMF_INVLPG), -RV_EPERM, "map a monitor frame");
    RVT_EXPECT_RC(mt_uvm(s, mt_pte(MT_MONITOR_MFN, MT_RW), RV_UVMF_INVLPG), -RV_EPERM, "map a monitor frame RW");
    RVT_EXPECT_RC(mt_uvm(s, mt_pte(mt_first_mfn() - 1, MT_RO), RV_UVMF_INVLPG), -RV_EPERM, "map first_mfn - 1");
    RVT_EXPECT_RC(mt_uvm(s, mt_pte(mt_first_mfn() + mt_nr_pages(), MT_RO), RV_UVMF_INVLPG), -RV_EPERM,
                  "map first_mfn + nr_pages");
    RVT_EXPECT_RC(mt_uvm(s, mt_pte(mt_l3_mfn(), MT_RW), RV_UVMF_INVLPG), -RV_EBUSY, "map the L3 writable");
    RVT_EXPECT_RC(mt_uvm(rv_start_info->pt_base, mt_pte(mt_l3_mfn(), MT_RW), RV_UVMF_INVLPG), -RV_EBUSY,
                  "make the L3's own mapping writable");
    RVT_EXPECT_TRUE(!mt_writable(rv_start_info->pt_base), "the L3 stayed read-only");
    /* The L1 behind s maps itself read-only at its start-of-day VA; it may not become writable. */
    uint32_t l1 = (uint32_t)(mt_l1e(s) >> 12);
    RVT_EXPECT_RC(mt_uvm(mt_va_of(l1), mt_pte(l1, MT_RW), RV_UVMF_INVLPG), -RV_EBUSY,
                  "make an L1's own mapping writable");
    RVT_EXPECT_RC(mt_uvm(mt_va_of(l1), mt_pte(l1, MT_RO), RV_UVMF_INVLPG), 0,
                  "rewrite an L1's own read-only mapping");

    RVT_EXPECT_RC(mt_uvm(s, mt_pte(fm, MT_RO | MT_PTE_G), RV_UVMF_INVLPG), -RV_EINVAL, "G");
    RVT_EXPECT_RC(mt_uvm(s, mt_pte(fm, MT_RO | MT_PTE_PAT), RV_UVMF_INVLPG), -RV_EINVAL, "PAT");
    RVT_EXPECT_RC(mt_uvm(s, mt_pte(fm, MT_RO | MT_PTE_NX), RV_UVMF_INVLPG), -RV_EINVAL, "NX in the high word");
    RVT_EXPECT_RC(mt_uvm(s, mt_pte(fm, MT_RO | (1ull << 52)), RV_UVMF_INVLPG), -RV_EINVAL, "bit 52");
    RVT_EXPECT_RC(mt_uvm(s, mt_pte(fm, MT_RO | (1ull << 62)), RV_UVMF_INVLPG), -RV_EINVAL, "bit 62");
    RVT_EXPECT_RC(mt_uvm(s, mt_pte(fm, MT_RO | (1ull << 32)), RV_UVMF_INVLPG), -RV_EPERM,
                  "address bit 32: a frame above 4 GiB, not ours");
    RVT_EXPECT_RC(mt_uvm(s, mt_pte(fm, MT_RO | (1ull << 36)), RV_UVMF_INVLPG), -RV_EINVAL, "address bit 36");
    MT_EXPECT_EQ64(mt_get_pte(s), 0, "nothing written by refused values");
}

static void unmap_remap(void)
{
    uint32_t f = mt_alloc(), fm = mt_mfn_of(f);
    mt_poke(f, 0x5a5a5a5a);
    RVT_EXPECT_RC(mt_uvm(f, 0, RV_UVMF_INVLPG), 0, "unmap an own page");
    RVT_EXPECT_TRUE(!mt_readable(f), "the unmapped page faults");
    RVT_EXPECT_RC(mt_uvm(f, mt_pte(fm, MT_RO), RV_UVMF_INVLPG), 0, "map it read-only");
    RVT_EXPECT_EQ(mt_peek(f), 0x5a5a5a5a, "its contents survived");
    RVT_EXPECT_TRUE(!mt_writable(f), "read-only");
    RVT_EXPECT_RC(mt_uvm(f, mt_pte(fm, MT_RW), RV_UVMF_INVLPG), 0, "map it writable");
    RVT_EXPECT_TRUE(mt_writable(f), "writable");
}

void test_main(void)
{
    mt_init();
    flags();
    bad_va();
    bad_values();
    unmap_remap();
    rvt_success();
}
