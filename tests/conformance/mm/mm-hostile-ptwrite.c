/* SPDX-License-Identifier: MIT */
/*
 * mm-hostile-ptwrite: a guest that simply writes a page-table entry with a
 * store, bypassing mmu_update: it points the L1 entry of a scratch VA at
 * the monitor image (mfn 0x100, writable) through the start-of-day mapping
 * of its L1, which is read-only (ABI "Start of day"; the monitor runs the
 * guest with CR0.WP set, so ring 1 cannot write it either, SDM Vol. 3A
 * 4.6.1).  With no #PF handler installed the store must kill the guest:
 * tests.list expects "killed: unhandled #PF".  If the store lands, the
 * test reports what the new mapping reads.
 */
#include "mmtest.h"

void test_main(void)
{
    mt_init();
    uint32_t s = mt_scratch(0);
    uint64_t ptr = mt_l1e(s);
    uint32_t l1 = (uint32_t)(ptr >> 12);
    volatile uint64_t *entry = (volatile uint64_t *)(mt_va_of(l1) + ((uint32_t)ptr & 4095));

    if (rv_trap_get(14, 0))
        rvt_error("a #PF handler is installed; the test needs none");
    rvt_log("storing into the L1 entry for 0x%x at 0x%x (read-only)", s, (uint32_t)entry);
    *entry = mt_pte(MT_MONITOR_MFN, MT_RW);
    mt_flush();
    rvt_failure("a store into a page table through its read-only mapping worked; 0x%x now reads 0x%08x",
                s, mt_peek(s));
}
