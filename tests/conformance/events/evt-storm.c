/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/events/evt-storm.c: an event storm from one domain
 * does not starve another.
 *
 * A group of three (evtkit.h), one source, args member=0/1/2:
 *   0 worker  tells the sender the storm window (system time T0 ..
 *             T0 + STORM_MS), does timed work (loop iterations) for about
 *             BASE_MS with nobody else busy, sends "start" to both just
 *             before T0 and works on through the window;
 *   1 sender  answers "start", then sends on its channel to the sink as
 *             fast as it can until the worker's "stop";
 *   2 sink    answers "start", then counts the events in its event
 *             callback (waking from sched_op poll), until "stop".
 * Sender and worker are both always runnable in the window and have the
 * same weight, so a fair scheduler gives each half of the CPU they share
 * (the sink takes little).  Both measure their own CPU time inside the
 * same window of system time, which all domains share (evt_cpu); the
 * sender's comes back to the worker over event channels, and the worker
 * passes if it got at least MIN_PCT % of the pair's CPU time.  A storm
 * that starves it gives about 0, and so does a scheduler that lets the
 * sender run on credit banked while it slept through our BASE_MS alone.
 * Comparing the two over one window cancels the emulator's own noise.
 * The worker's work rate in the window against alone, the sends and the
 * events the sink took go into its RESULT line.
 */
#include "evtkit.h"

#define MS RV_NS_PER_MS
#define BASE_MS 1000
#define STORM_MS 1000
#define MIN_PCT 40

enum { WORKER, SENDER, SINK };

struct work {
    uint64_t iterations, on_cpu_ns, wall_ns;
};

/* Busy work until `to`, measuring what got done in [from, to). */
static struct work do_work(uint64_t from, uint64_t to)
{
    struct work w = { 0 };
    struct evt_cpu c;
    uint64_t now;
    volatile uint32_t x = 1;

    evt_cpu_start(&c, from);
    while ((now = evt_cpu_tick(&c)) < to) {
        for (int i = 0; i < 64; i++)
            x = x * 1103515245u + 12345u;
        w.iterations += now >= from;
    }
    w.on_cpu_ns = c.on_ns;
    w.wall_ns = to - from;
    return w;
}

static void worker(struct evt_group *g)
{
    struct work base, storm;
    uint32_t sent, received, sender_us, share;
    uint64_t base_rate, storm_rate, pct, t0 = rv_time_ns() + 50 * MS + BASE_MS * MS, from;

    /* The window first, while all are quiet; then we work alone while the
     * others sleep, and one event each starts them, as an interrupt would. */
    evt_send_u32(g, SENDER, (uint32_t)(t0 / 1000));
    from = rv_time_ns();
    base = do_work(from, t0 - 10 * MS);
    RVT_REQUIRE_OK(rv_evtchn_send(g->aux[SENDER]), "send (start)");
    RVT_REQUIRE_OK(rv_evtchn_send(g->aux[SINK]), "send (start)");
    storm = do_work(t0, t0 + STORM_MS * MS);
    /* Both answered at once; if they never ran while we worked, our
     * events woke them but the scheduler left them waiting. */
    for (unsigned k = SENDER; k <= SINK; k++)
        if (!rv_evtchn_test_and_clear(g->aux[k]))
            rvt_failure("the %s, woken by our event, did not run in the %u ms window (we ran %u%% of it): starved",
                        k == SENDER ? "sender" : "sink", STORM_MS, (unsigned)(storm.on_cpu_ns * 100 / storm.wall_ns));
    RVT_REQUIRE_OK(rv_evtchn_send(g->aux[SENDER]), "send (stop)");
    RVT_REQUIRE_OK(rv_evtchn_send(g->aux[SINK]), "send (stop)");
    sent = evt_recv_u32(g, SENDER);
    sender_us = evt_recv_u32(g, SENDER);
    received = evt_recv_u32(g, SINK);
    share = (uint32_t)(storm.on_cpu_ns / 1000 * 100 / (storm.on_cpu_ns / 1000 + sender_us + 1));

    base_rate = base.iterations * 1000000 / base.wall_ns;   /* per ms */
    storm_rate = storm.iterations * 1000000 / storm.wall_ns;
    pct = base_rate ? storm_rate * 100 / base_rate : 0;
    rvt_log("alone: %u iterations/ms, on the CPU %u%%; storm: %u iterations/ms, on the CPU %u%%",
            (unsigned)base_rate, (unsigned)(base.on_cpu_ns * 100 / base.wall_ns), (unsigned)storm_rate,
            (unsigned)(storm.on_cpu_ns * 100 / storm.wall_ns));
    rvt_log("sender: %u sends; sink: %u events", sent, received);
    rvt_log("CPU in the %u ms window: worker %u ms, sender %u ms: the worker's share %u%%", STORM_MS,
            (unsigned)(storm.on_cpu_ns / MS), sender_us / 1000, share);
    RVT_EXPECT_TRUE(received > 0, "the sink received events");
    RVT_EXPECT_TRUE(received <= sent, "the sink cannot receive more events than were sent");
    if (share < MIN_PCT)
        rvt_failure("during the storm the worker had %u%% of the CPU it shared with the sender (%u ms vs %u ms; "
                    "fair 50%%, want >= %u%%)", share, (unsigned)(storm.on_cpu_ns / MS), sender_us / 1000, MIN_PCT);
    evt_success("storm of %u sends (%u/ms; sink took %u events): worker's CPU share %u%% (vs sender), work rate "
                "%u%% of alone", sent, sent / STORM_MS, received, share, (unsigned)pct);
}

static void sender(struct evt_group *g)
{
    uint32_t sent = 0, to_sink = g->main[SINK];
    uint64_t t0, t1, on = 0;
    struct evt_cpu c;

    t0 = (uint64_t)evt_recv_u32(g, WORKER) * 1000;
    t1 = t0 + STORM_MS * MS;
    if (!evt_wait(g->aux[WORKER], t0 + 30000 * MS))
        rvt_error("no start from the worker");
    if (rv_evtchn_send(g->aux[WORKER]) != 0)
        rvt_error("the worker (member 0) has ended already: see its verdict");
    evt_cpu_start(&c, t0);
    while (!rv_evtchn_test_and_clear(g->aux[WORKER])) {
        long r = rv_evtchn_send(to_sink);

        if (r == -RV_EINVAL)
            rvt_error("the sink has ended (its port closed) during the storm: see its verdict");
        if (r != 0)
            rvt_failure("send %u of the storm returned %s", sent, rv_errname(r));
        sent++;
        if (evt_cpu_tick(&c) <= t1)
            on = c.on_ns;
    }
    evt_send_u32(g, WORKER, sent);
    evt_send_u32(g, WORKER, (uint32_t)(on / 1000));
    evt_success("sent %u events; on the CPU %u ms of the %u ms window", sent, (unsigned)(on / MS), STORM_MS);
}

static volatile uint32_t received;

static void on_event(uint32_t port, struct rv_trap_frame *f, void *arg)
{
    (void)port, (void)f, (void)arg;
    received++;
}

static void sink(struct evt_group *g)
{
    uint32_t ports[2] = { g->main[SENDER], g->aux[WORKER] };
    struct rv_sched_poll p = { .ports = (uint32_t)ports, .nr_ports = 2, .timeout = 0 };

    RVT_REQUIRE_OK(rv_events_init(), "rv_events_init");
    if (!evt_wait(g->aux[WORKER], rv_time_ns() + 30000 * MS))
        rvt_error("no start from the worker");
    if (rv_evtchn_send(g->aux[WORKER]) != 0)
        rvt_error("the worker (member 0) has ended already: see its verdict");
    rv_evtchn_set_handler(g->main[SENDER], on_event, 0);
    rv_events_enable();
    while (!rv_evtchn_test_and_clear(g->aux[WORKER]))
        RVT_REQUIRE_OK(rv_hc_sched_op(RV_SCHED_POLL, (unsigned long)&p, 0), "poll");
    rv_events_disable();
    rv_evtchn_set_handler(g->main[SENDER], 0, 0);
    evt_send_u32(g, WORKER, received);
    evt_success("received %u events", received);
}

void test_main(void)
{
    struct evt_group g;

    evt_group_join(&g, EVT_SCENARIO_STORM, 3);
    if (g.me == WORKER)
        worker(&g);
    else if (g.me == SENDER)
        sender(&g);
    else
        sink(&g);
}
