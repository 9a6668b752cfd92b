/* SPDX-License-Identifier: MIT */
/*
 * mm-hostile-shared: a guest that turns its shared_info frame into a page
 * table.  The monitor writes that frame whenever it likes, through its own
 * mapping, without any validation: vcpu_info[0].arch.cr2 at every #PF it
 * bounces (8 bytes at offset 8 = L1 entry 1, a value the guest chooses by
 * where it faults), the time info at every switch (entries 2-5), the event
 * mask and pending bytes (entry 0).  A shared_info frame that is a live L1
 * would let a guest map any machine frame, the monitor's included, by
 * taking a page fault at (mfn << 12) | flags.  So the frame must never
 * become a table, at any level, however the guest asks; mapping it
 * read-only or writable as a leaf stays allowed (ABI "Direct paging").
 *
 * The guest maps shared_info read-only (so no writable mapping stands in
 * the way), makes the monitor's cr2 even (a not-present entry 1), and
 * asks.  The time words at entries 3-5 change at every switch, and a
 * present one with odd bits would make validation fail by chance, so each
 * request is repeated after yields.  If a pin is ever granted the test
 * shows the consequence: L1 installed, a fault at 0x00100001, and a read
 * of the monitor's frame 0x100 through entry 1.  Expected: every request
 * refused with -RV_EBUSY, the error of a frame "in use as something else"
 * (a page the monitor writes), whatever the frame happens to hold; a
 * refusal that depends on its contents (an odd time word making an entry
 * present) is luck, not a rule, and fails too.
 */
#include "mmtest.h"

#define TRIES 64

static void touch(void *va)
{
    (void)*(volatile uint8_t *)va;
}

/* Entries 1-5 of the shared frame as a not-present-or-valid L1 would need. */
static int entries_quiet(uint32_t sh)
{
    for (unsigned i = 1; i <= 5; i++)
        if (((const volatile mt_pte_t *)sh)[i] & RV_PTE_P)
            return 0;
    return 1;
}

static void log_entries(uint32_t sh)
{
    const volatile mt_pte_t *e = (const volatile mt_pte_t *)sh;
    rvt_log("shared_info as L1 entries: 0x%llx 0x%llx 0x%llx 0x%llx 0x%llx 0x%llx",
            (unsigned long long)e[0], (unsigned long long)e[1], (unsigned long long)e[2],
            (unsigned long long)e[3], (unsigned long long)e[4], (unsigned long long)e[5]);
}

static void refused(long rc, const char *what)
{
    if (rc != -RV_EBUSY)
        rvt_failure("%s: %s, expected -EBUSY (a frame the monitor writes is in use as a page; "
                    "an error from its contents is chance)", what, rv_errname(rc));
}

static _Noreturn void escape(uint32_t shm, uint32_t l2, uint32_t slot, const char *how)
{
    rvt_log("%s was granted: showing what it gives", how);
    long rc = mt_mmu1(mt_slot(l2, slot), mt_pte(shm, MT_L2E));
    if (rc == 0) {
        /* The monitor writes cr2 = 0x00100001 into entry 1: mfn 0x100, present. */
        rvt_expect_fault(14, touch, (void *)0x00100001u, 0);
        mt_flush();
        uint32_t va = MT_FREE_L2_VA + RV_PAGE_SIZE;
        if (mt_readable(va)) {
            uint32_t w = mt_peek(va);
            RVT_REQUIRE_OK(mt_mmu1(mt_slot(l2, slot), 0), "removing the L1");
            mt_flush();
            rvt_failure("%s: shared_info became a page table; a #PF at 0x00100001 then mapped "
                        "monitor mfn 0x100 at 0x%x (read 0x%08x)", how, va, w);
        }
        RVT_REQUIRE_OK(mt_mmu1(mt_slot(l2, slot), 0), "removing the L1");
    }
    rvt_failure("%s: shared_info (mfn 0x%x) became a page table", how, shm);
}

void test_main(void)
{
    mt_init();
    const struct rv_start_info *si = rv_start_info;
    uint32_t sh = si->shared_info, shm = mt_shared_mfn();
    uint32_t l2 = mt_l2_mfn(0), slot = (MT_FREE_L2_VA >> 21) & 511, l3 = mt_base_mfn();
    unsigned asked = 0, quiet = 0;

    /* An even cr2: entry 1 not present. */
    RVT_EXPECT_TRUE(rvt_expect_fault(14, touch, (void *)0x00100000u, 0), "a #PF at 0x00100000");
    RVT_EXPECT_EQ(rv_shared_info->vcpu_info[0].arch.cr2, 0x00100000, "cr2 in shared_info");
    mt_map(sh, shm, MT_RO);
    RVT_EXPECT_TRUE(!mt_writable(sh), "shared_info read-only now");

    for (unsigned i = 0; i < TRIES; i++) {
        rv_yield(); /* new time words */
        quiet += entries_quiet(sh);
        if (i == 0 || i == TRIES - 1)
            log_entries(sh);
        long rc;
        if ((rc = mt_ext1(RV_MMUEXT_PIN_L1_TABLE, shm)) == 0)
            escape(shm, l2, slot, "PIN_L1_TABLE of shared_info");
        refused(rc, "PIN_L1_TABLE of shared_info");
        if ((rc = mt_ext1(RV_MMUEXT_PIN_L2_TABLE, shm)) == 0)
            rvt_failure("PIN_L2_TABLE of shared_info (mfn 0x%x) was granted", shm);
        refused(rc, "PIN_L2_TABLE of shared_info");
        if ((rc = mt_mmu1(mt_slot(l2, slot), mt_pte(shm, MT_L2E))) == 0) {
            RVT_REQUIRE_OK(mt_mmu1(mt_slot(l2, slot), 0), "removing it");
            rvt_failure("an L2 entry made shared_info (mfn 0x%x) an L1", shm);
        }
        refused(rc, "an L2 entry -> shared_info");
        if ((rc = mt_mmu1(mt_slot(l3, 1), mt_pte(shm, MT_L3E))) == 0) {
            RVT_REQUIRE_OK(mt_mmu1(mt_slot(l3, 1), 0), "removing it");
            rvt_failure("an L3 slot made shared_info (mfn 0x%x) an L2", shm);
        }
        refused(rc, "L3 slot 1 -> shared_info");
        if ((rc = mt_ext1(RV_MMUEXT_PIN_L3_TABLE, shm)) == 0)
            rvt_failure("PIN_L3_TABLE of shared_info (mfn 0x%x) was granted", shm);
        refused(rc, "PIN_L3_TABLE of shared_info");
        if ((rc = mt_ext1(RV_MMUEXT_NEW_BASEPTR, shm)) == 0)
            rvt_failure("NEW_BASEPTR to shared_info (mfn 0x%x) was granted", shm);
        refused(rc, "NEW_BASEPTR to shared_info");
        asked++;
    }
    rvt_log("%u rounds refused (%u of them with the time words not present: "
            "validation alone would have passed)", asked, quiet);
    /* Leaf mappings of shared_info stay allowed. */
    mt_map(sh, shm, MT_RW);
    RVT_EXPECT_TRUE(mt_writable(sh), "shared_info writable again");
    rvt_success();
}
