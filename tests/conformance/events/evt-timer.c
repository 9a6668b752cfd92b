/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/events/evt-timer.c: time and the one-shot timer
 * (hypercall 17, set_timer_op), and sched_op block woken by it.
 *
 * - vcpu_info.time: version even, a non-zero multiplier; system time from
 *   the pvclock formula never goes backwards (tight reads, across yields
 *   and blocks); the wall clock is plausible and consistent with it.
 * - set_timer_op returns 0 and raises RV_VIRQ_TIMER when system time
 *   passes the deadline, never before it (by our own clock); a deadline
 *   already passed raises it before the hypercall returns; 0 disarms; a
 *   new deadline replaces the old one, later or earlier; a far deadline
 *   does not fire.
 * - sched_op block sleeps until the timer event and returns with its
 *   handler run; with an event already pending it returns at once and
 *   leaves the virtual IF on; rv_sleep_ns sleeps at least that long.
 *
 * Lateness is bounded loosely here (EVT_LATE_MAX); evt-latency measures it.
 */
#include "evtkit.h"

#define MS RV_NS_PER_MS
#define EVT_LATE_MAX (100 * MS) /* the tolerance of evt-latency, with room for a slow host */

static uint32_t tport;

static void check_clock(void)
{
    volatile struct rv_vcpu_time_info *t = &rv_vcpu()->time;
    uint64_t prev = rv_time_ns(), now, wall;
    uint32_t wc_sec = rv_shared_info->wc_sec;

    RVT_EXPECT_EQ(t->version & 1, 0, "time.version is even while we run");
    RVT_EXPECT_NE(t->tsc_to_system_mul, 0, "time.tsc_to_system_mul");
    RVT_EXPECT_TRUE(t->tsc_shift >= -32 && t->tsc_shift <= 32, "time.tsc_shift is sane");
    {
        uint64_t published = t->system_time; /* read before the clock: either may follow a switch */

        RVT_EXPECT_TRUE(published <= rv_time_ns(), "time.system_time is not in the future");
    }
    for (int i = 0; i < 100000; i++) {
        now = rv_time_ns();
        if (now < prev)
            rvt_failure("system time went backwards: %u ns after %u ns (read %d)", (unsigned)now,
                        (unsigned)prev, i);
        prev = now;
    }
    for (int i = 0; i < 20; i++) {
        rv_yield();
        now = rv_time_ns();
        RVT_EXPECT_TRUE(now >= prev, "system time does not go backwards across a yield");
        prev = now;
    }
    RVT_EXPECT_EQ(rv_shared_info->wc_version & 1, 0, "wc_version is even");
    RVT_EXPECT_TRUE(wc_sec > 1577836800u && wc_sec < 4102444800u, "wc_sec between 2020 and 2100");
    RVT_EXPECT_TRUE(rv_shared_info->wc_nsec < RV_NS_PER_SEC, "wc_nsec below one second");
    wall = rv_wallclock();
    now = rv_time_ns();
    RVT_EXPECT_TRUE(wall / RV_NS_PER_SEC >= wc_sec + now / RV_NS_PER_SEC - 1 &&
                    wall / RV_NS_PER_SEC <= wc_sec + now / RV_NS_PER_SEC + 1,
                    "the wall clock is wc_sec + system time");
    rvt_log("system time %u ms, wall clock %u s, tsc_to_system_mul 0x%x shift %d", (unsigned)(now / MS),
            (unsigned)(wall / RV_NS_PER_SEC), t->tsc_to_system_mul, t->tsc_shift);
}

/* Arms the timer for deadline and waits (poll, port masked) until wait_until. */
static int fired_by(uint64_t wait_until)
{
    return evt_wait(tport, wait_until);
}

static void check_fires(void)
{
    uint64_t deadline = rv_time_ns() + 20 * MS, woke;

    RVT_EXPECT_RC(rv_timer_set(deadline), 0, "set_timer_op 20 ms ahead");
    RVT_EXPECT_TRUE(!rv_evtchn_is_pending(tport), "the timer has not fired at once");
    RVT_EXPECT_TRUE(fired_by(rv_time_ns() + 5000 * MS), "the timer fires (within 5 s)");
    woke = rv_time_ns();
    if (woke < deadline)
        rvt_failure("the timer fired %u ns before its deadline", (unsigned)(deadline - woke));
    RVT_EXPECT_TRUE(woke - deadline < EVT_LATE_MAX, "the timer fires in time");
    rvt_log("20 ms timer: woke %u us after the deadline", (unsigned)((woke - deadline) / 1000));
    RVT_EXPECT_TRUE(!fired_by(rv_time_ns() + 30 * MS), "a one-shot timer fires once");
}

static void check_past(void)
{
    RVT_EXPECT_RC(rv_timer_set(rv_time_ns() - 1 * MS), 0, "set_timer_op 1 ms in the past");
    RVT_EXPECT_TRUE(rv_evtchn_is_pending(tport), "a deadline already passed fires before the call returns");
    rv_evtchn_test_and_clear(tport);
    RVT_EXPECT_RC(rv_timer_set(1), 0, "set_timer_op at 1 ns");
    RVT_EXPECT_TRUE(rv_evtchn_is_pending(tport), "deadline 1 ns fires at once");
    rv_evtchn_test_and_clear(tport);
    RVT_EXPECT_TRUE(!fired_by(rv_time_ns() + 30 * MS), "and only once");
}

static void check_cancel(void)
{
    RVT_EXPECT_RC(rv_timer_set(rv_time_ns() + 20 * MS), 0, "set_timer_op 20 ms ahead");
    RVT_EXPECT_RC(rv_timer_set(0), 0, "set_timer_op 0 (disarm)");
    RVT_EXPECT_TRUE(!fired_by(rv_time_ns() + 80 * MS), "a disarmed timer does not fire");
}

static void check_replace(void)
{
    uint64_t now = rv_time_ns(), late = now + 60 * MS, woke;

    RVT_EXPECT_RC(rv_timer_set(now + 20 * MS), 0, "set_timer_op 20 ms ahead");
    RVT_EXPECT_RC(rv_timer_set(late), 0, "set_timer_op 60 ms ahead (replaces it)");
    RVT_EXPECT_TRUE(!fired_by(now + 45 * MS), "the replaced 20 ms deadline does not fire");
    RVT_EXPECT_TRUE(fired_by(rv_time_ns() + 5000 * MS), "the new deadline fires");
    woke = rv_time_ns();
    RVT_EXPECT_TRUE(woke >= late, "not before the new deadline");
    RVT_EXPECT_TRUE(!fired_by(rv_time_ns() + 20 * MS), "once");

    now = rv_time_ns();
    RVT_EXPECT_RC(rv_timer_set(now + 500 * MS), 0, "set_timer_op 500 ms ahead");
    RVT_EXPECT_RC(rv_timer_set(now + 20 * MS), 0, "set_timer_op 20 ms ahead (earlier)");
    RVT_EXPECT_TRUE(fired_by(now + 400 * MS), "an earlier replacement fires at its own deadline");
    RVT_EXPECT_TRUE(rv_time_ns() >= now + 20 * MS, "not before it");
    RVT_EXPECT_TRUE(!fired_by(now + 600 * MS), "and the 500 ms deadline is gone");

    RVT_EXPECT_RC(rv_timer_set(~0ull), 0, "set_timer_op at the end of time");
    RVT_EXPECT_TRUE(!fired_by(rv_time_ns() + 30 * MS), "a far deadline does not fire");
    RVT_EXPECT_RC(rv_timer_set(0), 0, "disarm");
}

static void check_block(void)
{
    uint64_t deadline, woke;
    uint32_t fired;
    long r;

    rv_evtchn_test_and_clear(tport);
    rv_evtchn_unmask(tport);
    /* block until the timer: it returns with the handler run */
    for (int tries = 0;; tries++) {
        fired = rv_timer_fired;
        rv_events_disable();
        deadline = rv_time_ns() + 20 * MS;
        RVT_REQUIRE_OK(rv_timer_set(deadline), "set_timer_op");
        r = rv_block();
        woke = rv_time_ns();
        RVT_EXPECT_RC(r, 0, "sched_op block");
        RVT_EXPECT_EQ(rv_vcpu()->evtchn_upcall_mask, 0, "block leaves the virtual IF on");
        if (rv_timer_fired != fired || tries == 3)
            break;
    }
    RVT_EXPECT_EQ(rv_timer_fired, fired + 1, "block returns with the timer's handler run");
    RVT_EXPECT_TRUE(woke >= deadline, "block slept until the deadline");
    RVT_EXPECT_TRUE(woke - deadline < EVT_LATE_MAX, "and woke in time");
    rvt_log("block woke %u us after a 20 ms deadline", (unsigned)((woke - deadline) / 1000));

    /* an event already pending (virtual IF off): block returns at once */
    rv_events_disable();
    fired = rv_timer_fired;
    RVT_REQUIRE_OK(rv_timer_set(rv_time_ns() - MS), "set_timer_op in the past");
    RVT_EXPECT_EQ(rv_vcpu()->evtchn_upcall_pending, 1, "the timer event is pending, masked");
    RVT_EXPECT_EQ(rv_timer_fired, fired, "and not delivered yet");
    deadline = rv_time_ns();
    RVT_EXPECT_RC(rv_block(), 0, "sched_op block with an event pending");
    woke = rv_time_ns();
    RVT_EXPECT_EQ(rv_timer_fired, fired + 1, "block delivered the pending event");
    RVT_EXPECT_EQ(rv_vcpu()->evtchn_upcall_mask, 0, "block turned the virtual IF on");
    RVT_EXPECT_TRUE(woke - deadline < 50 * MS, "block with an event pending returns at once");

    /* rv_sleep_ns: at least the time asked, events as before */
    rv_events_disable();
    deadline = rv_time_ns() + 30 * MS;
    rv_sleep_ns(30 * MS);
    woke = rv_time_ns();
    RVT_EXPECT_TRUE(woke >= deadline, "rv_sleep_ns sleeps at least as long as asked");
    RVT_EXPECT_TRUE(woke - deadline < EVT_LATE_MAX, "and not much longer");
    RVT_EXPECT_EQ(rv_vcpu()->evtchn_upcall_mask, 1, "rv_sleep_ns puts the virtual IF back (off)");
}

void test_main(void)
{
    long p;

    RVT_REQUIRE_OK(rv_events_init(), "rv_events_init");
    p = rv_timer_bind(0, 0);
    RVT_REQUIRE_OK(p, "binding RV_VIRQ_TIMER");
    tport = (uint32_t)p;
    rv_evtchn_mask(tport); /* polled until check_block */
    check_clock();
    check_fires();
    check_past();
    check_cancel();
    check_replace();
    check_block();
    check_clock();
    rvt_success();
}
