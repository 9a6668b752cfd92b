/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/events/evt-busy.c: a competitor for the CPU, member
 * k of a group (args member=k scenario=S size=N, evtkit.h): it spins,
 * reading system time, until member 0 tells it to stop (an event on the
 * aux channel), so that member
 * 0's measurement runs against runnable domains.  It checks that system
 * time never went backwards and that it got some CPU while it spun, and
 * reports how much.
 */
#include "evtkit.h"

void test_main(void)
{
    struct evt_group g;
    struct evt_cpu c;
    uint64_t start, now, prev, limit;

    evt_group_join(&g, (unsigned)rv_cmdline_int("scenario", 0), (unsigned)rv_cmdline_int("size", 0));
    start = prev = rv_time_ns();
    limit = start + 60000 * RV_NS_PER_MS;
    evt_cpu_start(&c, start);
    while (!rv_evtchn_is_pending(g.aux[0])) {
        now = evt_cpu_tick(&c);
        if (now < prev)
            rvt_failure("system time went backwards by %u ns", (unsigned)(prev - now));
        prev = now;
        if (now > limit)
            rvt_error("member 0 never said stop in 60 s");
    }
    now = rv_time_ns();
    RVT_EXPECT_TRUE(c.on_ns > 0, "the spinner got some CPU");
    evt_success("spun %u ms until told to stop, on the CPU %u%% of it", (unsigned)((now - start) / RV_NS_PER_MS),
                (unsigned)(c.on_ns * 100 / (now - start)));
}
