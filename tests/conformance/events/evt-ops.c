/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/events/evt-ops.c: hypercall 15, event_channel_op, in
 * one domain (channels between two domains: evt-ping/evt-pong).  Every
 * command, every state a port can be in, every documented error:
 *
 * - BIND_VIRQ: a new port with status VIRQ (remote_port = the virq);
 *   twice -EEXIST; unknown virq -EINVAL; bad struct -EFAULT (also when
 *   only the write-back fails, and then no port is used up).
 * - ALLOC_UNBOUND: status UNBOUND naming the domain that may bind;
 *   remote 0, 99, 0xffffffff -ESRCH; -EFAULT.
 * - BIND_INTERDOMAIN to our own unbound port: both ends INTERDOMAIN, each
 *   naming the other; a port that is not unbound (closed, VIRQ, already
 *   connected, 0, 1024) -EINVAL; remote 0 or 99 -ESRCH; -EFAULT.
 * - SEND raises the peer's port (not our own); on a VIRQ, unbound or
 *   closed port, or port 0/1024, -EINVAL.
 * - CLOSE clears the port's pending bit; the peer becomes UNBOUND,
 *   offered to us again (and can be bound again); twice -EINVAL; a closed
 *   VIRQ can be bound again.
 * - STATUS of each state; bad port -EINVAL; bad struct -EFAULT.
 * - UNMASK of a bad port -EINVAL; unknown command -ENOSYS.
 * - With every port in use: ALLOC_UNBOUND, BIND_VIRQ, BIND_INTERDOMAIN
 *   -ENOSPC.
 *
 * No callback is installed: events stay pending, which is what lets the
 * test look at the pending bits.
 */
#include "evtkit.h"

static const uint32_t bad_ports[] = { 0, RV_NR_EVTCHN, RV_NR_EVTCHN + 1, 0xffffffffu };
#define NBAD (sizeof(bad_ports) / sizeof(bad_ports[0]))

static long op(unsigned cmd, uint32_t arg)
{
    return rv_hc_event_channel_op(cmd, (void *)(uintptr_t)arg);
}

static uint32_t hole, unmapped, straddle;

/* Ports not closed, for leak checks. */
static unsigned open_ports(void)
{
    unsigned n = 0;

    for (uint32_t p = 1; p < RV_NR_EVTCHN; p++) {
        struct rv_evtchn_status st;

        RVT_REQUIRE_OK(rv_evtchn_status(p, &st), "status");
        n += st.status != RV_EVTCHNSTAT_CLOSED;
    }
    return n;
}

/* The bad pointers every command with a struct must refuse. */
static void expect_efault(unsigned cmd, const char *name)
{
    const uint32_t ptrs[] = { hole, straddle, unmapped, 0xfffffff0u };
    char what[80];

    for (unsigned i = 0; i < sizeof(ptrs) / sizeof(ptrs[0]); i++) {
        rv_snprintf(what, sizeof(what), "%s with arg 0x%x", name, ptrs[i]);
        RVT_EXPECT_RC(op(cmd, ptrs[i]), -RV_EFAULT, what);
    }
}

static uint32_t check_bind_virq(void)
{
    struct rv_evtchn_bind_virq b = { .virq = RV_VIRQ_TIMER, .port = 0xdead };
    struct rv_evtchn_bind_virq c = { .virq = RV_VIRQ_CONSOLE };
    struct rv_evtchn_bind_virq bad = { .virq = RV_NR_VIRQS };
    unsigned before = open_ports();
    uint32_t ro;

    expect_efault(RV_EVTCHNOP_BIND_VIRQ, "BIND_VIRQ");
    /* readable but not writable: the port cannot be returned */
    ro = evt_readonly_copy(&b, sizeof(b));
    RVT_EXPECT_RC(op(RV_EVTCHNOP_BIND_VIRQ, ro), -RV_EFAULT, "BIND_VIRQ with a read-only struct");
    RVT_EXPECT_EQ(open_ports(), before, "a BIND_VIRQ that failed with -EFAULT left no port open");
    RVT_EXPECT_RC(op(RV_EVTCHNOP_BIND_VIRQ, (uint32_t)&bad), -RV_EINVAL, "BIND_VIRQ of virq 2 (unknown)");
    bad.virq = 0xffffffffu;
    RVT_EXPECT_RC(op(RV_EVTCHNOP_BIND_VIRQ, (uint32_t)&bad), -RV_EINVAL, "BIND_VIRQ of virq 0xffffffff");

    RVT_EXPECT_RC(op(RV_EVTCHNOP_BIND_VIRQ, (uint32_t)&b), 0, "BIND_VIRQ of the timer");
    RVT_EXPECT_TRUE(b.port > 0 && b.port < RV_NR_EVTCHN, "BIND_VIRQ writes a port 1..1023");
    evt_expect_status(b.port, RV_EVTCHNSTAT_VIRQ, 0, RV_VIRQ_TIMER, "the timer's port");
    RVT_EXPECT_RC(op(RV_EVTCHNOP_BIND_VIRQ, (uint32_t)&b), -RV_EEXIST, "BIND_VIRQ of the timer twice");
    RVT_EXPECT_RC(op(RV_EVTCHNOP_BIND_VIRQ, (uint32_t)&c), 0, "BIND_VIRQ of the console");
    RVT_EXPECT_TRUE(c.port > 0 && c.port < RV_NR_EVTCHN && c.port != b.port, "a second, different port");
    evt_expect_status(c.port, RV_EVTCHNSTAT_VIRQ, 0, RV_VIRQ_CONSOLE, "the console's port");
    RVT_EXPECT_RC(op(RV_EVTCHNOP_BIND_VIRQ, (uint32_t)&c), -RV_EEXIST, "BIND_VIRQ of the console twice");

    /* closed, the virq can be bound again */
    RVT_EXPECT_RC(op(RV_EVTCHNOP_CLOSE, c.port), 0, "CLOSE of a VIRQ port");
    evt_expect_status(c.port, RV_EVTCHNSTAT_CLOSED, 0, 0, "a closed VIRQ port");
    RVT_EXPECT_RC(op(RV_EVTCHNOP_CLOSE, c.port), -RV_EINVAL, "CLOSE of a closed port");
    RVT_EXPECT_RC(op(RV_EVTCHNOP_BIND_VIRQ, (uint32_t)&c), 0, "BIND_VIRQ of the console after CLOSE");
    RVT_EXPECT_RC(op(RV_EVTCHNOP_CLOSE, c.port), 0, "CLOSE");
    return b.port;
}

static uint32_t check_alloc_unbound(void)
{
    static const uint32_t bad_doms[] = { 0, 99, 0xffffffffu };
    struct rv_evtchn_alloc_unbound a = { .remote_dom = evt_self(), .port = 0xdead };
    unsigned before = open_ports();
    char what[64];
    uint32_t ro;

    expect_efault(RV_EVTCHNOP_ALLOC_UNBOUND, "ALLOC_UNBOUND");
    ro = evt_readonly_copy(&a, sizeof(a));
    RVT_EXPECT_RC(op(RV_EVTCHNOP_ALLOC_UNBOUND, ro), -RV_EFAULT, "ALLOC_UNBOUND with a read-only struct");
    RVT_EXPECT_EQ(open_ports(), before, "an ALLOC_UNBOUND that failed with -EFAULT left no port open");
    for (unsigned i = 0; i < sizeof(bad_doms) / sizeof(bad_doms[0]); i++) {
        struct rv_evtchn_alloc_unbound x = { .remote_dom = bad_doms[i] };

        rv_snprintf(what, sizeof(what), "ALLOC_UNBOUND for domain %u", bad_doms[i]);
        RVT_EXPECT_RC(op(RV_EVTCHNOP_ALLOC_UNBOUND, (uint32_t)&x), -RV_ESRCH, what);
    }
    RVT_EXPECT_EQ(open_ports(), before, "failed ALLOC_UNBOUNDs left no port open");
    RVT_EXPECT_RC(op(RV_EVTCHNOP_ALLOC_UNBOUND, (uint32_t)&a), 0, "ALLOC_UNBOUND for ourselves");
    RVT_EXPECT_TRUE(a.port > 0 && a.port < RV_NR_EVTCHN, "ALLOC_UNBOUND writes a port 1..1023");
    evt_expect_status(a.port, RV_EVTCHNSTAT_UNBOUND, evt_self(), EVT_ANY, "an unbound port");
    return a.port;
}

static uint32_t check_bind_interdomain(uint32_t u, uint32_t virq_port)
{
    struct rv_evtchn_bind_interdomain b = { .remote_dom = evt_self(), .remote_port = u, .local_port = 0xdead };
    struct rv_evtchn_bind_interdomain x;
    unsigned before = open_ports();
    uint32_t closed = RV_NR_EVTCHN - 1, ro;
    char what[80];

    evt_expect_status(closed, RV_EVTCHNSTAT_CLOSED, 0, 0, "port 1023, never used");
    expect_efault(RV_EVTCHNOP_BIND_INTERDOMAIN, "BIND_INTERDOMAIN");
    ro = evt_readonly_copy(&b, sizeof(b));
    RVT_EXPECT_RC(op(RV_EVTCHNOP_BIND_INTERDOMAIN, ro), -RV_EFAULT, "BIND_INTERDOMAIN with a read-only struct");
    RVT_EXPECT_EQ(open_ports(), before, "a BIND_INTERDOMAIN that failed with -EFAULT left no port open");
    evt_expect_status(u, RV_EVTCHNSTAT_UNBOUND, evt_self(), EVT_ANY, "... and left its target unbound");

    x = (struct rv_evtchn_bind_interdomain){ .remote_dom = 0, .remote_port = u };
    RVT_EXPECT_RC(op(RV_EVTCHNOP_BIND_INTERDOMAIN, (uint32_t)&x), -RV_ESRCH, "BIND_INTERDOMAIN to domain 0");
    x.remote_dom = 99;
    RVT_EXPECT_RC(op(RV_EVTCHNOP_BIND_INTERDOMAIN, (uint32_t)&x), -RV_ESRCH, "BIND_INTERDOMAIN to domain 99");
    x.remote_dom = evt_self();
    for (unsigned i = 0; i < NBAD; i++) {
        x.remote_port = bad_ports[i];
        rv_snprintf(what, sizeof(what), "BIND_INTERDOMAIN to port 0x%x", bad_ports[i]);
        RVT_EXPECT_RC(op(RV_EVTCHNOP_BIND_INTERDOMAIN, (uint32_t)&x), -RV_EINVAL, what);
    }
    x.remote_port = closed;
    RVT_EXPECT_RC(op(RV_EVTCHNOP_BIND_INTERDOMAIN, (uint32_t)&x), -RV_EINVAL, "BIND_INTERDOMAIN to a closed port");
    x.remote_port = virq_port;
    RVT_EXPECT_RC(op(RV_EVTCHNOP_BIND_INTERDOMAIN, (uint32_t)&x), -RV_EINVAL, "BIND_INTERDOMAIN to a VIRQ port");
    RVT_EXPECT_EQ(open_ports(), before, "failed BIND_INTERDOMAINs left no port open");

    RVT_EXPECT_RC(op(RV_EVTCHNOP_BIND_INTERDOMAIN, (uint32_t)&b), 0, "BIND_INTERDOMAIN to our unbound port");
    RVT_EXPECT_TRUE(b.local_port > 0 && b.local_port < RV_NR_EVTCHN && b.local_port != u,
                    "BIND_INTERDOMAIN writes a new port 1..1023");
    evt_expect_status(b.local_port, RV_EVTCHNSTAT_INTERDOMAIN, evt_self(), u, "the new end");
    evt_expect_status(u, RV_EVTCHNSTAT_INTERDOMAIN, evt_self(), b.local_port, "the unbound end, now bound");
    x.remote_port = u;
    RVT_EXPECT_RC(op(RV_EVTCHNOP_BIND_INTERDOMAIN, (uint32_t)&x), -RV_EINVAL,
                  "BIND_INTERDOMAIN to a port already connected");
    x.remote_port = b.local_port;
    RVT_EXPECT_RC(op(RV_EVTCHNOP_BIND_INTERDOMAIN, (uint32_t)&x), -RV_EINVAL,
                  "BIND_INTERDOMAIN to the connecting end");
    return b.local_port;
}

static void check_send(uint32_t u, uint32_t l, uint32_t virq_port)
{
    uint32_t unbound = (uint32_t)rv_evtchn_alloc_unbound(evt_self());
    char what[64];

    RVT_REQUIRE_OK((long)unbound, "alloc_unbound");
    rv_evtchn_mask(u);
    rv_evtchn_mask(l);
    RVT_EXPECT_RC(op(RV_EVTCHNOP_SEND, l), 0, "SEND on the bound end");
    RVT_EXPECT_TRUE(rv_evtchn_is_pending(u), "SEND raises the peer's port");
    RVT_EXPECT_TRUE(!rv_evtchn_is_pending(l), "SEND does not raise our own port");
    RVT_EXPECT_RC(op(RV_EVTCHNOP_SEND, u), 0, "SEND on the other end");
    RVT_EXPECT_TRUE(rv_evtchn_is_pending(l), "... raises this end");
    rv_evtchn_test_and_clear(u);
    rv_evtchn_test_and_clear(l);

    RVT_EXPECT_RC(op(RV_EVTCHNOP_SEND, virq_port), -RV_EINVAL, "SEND on a VIRQ port");
    RVT_EXPECT_RC(op(RV_EVTCHNOP_SEND, unbound), -RV_EINVAL, "SEND on an unbound port");
    RVT_EXPECT_RC(op(RV_EVTCHNOP_SEND, RV_NR_EVTCHN - 1), -RV_EINVAL, "SEND on a closed port");
    for (unsigned i = 0; i < NBAD; i++) {
        rv_snprintf(what, sizeof(what), "SEND on port 0x%x", bad_ports[i]);
        RVT_EXPECT_RC(op(RV_EVTCHNOP_SEND, bad_ports[i]), -RV_EINVAL, what);
    }
    RVT_EXPECT_TRUE(!rv_evtchn_is_pending(virq_port), "a refused SEND raised nothing");
    RVT_EXPECT_RC(op(RV_EVTCHNOP_CLOSE, unbound), 0, "CLOSE of an unbound port");
    evt_expect_status(unbound, RV_EVTCHNSTAT_CLOSED, 0, 0, "a closed unbound port");
}

static void check_close(uint32_t u, uint32_t l)
{
    struct rv_evtchn_bind_interdomain b = { .remote_dom = evt_self(), .remote_port = u };
    char what[64];

    RVT_REQUIRE_OK(op(RV_EVTCHNOP_SEND, u), "send");
    RVT_EXPECT_TRUE(rv_evtchn_is_pending(l), "the port about to be closed is pending");
    RVT_EXPECT_RC(op(RV_EVTCHNOP_CLOSE, l), 0, "CLOSE of one end");
    RVT_EXPECT_TRUE(!rv_evtchn_is_pending(l), "CLOSE clears the port's pending bit");
    evt_expect_status(l, RV_EVTCHNSTAT_CLOSED, 0, 0, "the closed end");
    evt_expect_status(u, RV_EVTCHNSTAT_UNBOUND, evt_self(), EVT_ANY, "the other end: unbound, offered to us again");
    RVT_EXPECT_RC(op(RV_EVTCHNOP_CLOSE, l), -RV_EINVAL, "CLOSE twice");
    RVT_EXPECT_RC(op(RV_EVTCHNOP_SEND, u), -RV_EINVAL, "SEND on the end left unbound");
    for (unsigned i = 0; i < NBAD; i++) {
        rv_snprintf(what, sizeof(what), "CLOSE of port 0x%x", bad_ports[i]);
        RVT_EXPECT_RC(op(RV_EVTCHNOP_CLOSE, bad_ports[i]), -RV_EINVAL, what);
    }
    /* the unbound end can be bound again; closing the other end this time */
    RVT_EXPECT_RC(op(RV_EVTCHNOP_BIND_INTERDOMAIN, (uint32_t)&b), 0, "BIND_INTERDOMAIN again after CLOSE");
    evt_expect_status(u, RV_EVTCHNSTAT_INTERDOMAIN, evt_self(), b.local_port, "reconnected");
    RVT_EXPECT_RC(op(RV_EVTCHNOP_CLOSE, u), 0, "CLOSE of the first end");
    evt_expect_status(b.local_port, RV_EVTCHNSTAT_UNBOUND, evt_self(), EVT_ANY, "its peer: unbound");
    RVT_EXPECT_RC(op(RV_EVTCHNOP_CLOSE, b.local_port), 0, "CLOSE of an unbound end");
}

static void check_status_errors(void)
{
    struct rv_evtchn_status st = { .port = 1 };
    char what[64];
    uint32_t ro;

    for (unsigned i = 0; i < NBAD; i++) {
        struct rv_evtchn_status s = { .port = bad_ports[i] };

        rv_snprintf(what, sizeof(what), "STATUS of port 0x%x", bad_ports[i]);
        RVT_EXPECT_RC(op(RV_EVTCHNOP_STATUS, (uint32_t)&s), -RV_EINVAL, what);
    }
    expect_efault(RV_EVTCHNOP_STATUS, "STATUS");
    ro = evt_readonly_copy(&st, sizeof(st));
    RVT_EXPECT_RC(op(RV_EVTCHNOP_STATUS, ro), -RV_EFAULT, "STATUS with a read-only struct");
    for (unsigned i = 0; i < NBAD; i++) {
        rv_snprintf(what, sizeof(what), "UNMASK of port 0x%x", bad_ports[i]);
        RVT_EXPECT_RC(op(RV_EVTCHNOP_UNMASK, bad_ports[i]), -RV_EINVAL, what);
    }
}

static void check_unknown_cmds(void)
{
    static const uint32_t cmds[] = { 7, 8, 0x100, 0x80000000u, 0xffffffffu };
    char what[64];

    for (unsigned i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        rv_snprintf(what, sizeof(what), "event_channel_op cmd 0x%x", cmds[i]);
        RVT_EXPECT_RC(op(cmds[i], 0), -RV_ENOSYS, what);
    }
}

/* Every port in use: each command that needs a new one says -ENOSPC. */
static void check_enospc(uint32_t timer_port)
{
    static uint32_t used[RV_NR_EVTCHN];
    struct rv_evtchn_bind_virq v = { .virq = RV_VIRQ_TIMER };
    struct rv_evtchn_bind_interdomain b = { .remote_dom = evt_self() };
    unsigned n = 0;
    long p, last = 0;

    RVT_REQUIRE_OK(op(RV_EVTCHNOP_CLOSE, timer_port), "close the timer's port");
    while ((p = rv_evtchn_alloc_unbound(evt_self())) > 0) {
        if (n == RV_NR_EVTCHN)
            rvt_failure("more than %u ports allocated", RV_NR_EVTCHN - 1);
        used[n++] = (uint32_t)p;
        last = p;
    }
    RVT_EXPECT_RC(p, -RV_ENOSPC, "ALLOC_UNBOUND with every port in use");
    RVT_EXPECT_EQ(open_ports(), RV_NR_EVTCHN - 1, "ports 1..1023 are all usable");
    RVT_EXPECT_RC(op(RV_EVTCHNOP_BIND_VIRQ, (uint32_t)&v), -RV_ENOSPC, "BIND_VIRQ with every port in use");
    b.remote_port = (uint32_t)last;
    RVT_EXPECT_RC(op(RV_EVTCHNOP_BIND_INTERDOMAIN, (uint32_t)&b), -RV_ENOSPC,
                  "BIND_INTERDOMAIN with every port in use");
    evt_expect_status((uint32_t)last, RV_EVTCHNSTAT_UNBOUND, evt_self(), EVT_ANY,
                      "the target of the refused bind is still unbound");
    while (n)
        RVT_REQUIRE_OK(rv_evtchn_close(used[--n]), "close");
    RVT_EXPECT_EQ(open_ports(), 0, "all ports closed again");
    rvt_log("%d ports usable (1..%d)", RV_NR_EVTCHN - 1, RV_NR_EVTCHN - 1);
}

void test_main(void)
{
    uint32_t timer_port, u, l;

    hole = RV_HOLE_START;
    straddle = RV_HOLE_START - 4; /* the struct runs into the hole */
    unmapped = evt_unmapped_page();
    RVT_EXPECT_EQ(open_ports(), 0, "no port is open at start of day");
    check_unknown_cmds();
    timer_port = check_bind_virq();
    u = check_alloc_unbound();
    l = check_bind_interdomain(u, timer_port);
    check_send(u, l, timer_port);
    check_close(u, l);
    check_status_errors();
    check_enospc(timer_port);
    rvt_success();
}
