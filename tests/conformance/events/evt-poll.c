/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/events/evt-poll.c: sched_op(RV_SCHED_POLL).
 *
 * - A listed port already pending, masked or not, with the virtual IF on
 *   or off: returns 0 at once.
 * - Sleeps until a listed port becomes pending (the timer's, masked):
 *   returns 0 then, not before.
 * - An event on a port not listed does not end the poll: it runs to its
 *   timeout; the event is delivered afterwards.
 * - The timeout is system time: -ETIMEDOUT (110) once it passes, at once
 *   if it has passed; timeout 0 waits for ever (here: for the timer).
 * - The virtual IF is left as it was (on or off).
 * - 128 ports are accepted; 0 ports or a port 0 / >= 1024 in the list
 *   -EINVAL; more than 128 -E2BIG; a bad struct or port array -EFAULT.
 */
#include "evtkit.h"

#define MS RV_NS_PER_MS

static uint32_t tport, a, b;
static volatile uint32_t hits;

static long poll(const uint32_t *ports, uint32_t n, uint64_t timeout)
{
    struct rv_sched_poll p = { .ports = (uint32_t)ports, .nr_ports = n, .timeout = timeout };

    return rv_hc_sched_op(RV_SCHED_POLL, (unsigned long)&p, 0);
}

static void handler(uint32_t port, struct rv_trap_frame *f, void *arg)
{
    (void)port, (void)f, (void)arg;
    hits++;
}

static void check_pending_at_once(void)
{
    uint32_t ports[3] = { tport, b, a };
    uint64_t t0;

    for (int masked = 0; masked < 2; masked++) {
        for (int vif_on = 0; vif_on < 2; vif_on++) {
            /* b pending; masked, or unmasked with no handler run (virtual IF off) */
            rv_events_disable();
            if (masked)
                rv_evtchn_mask(b);
            else
                rv_evtchn_set_handler(b, handler, 0);
            RVT_REQUIRE_OK(rv_evtchn_send(a), "send");
            if (vif_on)
                rv_vcpu()->evtchn_upcall_mask = 0; /* a plain write: no delivery yet */
            t0 = rv_time_ns();
            RVT_EXPECT_RC(poll(ports, 3, t0 + 2000 * MS), 0, "poll with a listed port pending");
            RVT_EXPECT_TRUE(rv_time_ns() - t0 < 500 * MS, "returns at once");
            RVT_EXPECT_EQ(rv_vcpu()->evtchn_upcall_mask, vif_on ? 0 : 1, "poll leaves the virtual IF alone");
            rv_events_disable();
            rv_evtchn_test_and_clear(b);
            rv_vcpu()->evtchn_upcall_pending = 0;
            rv_vcpu()->evtchn_pending_sel = 0;
        }
    }
    rv_evtchn_mask(b);
}

static void check_wakes_on_port(void)
{
    uint64_t deadline = rv_time_ns() + 30 * MS, t;

    RVT_REQUIRE_OK(rv_timer_set(deadline), "set_timer_op");
    RVT_EXPECT_RC(poll(&tport, 1, 0), 0, "poll (no timeout) on the masked timer port");
    t = rv_time_ns();
    RVT_EXPECT_TRUE(t >= deadline, "poll slept until the port became pending");
    RVT_EXPECT_TRUE(rv_evtchn_is_pending(tport), "the port is pending when poll returns");
    RVT_EXPECT_TRUE(t - deadline < 100 * MS, "poll woke in time");
    rvt_log("poll woke %u us after the timer's deadline", (unsigned)((t - deadline) / 1000));
    rv_evtchn_test_and_clear(tport);
}

static void check_timeout(void)
{
    uint64_t t0 = rv_time_ns(), t;

    RVT_EXPECT_RC(poll(&b, 1, t0 + 40 * MS), -RV_ETIMEDOUT, "poll until a timeout");
    t = rv_time_ns();
    RVT_EXPECT_TRUE(t >= t0 + 40 * MS, "not before the timeout");
    RVT_EXPECT_TRUE(t - (t0 + 40 * MS) < 100 * MS, "soon after it");
    RVT_EXPECT_EQ(-RV_ETIMEDOUT, -110, "RV_ETIMEDOUT is 110");
    t0 = rv_time_ns();
    RVT_EXPECT_RC(poll(&b, 1, 1), -RV_ETIMEDOUT, "poll with a timeout already passed");
    RVT_EXPECT_TRUE(rv_time_ns() - t0 < 50 * MS, "returns at once");
}

/* The timer (not listed, unmasked, virtual IF on) fires during the poll. */
static void check_other_port(void)
{
    uint64_t t0 = rv_time_ns(), t;

    hits = 0;
    rv_evtchn_set_handler(tport, handler, 0);
    rv_events_enable();
    RVT_REQUIRE_OK(rv_timer_set(t0 + 10 * MS), "set_timer_op");
    RVT_EXPECT_RC(poll(&b, 1, t0 + 60 * MS), -RV_ETIMEDOUT, "poll while an unlisted port fires");
    t = rv_time_ns();
    RVT_EXPECT_TRUE(t >= t0 + 60 * MS, "an unlisted port does not end the poll");
    RVT_EXPECT_EQ(hits, 1, "the unlisted event is delivered (after the poll)");
    rv_events_disable();
    rv_evtchn_set_handler(tport, 0, 0);
}

static void check_errors(void)
{
    static uint32_t many[RV_POLL_MAX + 1];
    uint32_t bad_list[2] = { b, 0 };
    uint32_t unmapped = evt_unmapped_page();
    const uint32_t ptrs[] = { RV_HOLE_START, RV_HOLE_START - 8, unmapped, 0xfffffff0u };
    char what[64];

    for (unsigned i = 0; i <= RV_POLL_MAX; i++)
        many[i] = b;
    RVT_REQUIRE_OK(rv_evtchn_send(a), "send");
    RVT_EXPECT_RC(poll(many, RV_POLL_MAX, 0), 0, "poll of 128 ports (one pending)");
    rv_evtchn_test_and_clear(b);
    RVT_EXPECT_RC(poll(many, 0, 1), -RV_EINVAL, "poll of 0 ports");
    RVT_EXPECT_RC(poll(many, RV_POLL_MAX + 1, 1), -RV_E2BIG, "poll of 129 ports");
    RVT_EXPECT_RC(poll(many, 0xffffffffu, 1), -RV_E2BIG, "poll of 0xffffffff ports");
    RVT_EXPECT_RC(poll(bad_list, 2, 1), -RV_EINVAL, "poll with port 0 in the list");
    bad_list[1] = RV_NR_EVTCHN;
    RVT_EXPECT_RC(poll(bad_list, 2, 1), -RV_EINVAL, "poll with port 1024 in the list");
    bad_list[1] = 0xffffffffu;
    RVT_EXPECT_RC(poll(bad_list, 2, 1), -RV_EINVAL, "poll with port 0xffffffff in the list");
    RVT_EXPECT_RC(poll((uint32_t *)unmapped, 1, 1), -RV_EFAULT, "poll with an unmapped port array");
    RVT_EXPECT_RC(poll((uint32_t *)RV_HOLE_START, 1, 1), -RV_EFAULT, "poll with the port array in the hole");
    RVT_EXPECT_RC(poll((uint32_t *)(RV_HOLE_START - 8), 4, 1), -RV_EFAULT,
                  "poll with a port array running into the hole");
    for (unsigned i = 0; i < sizeof(ptrs) / sizeof(ptrs[0]); i++) {
        rv_snprintf(what, sizeof(what), "poll with the struct at 0x%x", ptrs[i]);
        RVT_EXPECT_RC(rv_hc_sched_op(RV_SCHED_POLL, ptrs[i], 0), -RV_EFAULT, what);
    }
}

void test_main(void)
{
    long p;

    RVT_REQUIRE_OK(rv_events_init(), "rv_events_init");
    p = rv_timer_bind(0, 0);
    RVT_REQUIRE_OK(p, "binding RV_VIRQ_TIMER");
    tport = (uint32_t)p;
    rv_evtchn_mask(tport);
    evt_loopback(&a, &b);
    check_pending_at_once();
    check_wakes_on_port();
    check_timeout();
    check_other_port();
    check_errors();
    rvt_success();
}
