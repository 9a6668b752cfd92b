/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/events/evt-irqoff.c: "interrupts off" holds.
 *
 * With the virtual IF off (evtchn_upcall_mask = 1) the guest spins for
 * 100 ms, making hypercalls now and then, while its timer fires 20 ms in:
 * no callback may run during the loop (the monitor takes the timer
 * interrupt and returns to us many times), evtchn_upcall_pending must
 * become 1 after the deadline; turning the virtual IF on (the ABI's
 * protocol) must deliver the event exactly once, at once, and nothing
 * more may follow.  The same with the virtual IF on and only the timer's
 * port masked, unmasked afterwards (rv_evtchn_unmask).  Several rounds.
 */
#include "evtkit.h"

#define MS RV_NS_PER_MS
#define ROUNDS 4

static volatile uint32_t hits;
static volatile uint64_t hit_time;

static void on_timer(uint32_t port, struct rv_trap_frame *f, void *arg)
{
    (void)port, (void)f, (void)arg;
    hits++;
    hit_time = rv_time_ns();
}

/* Spins until end; returns when evtchn_upcall_pending or the port's pending
 * bit was first seen set (0: never), failing if a callback ran. */
static uint64_t spin_masked(uint64_t end, uint32_t port, int by_port)
{
    uint64_t seen = 0, now;
    unsigned n = 0;

    while ((now = rv_time_ns()) < end) {
        if (hits)
            rvt_failure("a callback ran while events were masked (%s), %u us after the deadline",
                        by_port ? "port mask" : "virtual IF off", (unsigned)((now - hit_time) / 1000));
        /* the time read after the flag: the event was raised before it */
        if (!seen && (by_port ? rv_evtchn_is_pending(port) : rv_vcpu()->evtchn_upcall_pending))
            seen = rv_time_ns();
        if (++n % 1024 == 0)
            RVT_REQUIRE_OK(rv_hc_version(RV_VERSION_ABI, 0), "version"); /* a return from the monitor */
    }
    /* Other domains may have had the CPU until after `end`: look once more. */
    if (!seen && (by_port ? rv_evtchn_is_pending(port) : rv_vcpu()->evtchn_upcall_pending))
        seen = rv_time_ns();
    return seen;
}

void test_main(void)
{
    long p;
    uint32_t port;
    struct evt_stat lag = { 0 };

    RVT_REQUIRE_OK(rv_events_init(), "rv_events_init");
    p = rv_timer_bind(on_timer, 0);
    RVT_REQUIRE_OK(p, "binding the timer");
    port = (uint32_t)p;
    for (int round = 0; round < 2 * ROUNDS; round++) {
        int by_port = round % 2;
        uint64_t start = rv_time_ns(), deadline = start + (10 + 5 * (uint64_t)round) * MS, seen, t;

        hits = 0;
        if (by_port) {
            rv_events_enable();
            rv_evtchn_mask(port);
        } else {
            rv_events_disable();
        }
        RVT_REQUIRE_OK(rv_timer_set(deadline), "set_timer_op");
        seen = spin_masked(start + 100 * MS, port, by_port);
        if (seen < deadline)
            rvt_failure("round %d (%s): the timer event %s", round, by_port ? "port masked" : "virtual IF off",
                        seen ? "became pending before its deadline" : "never became pending in 100 ms");
        evt_stat_add(&lag, seen - deadline);
        RVT_EXPECT_EQ(hits, 0, "no callback while masked");
        if (by_port) {
            RVT_EXPECT_EQ(rv_vcpu()->evtchn_upcall_pending, 0, "a masked port sets no evtchn_upcall_pending");
            rv_evtchn_unmask(port);
        } else {
            rv_events_enable();
        }
        t = rv_time_ns();
        RVT_EXPECT_EQ(hits, 1, "unmasking delivers the event exactly once, at once");
        evt_spin_until(t + 20 * MS);
        RVT_EXPECT_EQ(hits, 1, "and nothing more follows");
    }
    rv_events_disable();
    evt_success("%d rounds of 100 ms masked; the event became visible %s ms (mean) / %s ms (max) "
                "after its deadline", 2 * ROUNDS, evt_milli(evt_stat_mean(&lag) / 1000),
                evt_milli(lag.max / 1000));
}
