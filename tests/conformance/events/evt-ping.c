/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/events/evt-ping.c: events between two domains.
 *
 * A group of two (evtkit.h), args member=0 (ping) / member=1 (pong):
 *
 * 1. Ping-pong for PING_MS: ping sends, pong's event callback sends back
 *    at once, ping blocks until the answer's callback has run.  Round
 *    trips, and the mean round trip in ns and TSC cycles, go into ping's
 *    RESULT line.  Every send must succeed and pong must have answered
 *    exactly as many events as ping sent (none lost or doubled).
 * 2. Channels between two domains (ABI.md, event_channel_op): pong
 *    offers a port to ping (ALLOC_UNBOUND, status UNBOUND naming ping) and
 *    one to itself; ping can bind the first (both ends INTERDOMAIN, naming
 *    each other) but not the second (-EINVAL: not offered to it) nor a
 *    connected port (-EINVAL); ping closes its end: pong's becomes UNBOUND,
 *    offered to ping again, and ping can bind it again.
 * 3. When a domain ends its ports close: after pong shuts down, ping's
 *    ends become UNBOUND (naming pong), SEND on them is -EINVAL, and
 *    ALLOC_UNBOUND / BIND_INTERDOMAIN naming pong are -ESRCH.
 */
#include "evtkit.h"

#define MS RV_NS_PER_MS
#define PING_MS 1000

enum { PING, PONG };

static volatile uint32_t answers, pings;
static uint32_t back_port;

static void on_answer(uint32_t port, struct rv_trap_frame *f, void *arg)
{
    (void)port, (void)f, (void)arg;
    answers++;
}

static void on_ping(uint32_t port, struct rv_trap_frame *f, void *arg)
{
    (void)f, (void)arg;
    pings++;
    if (rv_evtchn_send(port) != 0)
        back_port = 0; /* noticed by the main loop */
}

static void ping(struct evt_group *g)
{
    uint32_t port = g->main[PONG], pong_count, x, y;
    uint64_t end, t0, ns = 0, cycles = 0, min_cycles = ~0ull;
    struct rv_evtchn_bind_interdomain b;
    uint32_t n = 0;
    long r;

    /* 1. ping-pong */
    RVT_REQUIRE_OK(rv_events_init(), "rv_events_init");
    RVT_REQUIRE_OK(rv_evtchn_set_handler(port, on_answer, 0), "handler");
    end = rv_time_ns() + PING_MS * MS;
    while (rv_time_ns() < end) {
        uint64_t c0 = rv_rdtsc(), c;

        t0 = rv_time_ns();
        rv_events_disable();
        r = rv_evtchn_send(port);
        if (r != 0)
            rvt_failure("send of ping %u returned %s", n, rv_errname(r));
        while (answers == n) {
            if (rv_time_ns() > t0 + 5000 * MS)
                rvt_failure("no answer to ping %u in 5 s", n);
            rv_block(); /* virtual IF on and sleep: the callback runs before it returns */
            rv_events_disable();
        }
        c = rv_rdtsc() - c0;
        ns += rv_time_ns() - t0;
        cycles += c;
        if (c < min_cycles)
            min_cycles = c;
        n++;
        if (answers != n)
            rvt_failure("%u answers to %u pings", answers, n);
    }
    RVT_REQUIRE_OK(rv_evtchn_set_handler(port, 0, 0), "handler off");
    RVT_REQUIRE_OK(rv_evtchn_send(g->aux[PONG]), "send (stop)");
    if (!evt_wait(g->aux[PONG], rv_time_ns() + 5000 * MS))
        rvt_failure("pong did not stop");
    pong_count = evt_recv_u32(g, PONG);
    RVT_EXPECT_EQ(pong_count, n, "pong answered exactly the pings sent");
    RVT_EXPECT_TRUE(n > 10, "more than 10 round trips in a second");

    /* 2. channels between two domains: pong offers x to us, y to itself */
    x = evt_recv_u32(g, PONG);
    y = evt_recv_u32(g, PONG);
    b = (struct rv_evtchn_bind_interdomain){ .remote_dom = evt_member_id(g, PONG), .remote_port = y };
    RVT_EXPECT_RC(rv_hc_event_channel_op(RV_EVTCHNOP_BIND_INTERDOMAIN, &b), -RV_EINVAL,
                  "BIND_INTERDOMAIN to a port offered to another domain");
    b.remote_port = x; /* the one offered to us */
    RVT_EXPECT_RC(rv_hc_event_channel_op(RV_EVTCHNOP_BIND_INTERDOMAIN, &b), 0, "BIND_INTERDOMAIN to the other domain");
    evt_expect_status(b.local_port, RV_EVTCHNSTAT_INTERDOMAIN, evt_member_id(g, PONG), x, "our new end");
    r = b.local_port;
    b.local_port = 0;
    RVT_EXPECT_RC(rv_hc_event_channel_op(RV_EVTCHNOP_BIND_INTERDOMAIN, &b), -RV_EINVAL,
                  "BIND_INTERDOMAIN to a port already connected");
    RVT_REQUIRE_OK(rv_evtchn_send(g->main[PONG]), "send (bound)");
    if (!evt_wait(g->main[PONG], rv_time_ns() + 5000 * MS))
        rvt_error("pong did not check the channel");
    RVT_EXPECT_RC(rv_evtchn_close((uint32_t)r), 0, "CLOSE of our end");
    RVT_REQUIRE_OK(rv_evtchn_send(g->main[PONG]), "send (closed)");
    if (!evt_wait(g->main[PONG], rv_time_ns() + 5000 * MS))
        rvt_error("pong did not check the closed channel");
    b = (struct rv_evtchn_bind_interdomain){ .remote_dom = evt_member_id(g, PONG), .remote_port = x };
    RVT_EXPECT_RC(rv_hc_event_channel_op(RV_EVTCHNOP_BIND_INTERDOMAIN, &b), 0,
                  "BIND_INTERDOMAIN again to the port left unbound");
    RVT_EXPECT_RC(rv_evtchn_close(b.local_port), 0, "CLOSE");

    /* 3. pong ends: its ports close */
    RVT_REQUIRE_OK(rv_evtchn_send(g->aux[PONG]), "send (you may go)");
    for (;;) {
        struct rv_evtchn_status st;

        RVT_REQUIRE_OK(rv_evtchn_status(port, &st), "status");
        if (st.status != RV_EVTCHNSTAT_INTERDOMAIN)
            break;
        if (rv_time_ns() > end + 20000 * MS)
            rvt_failure("pong's port still INTERDOMAIN 20 s after it was told to end");
        rv_sleep_ns(5 * MS);
    }
    evt_expect_status(port, RV_EVTCHNSTAT_UNBOUND, evt_member_id(g, PONG), EVT_ANY,
                      "our end of a channel to a domain that ended");
    evt_expect_status(g->aux[PONG], RV_EVTCHNSTAT_UNBOUND, evt_member_id(g, PONG), EVT_ANY,
                      "our other end to it");
    RVT_EXPECT_RC(rv_evtchn_send(port), -RV_EINVAL, "SEND on a port whose peer ended (now unbound)");
    RVT_EXPECT_RC(rv_evtchn_alloc_unbound(evt_member_id(g, PONG)), -RV_ESRCH,
                  "ALLOC_UNBOUND for a domain that ended");
    b = (struct rv_evtchn_bind_interdomain){ .remote_dom = evt_member_id(g, PONG), .remote_port = x };
    RVT_EXPECT_RC(rv_hc_event_channel_op(RV_EVTCHNOP_BIND_INTERDOMAIN, &b), -RV_ESRCH,
                  "BIND_INTERDOMAIN to a domain that ended");

    evt_success("%u round trips in %u ms: mean %u ns = %u cycles (fastest %u cycles; TSC %u MHz)", n, PING_MS,
                (unsigned)(ns / n), (unsigned)(cycles / n), (unsigned)min_cycles, evt_tsc_mhz());
}

static void pong(struct evt_group *g)
{
    uint32_t ports[2] = { g->main[PING], g->aux[PING] };
    struct rv_sched_poll p = { .ports = (uint32_t)ports, .nr_ports = 2, .timeout = 0 };
    uint32_t x, y, ping_id = evt_member_id(g, PING);

    /* 1. answer pings until told to stop */
    RVT_REQUIRE_OK(rv_events_init(), "rv_events_init");
    back_port = g->main[PING];
    RVT_REQUIRE_OK(rv_evtchn_set_handler(g->main[PING], on_ping, 0), "handler");
    rv_events_enable();
    while (!rv_evtchn_test_and_clear(g->aux[PING]))
        RVT_REQUIRE_OK(rv_hc_sched_op(RV_SCHED_POLL, (unsigned long)&p, 0), "poll");
    rv_events_disable();
    if (!back_port)
        rvt_failure("sending an answer from the event callback failed");
    RVT_REQUIRE_OK(rv_evtchn_set_handler(g->main[PING], 0, 0), "handler off");
    RVT_REQUIRE_OK(rv_evtchn_send(g->aux[PING]), "send (stopped)");
    evt_send_u32(g, PING, pings);

    /* 2. offer x to ping and y to ourselves */
    x = (uint32_t)rv_evtchn_alloc_unbound(ping_id);
    y = (uint32_t)rv_evtchn_alloc_unbound(evt_self());
    RVT_REQUIRE_OK((long)x, "ALLOC_UNBOUND for the other domain");
    RVT_REQUIRE_OK((long)y, "ALLOC_UNBOUND for ourselves");
    evt_expect_status(x, RV_EVTCHNSTAT_UNBOUND, ping_id, EVT_ANY, "a port offered to the other domain");
    evt_send_u32(g, PING, x);
    evt_send_u32(g, PING, y);
    if (!evt_wait(g->main[PING], rv_time_ns() + 5000 * MS))
        rvt_error("ping never bound");
    {
        struct rv_evtchn_status st;

        RVT_REQUIRE_OK(rv_evtchn_status(x, &st), "status");
        RVT_EXPECT_EQ(st.status, RV_EVTCHNSTAT_INTERDOMAIN, "our offered port after the other bound it");
        RVT_EXPECT_EQ(st.remote_dom, ping_id, "its peer domain");
        RVT_REQUIRE_OK(rv_evtchn_send(g->main[PING]), "send (checked)");
    }
    evt_expect_status(y, RV_EVTCHNSTAT_UNBOUND, evt_self(), EVT_ANY, "the port the other could not bind");
    if (!evt_wait(g->main[PING], rv_time_ns() + 5000 * MS))
        rvt_error("ping never closed");
    evt_expect_status(x, RV_EVTCHNSTAT_UNBOUND, ping_id, EVT_ANY, "our end after the other closed its end");
    RVT_REQUIRE_OK(rv_evtchn_send(g->main[PING]), "send (checked)");

    /* 3. end when told: ping then checks what our ending did to its ports */
    if (!evt_wait(g->aux[PING], rv_time_ns() + 20000 * MS))
        rvt_error("ping never let us go");
    evt_success("answered %u pings", pings);
}

void test_main(void)
{
    struct evt_group g;

    evt_group_join(&g, EVT_SCENARIO_PING, 2);
    if (g.me == PING)
        ping(&g);
    else
        pong(&g);
}
