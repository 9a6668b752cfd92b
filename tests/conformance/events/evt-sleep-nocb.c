/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/events/evt-sleep-nocb.c: libpvguest's rv_sleep_ns in a
 * guest that never installs an event callback, with an unrelated event left
 * pending (evtchn_upcall_pending stays set: nothing clears it).  The sleep
 * must still sleep (poll on the timer port), not spin on a block that
 * returns at once: it lasts at least the time asked and takes a handful of
 * hypercalls, not thousands.
 */
#include <pvguest.h>
#include "rvtest.h"

#define MS 1000000ull

static long calls(void)
{
    struct rv_vcpu_stats st;
    RVT_REQUIRE_OK(rv_hc_vcpu_op(RV_VCPUOP_GET_STATS, &st), "GET_STATS");
    return (long)st.hypercalls;
}

void test_main(void)
{
    struct rv_evtchn_alloc_unbound a = { .remote_dom = rv_start_info->domid };
    RVT_REQUIRE_OK(rv_hc_event_channel_op(RV_EVTCHNOP_ALLOC_UNBOUND, &a), "alloc_unbound(self)");
    struct rv_evtchn_bind_interdomain b = { .remote_dom = rv_start_info->domid, .remote_port = a.port };
    RVT_REQUIRE_OK(rv_hc_event_channel_op(RV_EVTCHNOP_BIND_INTERDOMAIN, &b), "bind_interdomain(self)");
    RVT_REQUIRE_OK(rv_hc_event_channel_op(RV_EVTCHNOP_SEND, (void *)(unsigned long)b.local_port), "send");
    RVT_EXPECT_TRUE(rv_vcpu()->evtchn_upcall_pending, "an event is pending and nothing will clear it");

    long c0 = calls();
    uint64_t t0 = rv_time_ns();
    rv_sleep_ns(50 * MS);
    uint64_t slept = rv_time_ns() - t0;
    long n = calls() - c0 - 1;
    RVT_EXPECT_TRUE(slept >= 50 * MS, "slept at least 50 ms");
    if (n > 50)
        rvt_failure("rv_sleep_ns(50 ms) made %ld hypercalls: it spins instead of sleeping", n);
    rvt_log("slept %u us in %ld hypercalls", (unsigned)(slept / 1000), n);
    rvt_success();
}
