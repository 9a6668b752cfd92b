/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/core/core-contract.c: start-of-day facts and event
 * defaults a porter relies on (ABI.md "Start of day", "Events and time";
 * issue 17 items 3 and 4), checked before anything else changes them:
 *
 * - the boot L3 (start_info.pt_base) is the current base and pinned:
 *   PIN_L3_TABLE of it is -EEXIST, UNPIN_TABLE -EBUSY; memory_op counts
 *   one pin;
 * - start_info is the frame at image_end; shared_info lies just above the
 *   linear map (virt_base + 4096 * nr_mapped); nr_mapped = nr_pages here;
 * - every evtchn_mask bit is clear, and the monitor leaves them alone: a
 *   newly bound port is unmasked, and one the guest masked stays masked;
 * - a timer that fires while RV_VIRQ_TIMER is unbound is lost: binding it
 *   afterwards finds nothing pending.
 */
#include "rvtest.h"

static long ext(uint32_t cmd, uint32_t arg)
{
    struct rv_mmuext_op op = { cmd, arg };
    return rv_hc_mmuext_op(&op, 1, 0);
}

static long bind_timer(void)
{
    struct rv_evtchn_bind_virq b = { .virq = RV_VIRQ_TIMER };
    long r = rv_hc_event_channel_op(RV_EVTCHNOP_BIND_VIRQ, &b);
    return r ? r : (long)b.port;
}

static int bit(volatile uint32_t *map, uint32_t port)
{
    return (map[port / 32] >> (port % 32)) & 1;
}

void test_main(void)
{
    struct rv_start_info *si = rv_start_info;
    volatile struct rv_shared_info *sh = rv_shared_info;
    struct rv_mem_stats st;
    uint32_t l3_mfn = si->first_mfn + ((si->pt_base - si->virt_base) >> RV_PAGE_SHIFT);

    RVT_REQUIRE_OK(rv_hc_memory_op(RV_MEMOP_STATS, &st), "memory_op STATS");
    RVT_EXPECT_EQ(st.base_mfn, l3_mfn, "the current base is the boot L3 at pt_base");
    RVT_EXPECT_EQ(st.pinned, 1, "pinned tables at start of day");
    RVT_EXPECT_RC(ext(RV_MMUEXT_PIN_L3_TABLE, l3_mfn), -RV_EEXIST, "PIN_L3_TABLE of the boot L3");
    RVT_EXPECT_RC(ext(RV_MMUEXT_UNPIN_TABLE, l3_mfn), -RV_EBUSY, "UNPIN_TABLE of the boot L3");

    RVT_EXPECT_EQ((uint32_t)(uintptr_t)si, si->image_end, "start_info at image_end");
    RVT_EXPECT_EQ(si->nr_mapped, si->nr_pages, "nr_mapped (the image is low: everything fits)");
    RVT_EXPECT_EQ(si->shared_info, si->virt_base + si->nr_mapped * RV_PAGE_SIZE,
                  "shared_info just above the linear map");

    for (uint32_t w = 0; w < RV_NR_EVTCHN / 32; w++)
        if (sh->evtchn_mask[w])
            rvt_failure("evtchn_mask word %u is 0x%x at start of day", w, sh->evtchn_mask[w]);

    /* The timer fires (a deadline already passed fires at once) with the VIRQ unbound. */
    RVT_REQUIRE_OK(rv_hc_set_timer_op(1), "a deadline in the past");
    RVT_REQUIRE_OK(rv_hc_sched_op(RV_SCHED_YIELD, 0, 0), "yield");
    long p = bind_timer();
    if (p <= 0)
        rvt_failure("BIND_VIRQ timer: %s", rv_errname(p));
    RVT_EXPECT_EQ(bit(sh->evtchn_mask, (uint32_t)p), 0, "a newly bound port is unmasked");
    RVT_EXPECT_EQ(bit(sh->evtchn_pending, (uint32_t)p), 0, "the timer that fired unbound is lost");
    RVT_EXPECT_EQ(sh->vcpu_info[0].evtchn_upcall_pending, 0, "no upcall pending for it either");

    /* Masked by the guest, rebound: the monitor does not touch the mask. */
    __atomic_fetch_or(&sh->evtchn_mask[p / 32], 1u << (p % 32), __ATOMIC_SEQ_CST);
    RVT_REQUIRE_OK(rv_hc_event_channel_op(RV_EVTCHNOP_CLOSE, (void *)(uintptr_t)p), "CLOSE");
    long q = bind_timer();
    RVT_EXPECT_EQ(q, p, "the lowest free port again");
    RVT_EXPECT_EQ(bit(sh->evtchn_mask, (uint32_t)q), 1, "a port the guest masked stays masked when rebound");
    RVT_REQUIRE_OK(rv_hc_set_timer_op(1), "a deadline in the past, bound now");
    RVT_EXPECT_EQ(bit(sh->evtchn_pending, (uint32_t)q), 1, "bound: the timer's event is pending (masked)");
    RVT_EXPECT_EQ(sh->vcpu_info[0].evtchn_upcall_pending, 0, "masked port: no upcall");
    rvt_success();
}
