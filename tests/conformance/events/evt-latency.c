/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/events/evt-latency.c: timers fire within a documented
 * tolerance.
 *
 * Member 0 of a group of four (evtkit.h); members 1-3 are evt-busy,
 * spinning until we are done, so every timer wakes us among three
 * runnable domains.  TIMERS one-shot timers with delays spread over
 * 1-50 ms; each time the
 * guest blocks until the timer's callback has run.  Lateness = system
 * time at callback entry - deadline.  A timer may never fire early (by
 * our own clock, which is the monitor's), and none may be later than
 * LATE_MAX_MS.
 *
 * The tolerance.  The monitor programs its one-shot timer (local APIC)
 * for the earliest deadline and raises RV_VIRQ_TIMER in that interrupt;
 * the woken domain is put one quantum ahead of the others' virtual time,
 * but the running domain is not preempted before its quantum (10 ms)
 * ends.  So a timer is late by the timer's resolution and the cost of the
 * interrupt and upcall (microseconds on hardware), plus up to one quantum
 * when other domains are runnable: 2 ms + 10 ms.  On QEMU TCG the
 * emulator itself adds about 1 ms (measured: mean 0.6-1.0 ms, max 1-2 ms
 * alone; see the RESULT line), and a loaded host adds its own
 * descheduling, so the limit is 12 ms plus a margin for the host:
 * LATE_MAX_MS = 20.  args=late-max=MS sets another limit.  A host that
 * deschedules the whole emulator now and then makes a rare timer later
 * still (seen: one of 40 at 31 ms while two boots ran at once on two
 * host CPUs), so up to OUTLIERS of the TIMERS may pass the limit, none
 * 5 times it; a scheduler that made a woken domain wait behind the three
 * busy ones would make most timers 20-30 ms late.
 *
 * The bound holds for a domain that sleeps more than it runs, which is
 * what a timer-driven guest does.  A domain that has just used more CPU
 * than the others is ahead in virtual time and, woken, waits until they
 * catch up (measured: a first 1 ms timer right after start-up fired 15 ms
 * late with one busy domain beside it, 30 ms with three: one quantum per
 * competitor).  So the test sleeps WARMUP_MS before it measures.
 */
#include "evtkit.h"

#define MS RV_NS_PER_MS
#define TIMERS 40
#define LATE_MAX_MS 20
#define OUTLIERS 2
#define WARMUP_MS 100
#define BUSY 3 /* competitors: evt-busy members 1..3 */

static volatile uint32_t fired;
static volatile uint64_t fired_at;

static void on_timer(uint32_t port, struct rv_trap_frame *f, void *arg)
{
    (void)port, (void)f, (void)arg;
    fired_at = rv_time_ns();
    fired++;
}

void test_main(void)
{
    struct evt_group g;
    uint64_t limit = (uint64_t)rv_cmdline_int("late-max", LATE_MAX_MS) * MS;
    struct evt_stat late = { 0 };
    unsigned over = 0;

    evt_group_join(&g, EVT_SCENARIO_LATENCY, BUSY + 1);
    RVT_REQUIRE_OK(rv_events_init(), "rv_events_init");
    RVT_REQUIRE_OK(rv_timer_bind(on_timer, 0), "binding the timer");
    /* Start as a sleeper: until now we ran while other domains of the boot
     * may not have, and a domain ahead in virtual time waits for them to
     * catch up, however soon its timer fires (see the comment above). */
    rv_sleep_ns(WARMUP_MS * MS);
    for (unsigned i = 0; i < TIMERS; i++) {
        uint64_t delay = (1 + (i * 17) % 50) * MS; /* 1..50 ms, spread */
        uint64_t deadline;
        uint32_t before = fired;

        rv_events_disable();
        deadline = rv_time_ns() + delay;
        RVT_REQUIRE_OK(rv_timer_set(deadline), "set_timer_op");
        while (fired == before)
            rv_block(); /* turns the virtual IF on; the callback runs before it returns */
        rv_events_disable();
        RVT_EXPECT_EQ(fired, before + 1, "one timer, one event");
        if (fired_at < deadline)
            rvt_failure("a %u ms timer fired %u us early", (unsigned)(delay / MS),
                        (unsigned)((deadline - fired_at) / 1000));
        evt_stat_add(&late, fired_at - deadline);
        if (fired_at - deadline > limit)
            over++;
        if (fired_at - deadline > 10 * MS)
            rvt_log("timer %u (%u ms): %s ms late", i, (unsigned)(delay / MS), evt_milli((fired_at - deadline) / 1000));
    }
    for (unsigned k = 1; k <= BUSY; k++)
        RVT_REQUIRE_OK(rv_evtchn_send(g.aux[k]), "send (stop)");
    rvt_log("%u timers of 1-50 ms: lateness mean %s ms, min %s ms, max %s ms", TIMERS,
            evt_milli(evt_stat_mean(&late) / 1000), evt_milli(late.min / 1000), evt_milli(late.max / 1000));
    if (over > OUTLIERS || late.max > 5 * limit)
        rvt_failure("%u of %u timers were later than %u ms: lateness mean %s ms, max %s ms", over, TIMERS,
                    (unsigned)(limit / MS), evt_milli(evt_stat_mean(&late) / 1000), evt_milli(late.max / 1000));
    evt_success("%u timers (1-50 ms), %u busy domains: lateness mean %s ms, min %s ms, max %s ms; %u over %u ms",
                TIMERS, BUSY, evt_milli(evt_stat_mean(&late) / 1000), evt_milli(late.min / 1000),
                evt_milli(late.max / 1000), over, (unsigned)(limit / MS));
}
