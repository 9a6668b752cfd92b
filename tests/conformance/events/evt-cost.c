/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/events/evt-cost.c: what an event costs a guest, in TSC
 * cycles (and ns), on a loopback channel and from the timer.
 *
 * - A null hypercall (version), a SEND to a masked port (no upcall), and a
 *   SEND that raises an upcall on ourselves (the callback runs before the
 *   send returns and returns with the iret hypercall): the difference is
 *   the cost of one upcall round trip.  Every unmasked send must be
 *   delivered exactly once, inside the send, and no masked one at all.
 * - The timer interrupt delivered to a spinning guest: the guest spins
 *   reading the TSC with events on while its timer expires; the largest
 *   gap between two reads is the interrupt, the monitor's timer work, the
 *   upcall and the return; the callback's own TSC stamp gives the part up
 *   to the callback.  Lateness (callback entry - deadline) is reported
 *   too; every timer must arrive, none early.
 * Figures are medians (emulators are noisy) and go into the RESULT line;
 * they are measurements: the only bounds are the functional ones above
 * and that an upcall costs more than a send without one.
 */
#include "evtkit.h"

#define MS RV_NS_PER_MS
#define N 1000
#define TIMER_ROUNDS 21

static volatile uint32_t hits;
static volatile uint64_t cb_tsc, cb_ns;
static uint64_t samples[N];

static void on_event(uint32_t port, struct rv_trap_frame *f, void *arg)
{
    (void)port, (void)f, (void)arg;
    cb_tsc = rv_rdtsc();
    cb_ns = rv_time_ns();
    hits++;
}

static long null_hypercall(uint32_t unused)
{
    (void)unused;
    return rv_hc_version(RV_VERSION_ABI, 0);
}

static long send(uint32_t port)
{
    uint32_t before = hits;
    long r = rv_evtchn_send(port);

    if (hits - before > 1)
        rvt_failure("one send, %u upcalls", hits - before);
    return r;
}

/* The median cycles of N calls of fn(arg). */
static uint64_t measure(long (*fn)(uint32_t), uint32_t arg)
{
    for (int i = 0; i < N; i++) {
        uint64_t t0 = rv_rdtsc();
        long r = fn(arg);

        samples[i] = rv_rdtsc() - t0;
        if (r < 0)
            rvt_error("a measured call failed: %s", rv_errname(r));
    }
    return evt_median(samples, N);
}

void test_main(void)
{
    uint64_t null, masked, upcall, up, gap[TIMER_ROUNDS], to_cb[TIMER_ROUNDS], late[TIMER_ROUNDS];
    uint32_t a, b;

    RVT_REQUIRE_OK(rv_events_init(), "rv_events_init");
    evt_loopback(&a, &b);
    rv_events_enable();

    null = measure(null_hypercall, 0);
    rv_evtchn_set_handler(b, on_event, 0);
    rv_evtchn_mask(b);
    hits = 0;
    masked = measure(send, a);
    RVT_EXPECT_EQ(hits, 0, "no upcall for a masked port");
    rv_evtchn_test_and_clear(b);
    rv_evtchn_unmask(b);
    hits = 0;
    upcall = measure(send, a);
    RVT_EXPECT_EQ(hits, N, "every send to an unmasked port delivered exactly once");
    RVT_EXPECT_TRUE(upcall > masked, "an upcall costs more than a send without one");
    up = upcall - masked;

    /* the timer, into a spinning guest */
    RVT_REQUIRE_OK(rv_timer_bind(on_event, 0), "binding the timer");
    for (int i = 0; i < TIMER_ROUNDS; i++) {
        uint64_t deadline = rv_time_ns() + (2 + i % 3) * MS, limit = deadline + 2000 * MS, prev, t;
        uint32_t before = hits;

        RVT_REQUIRE_OK(rv_timer_set(deadline), "set_timer_op");
        prev = rv_rdtsc();
        for (;;) {
            t = rv_rdtsc();
            if (hits != before)
                break;
            prev = t; /* read before the callback ran */
            if (rv_time_ns() > limit)
                rvt_failure("timer %d did not fire within 2 s", i);
        }
        t = rv_rdtsc(); /* after the return from the callback */
        gap[i] = t - prev;
        to_cb[i] = cb_tsc - prev;
        if (cb_ns < deadline)
            rvt_failure("timer %d fired %u ns early", i, (unsigned)(deadline - cb_ns));
        late[i] = cb_ns - deadline;
    }
    rvt_log("TSC %u MHz; median cycles: null hypercall %u, send (masked) %u, send + upcall %u",
            evt_tsc_mhz(), (unsigned)null, (unsigned)masked, (unsigned)upcall);
    evt_success("upcall round trip %u cycles (%u ns); timer irq to callback %u cycles, whole %u cycles "
                "(%u ns); timer late %s ms (medians)", (unsigned)up, (unsigned)rv_tsc_to_ns(up),
                (unsigned)evt_median(to_cb, TIMER_ROUNDS), (unsigned)evt_median(gap, TIMER_ROUNDS),
                (unsigned)rv_tsc_to_ns(evt_median(gap, TIMER_ROUNDS)),
                evt_milli(evt_median(late, TIMER_ROUNDS) / 1000));
}
