/* SPDX-License-Identifier: MIT */
/*
 * mm-bench: what direct paging costs, in TSC cycles (RDTSC does not trap
 * in ring 1, ABI "Sensitive instructions").  Best of REPS repetitions of:
 *   - a null hypercall (version), for reference;
 *   - one update_va_mapping (with INVLPG);
 *   - 512 update_va_mapping calls, one per entry of an L1 (no flush);
 *   - one mmu_update batch of the same 512 entries;
 *   - pinning and unpinning an L1 whose 512 entries are all present.
 * Every call changes an entry: the single update_va_mapping alternates
 * between mapping and unmapping, the 512 calls map, the batch unmaps.  Not a pass/fail test beyond sanity (each figure is
 * positive and a batch beats 512 separate calls): the figures are the
 * RESULT message.  Under an emulator they say little about hardware.
 */
#include "mmtest.h"

#define REPS 8

static struct rv_mmu_update batch[512];

static uint64_t best(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

void test_main(void)
{
    mt_init();
    uint32_t data = mt_alloc(), dm = mt_mfn_of(data);
    uint32_t l1 = mt_alloc_ro(), l1m = mt_mfn_of(l1);
    uint32_t full = mt_alloc(), fm = mt_mfn_of(full);
    uint32_t l2 = mt_l2_mfn(0), slot = (MT_FREE_L2_VA >> 21) & 511, s = mt_scratch(0);
    uint64_t t_null = ~0ull, t_uvm1 = ~0ull, t_uvm512 = ~0ull, t_mmu512 = ~0ull, t_pin = ~0ull;

    for (unsigned e = 0; e < 512; e++)
        ((mt_pte_t *)full)[e] = mt_pte(dm, MT_RO);
    mt_make_ro(full);
    RVT_REQUIRE_OK(mt_mmu1(mt_slot(l2, slot), mt_pte(l1m, MT_L2E)), "install the L1 at 0x20000000");

    for (unsigned r = 0; r < REPS; r++) {
        mt_pte_t v = r & 1 ? 0 : mt_pte(dm, MT_RO);
        uint64_t t0, t1;
        long rc;

        t0 = mt_rdtsc();
        rc = rv_hypercall(RV_HC_version, RV_VERSION_ABI, 0, 0, 0, 0);
        t1 = mt_rdtsc();
        RVT_EXPECT_EQ(rc, RV_ABI_VERSION, "version");
        t_null = best(t_null, t1 - t0);

        t0 = mt_rdtsc();
        rc = mt_uvm(s, v, RV_UVMF_INVLPG);
        t1 = mt_rdtsc();
        RVT_EXPECT_RC(rc, 0, "one update_va_mapping");
        t_uvm1 = best(t_uvm1, t1 - t0);

        t0 = mt_rdtsc();
        for (unsigned e = 0; e < 512 && rc == 0; e++)
            rc = mt_uvm(MT_FREE_L2_VA + e * RV_PAGE_SIZE, mt_pte(dm, MT_RO), RV_UVMF_NONE);
        t1 = mt_rdtsc();
        RVT_EXPECT_RC(rc, 0, "512 update_va_mapping");
        t_uvm512 = best(t_uvm512, t1 - t0);

        for (unsigned e = 0; e < 512; e++)
            batch[e] = (struct rv_mmu_update){ mt_slot(l1m, e), 0 };
        uint32_t done = 0;
        t0 = mt_rdtsc();
        rc = mt_mmu(batch, 512, &done);
        t1 = mt_rdtsc();
        RVT_EXPECT_RC(rc, 0, "mmu_update of 512 entries");
        RVT_EXPECT_EQ(done, 512, "done");
        t_mmu512 = best(t_mmu512, t1 - t0);

        t0 = mt_rdtsc();
        rc = mt_ext1(RV_MMUEXT_PIN_L1_TABLE, fm);
        if (rc == 0)
            rc = mt_ext1(RV_MMUEXT_UNPIN_TABLE, fm);
        t1 = mt_rdtsc();
        RVT_EXPECT_RC(rc, 0, "pin and unpin of a full L1");
        t_pin = best(t_pin, t1 - t0);
        mt_flush();
    }
    mt_flush();
    RVT_EXPECT_TRUE(!mt_readable(MT_FREE_L2_VA + 511 * RV_PAGE_SIZE), "the last batch unmapped everything");
    RVT_REQUIRE_OK(mt_mmu1(mt_slot(l2, slot), 0), "remove the L1");
    mt_unmap(s);

    RVT_EXPECT_TRUE(t_null > 0 && t_uvm1 > 0 && t_uvm512 > 0 && t_mmu512 > 0 && t_pin > 0, "figures positive");
    RVT_EXPECT_TRUE(t_mmu512 < t_uvm512, "one batch of 512 costs less than 512 calls");
    rvt_log("null hypercall (version): %llu cycles", (unsigned long long)t_null);
    rvt_log("one update_va_mapping (INVLPG): %llu cycles", (unsigned long long)t_uvm1);
    rvt_log("512 update_va_mapping calls: %llu cycles, %llu per call", (unsigned long long)t_uvm512,
            (unsigned long long)(t_uvm512 / 512));
    rvt_log("one mmu_update of 512 entries: %llu cycles, %llu per entry", (unsigned long long)t_mmu512,
            (unsigned long long)(t_mmu512 / 512));
    rvt_log("pin + unpin of an L1 with 512 present entries: %llu cycles", (unsigned long long)t_pin);
    /* The figures are the message (rvt_success takes none): the same line, by
     * hand, short enough for one console line. */
    rv_printf("RESULT: SUCCESS cycles: null %llu, uvm %llu, 512 uvm %llu/call, mmu_update(512) %llu/entry, "
              "pin+unpin L1 %llu\n",
              (unsigned long long)t_null, (unsigned long long)t_uvm1, (unsigned long long)(t_uvm512 / 512),
              (unsigned long long)(t_mmu512 / 512), (unsigned long long)t_pin);
    rv_shutdown(0);
}
