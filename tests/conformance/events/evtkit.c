/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/events/evtkit.c: helpers of the event tests
 * (evtkit.h): verdicts with figures, loopback channels, bad pointers,
 * statistics, and meeting the other domains of a multi-domain test.
 */
#include "evtkit.h"

void evt_success(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    rv_printf("RESULT: SUCCESS ");
    rv_vprintf(fmt, ap);
    va_end(ap);
    rv_putchar('\n');
    rv_shutdown(0);
}

void evt_loopback(uint32_t *a, uint32_t *b)
{
    long u = rv_evtchn_alloc_unbound(evt_self());
    long l;

    RVT_REQUIRE_OK(u, "alloc_unbound(self) for a loopback channel");
    l = rv_evtchn_bind_interdomain(evt_self(), (uint32_t)u, 0, 0);
    RVT_REQUIRE_OK(l, "bind_interdomain(self) for a loopback channel");
    rv_evtchn_mask((uint32_t)u);
    rv_evtchn_mask((uint32_t)l);
    *a = (uint32_t)u;
    *b = (uint32_t)l;
}

void evt_expect_status(uint32_t port, uint32_t status, uint32_t remote_dom, uint32_t remote_port,
                       const char *what)
{
    struct rv_evtchn_status st;
    long r = rv_evtchn_status(port, &st);

    if (r != 0)
        rvt_failure("%s: status of port %u returned %s", what, port, rv_errname(r));
    if (remote_port == EVT_ANY)
        remote_port = st.remote_port;
    if (st.status != status || st.remote_dom != remote_dom || st.remote_port != remote_port)
        rvt_failure("%s: port %u has status %u remote %u:%u, expected %u remote %u:%u", what, port,
                    st.status, st.remote_dom, st.remote_port, status, remote_dom, remote_port);
}

/* ---- bad pointers ----------------------------------------------------------- */

static void read_byte(void *p)
{
    (void)*(volatile uint8_t *)p;
}

static void write_same(void *p)
{
    volatile uint8_t *b = p;
    *b = *b;
}

static int mapped(uint32_t va)
{
    return !rvt_expect_fault(14, read_byte, (void *)va, 0);
}

uint32_t evt_unmapped_page(void)
{
    const struct rv_start_info *si = rv_start_info;
    /* past the last start-of-day frame and the shared_info page after it */
    uint32_t va = si->virt_base + (si->nr_mapped + 2) * RV_PAGE_SIZE;

    if (va >= RV_HOLE_START || mapped(va) || mapped(va + RV_PAGE_SIZE - 1))
        rvt_error("0x%x is not an unmapped page below the hole", va);
    return va;
}

uint32_t evt_readonly_tail(void)
{
    const struct rv_start_info *si = rv_start_info;
    uint32_t va = si->pt_base + si->nr_pt_frames * RV_PAGE_SIZE - 64;

    if (!mapped(va) || !rvt_expect_fault(14, write_same, (void *)va, 0) || !evt_all_zero(va, 64))
        rvt_error("0x%x (the end of the page tables) is not 64 zero read-only bytes", va);
    return va;
}

static long map_free_page(uint32_t va, int writable)
{
    const struct rv_start_info *si = rv_start_info;
    uint64_t mfn = si->first_mfn + (va - si->virt_base) / RV_PAGE_SIZE;
    uint64_t pte = (mfn << RV_PAGE_SHIFT) | RV_PTE_P | RV_PTE_US | RV_PTE_A | RV_PTE_D |
                   (writable ? RV_PTE_RW : 0);

    return rv_hc_update_va_mapping(va, pte, RV_UVMF_INVLPG);
}

uint32_t evt_readonly_copy(const void *data, unsigned n)
{
    const struct rv_start_info *si = rv_start_info;
    uint32_t va = (si->free_start + RV_PAGE_SIZE - 1) & ~(RV_PAGE_SIZE - 1);

    if (va + RV_PAGE_SIZE > si->virt_base + si->nr_mapped * RV_PAGE_SIZE || n > RV_PAGE_SIZE)
        rvt_error("no free mapped page for a read-only copy");
    RVT_REQUIRE_OK(map_free_page(va, 1), "update_va_mapping (writable)");
    memset((void *)va, 0, RV_PAGE_SIZE);
    memcpy((void *)va, data, n);
    RVT_REQUIRE_OK(map_free_page(va, 0), "update_va_mapping (read-only)");
    if (!rvt_expect_fault(14, write_same, (void *)va, 0))
        rvt_error("page 0x%x is still writable after update_va_mapping", va);
    return va;
}

int evt_all_zero(uint32_t va, unsigned n)
{
    const volatile uint8_t *p = (const volatile uint8_t *)va;

    for (unsigned i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

/* ---- time and numbers ----------------------------------------------------- */

void evt_spin_until(uint64_t deadline_ns)
{
    while (rv_time_ns() < deadline_ns)
        ;
}

uint32_t evt_tsc_mhz(void)
{
    uint64_t ns = rv_tsc_to_ns(1000000000ull); /* 1e9 ticks */

    return ns ? (uint32_t)(1000000000000ull / ns) : 0;
}

/* System time, the time.version it was read under and the system time of
 * that version's switch-in (no switch between the reads). */
static uint64_t time_and_version(uint32_t *version, uint64_t *switched_in)
{
    volatile struct rv_vcpu_time_info *t = &rv_vcpu()->time;
    uint64_t now;
    uint32_t v;

    do {
        v = t->version;
        rv_barrier();
        now = rv_time_ns();
        *switched_in = t->system_time;
        rv_barrier();
    } while (v != t->version);
    *version = v;
    return now;
}

void evt_cpu_start(struct evt_cpu *c, uint64_t from)
{
    c->from = from;
    c->on_ns = 0;
    uint64_t in;

    c->prev = time_and_version(&c->version, &in);
}

/* An interval with a switch in it counts from the switch-in on (the part
 * before the switch-out is lost: a loop iteration, or host time). */
uint64_t evt_cpu_tick(struct evt_cpu *c)
{
    uint32_t v;
    uint64_t in, now = time_and_version(&v, &in), from = v == c->version ? c->prev : in;

    if (from < c->from)
        from = c->from;
    if (now > from)
        c->on_ns += now - from;
    c->version = v;
    c->prev = now;
    return now;
}

void evt_stat_add(struct evt_stat *s, uint64_t v)
{
    if (!s->n || v < s->min)
        s->min = v;
    if (!s->n || v > s->max)
        s->max = v;
    s->n++;
    s->sum += v;
}

uint64_t evt_median(uint64_t *v, unsigned n)
{
    for (unsigned i = 1; i < n; i++) /* insertion sort: n is small */
        for (unsigned j = i; j > 0 && v[j - 1] > v[j]; j--) {
            uint64_t t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    return n ? v[n / 2] : 0;
}

const char *evt_milli(uint64_t v)
{
    static char buf[4][24];
    static unsigned next;
    char *b = buf[next++ % 4];

    rv_snprintf(b, sizeof(buf[0]), "%u.%03u", (unsigned)(v / 1000), (unsigned)(v % 1000));
    return b;
}

/* ---- groups ------------------------------------------------------------------ */

/* Port numbers of the channel between members i < k (channel c = 0 main,
 * 1 aux, 2 d0, 3 d1) at member i, who offers it: unique per scenario. */
#define NCHAN 4
static uint32_t meet_port(unsigned scenario, unsigned i, unsigned k, unsigned c)
{
    return 200 + 48 * scenario + 16 * i + 4 * k + c;
}

static uint32_t *chan(struct evt_group *g, unsigned c)
{
    return c == 0 ? g->main : c == 1 ? g->aux : c == 2 ? g->d0 : g->d1;
}

/*
 * Offers port number `want` exactly to remote: allocation takes the
 * lowest closed port, so fill those below it first (offered to ourselves,
 * closed again afterwards).
 */
static void offer_at(uint32_t want, uint32_t remote)
{
    static uint32_t fillers[RV_NR_EVTCHN];
    unsigned n = 0;
    struct rv_evtchn_status st;
    long p;

    RVT_REQUIRE_OK(rv_evtchn_status(want, &st), "status of a meeting port");
    if (st.status != RV_EVTCHNSTAT_CLOSED)
        rvt_error("meeting port %u is already in use", want);
    for (;;) {
        p = rv_evtchn_alloc_unbound(evt_self());
        RVT_REQUIRE_OK(p, "alloc_unbound (filling ports below a meeting port)");
        if ((uint32_t)p == want)
            break;
        if ((uint32_t)p > want)
            rvt_error("alloc_unbound gave port %ld, past the free port %u", p, want);
        fillers[n++] = (uint32_t)p;
    }
    RVT_REQUIRE_OK(rv_evtchn_close(want), "close");
    p = rv_evtchn_alloc_unbound(remote);
    if (p == -RV_ESRCH)
        rvt_error("the peer d%u does not exist: the runner did not boot the group's manifest lines together",
                  remote);
    RVT_REQUIRE_OK(p, "alloc_unbound for a peer");
    if ((uint32_t)p != want)
        rvt_error("alloc_unbound for d%u gave port %ld, expected the lowest free %u", remote, p, want);
    rv_evtchn_mask(want);
    while (n)
        RVT_REQUIRE_OK(rv_evtchn_close(fillers[--n]), "closing a filler port");
}

static uint64_t meet_deadline;

static void check_deadline(const struct evt_group *g, unsigned j, const char *what)
{
    if (rv_time_ns() > meet_deadline)
        rvt_error("member %u of this %u-domain test (d%u) never %s in %u ms: the runner did not "
                  "boot the group's manifest lines together, or the peer failed",
                  j, g->size, evt_member_id(g, j), what, EVT_MEET_TIMEOUT_MS);
}

static uint32_t bind_at(const struct evt_group *g, unsigned j, uint32_t port)
{
    for (;;) {
        long r = rv_evtchn_bind_interdomain(evt_member_id(g, j), port, 0, 0);

        if (r > 0) {
            rv_evtchn_mask((uint32_t)r);
            return (uint32_t)r;
        }
        if (r == -RV_ESRCH)
            rvt_error("member %u of this %u-domain test (d%u) does not exist: the runner did not "
                      "boot the group's manifest lines together", j, g->size, evt_member_id(g, j));
        if (r != -RV_EINVAL)
            rvt_error("bind_interdomain to d%u port %u: %s", evt_member_id(g, j), port, rv_errname(r));
        check_deadline(g, j, "offered its channel");
        rv_yield();
    }
}

static void await_bound(const struct evt_group *g, unsigned j, uint32_t port)
{
    for (;;) {
        struct rv_evtchn_status st;

        RVT_REQUIRE_OK(rv_evtchn_status(port, &st), "status");
        if (st.status == RV_EVTCHNSTAT_INTERDOMAIN && st.remote_dom == evt_member_id(g, j))
            return;
        check_deadline(g, j, "bound our channel");
        rv_yield();
    }
}

void evt_group_join(struct evt_group *g, unsigned scenario, unsigned size)
{
    long me = rv_cmdline_int("member", -1);

    if (size > EVT_MAX_MEMBERS || me < 0 || (unsigned)me >= size)
        rvt_error("bad group set-up: member=%ld of %u", me, size);
    g->scenario = scenario;
    g->size = size;
    g->me = (unsigned)me;
    g->base = evt_self() - g->me;
    meet_deadline = rv_time_ns() + EVT_MEET_TIMEOUT_MS * RV_NS_PER_MS;
    for (unsigned k = g->me + 1; k < size; k++) {
        for (unsigned c = 0; c < NCHAN; c++) {
            offer_at(meet_port(scenario, g->me, k, c), evt_member_id(g, k));
            chan(g, c)[k] = meet_port(scenario, g->me, k, c);
        }
        g->token[k] = 1; /* the lower member speaks first on d0/d1 */
    }
    for (unsigned i = 0; i < g->me; i++) {
        for (unsigned c = 0; c < NCHAN; c++)
            chan(g, c)[i] = bind_at(g, i, meet_port(scenario, i, g->me, c));
        g->token[i] = 0;
    }
    for (unsigned k = g->me + 1; k < size; k++)
        for (unsigned c = 0; c < NCHAN; c++)
            await_bound(g, k, chan(g, c)[k]);
    /* Barrier, on d0/d1 (main and aux stay untouched for the test):
     * everyone tells member 0, which answers when all have. */
    if (g->me == 0) {
        for (unsigned k = 1; k < size; k++)
            evt_recv_bits(g, k, 1);
        for (unsigned k = 1; k < size; k++)
            evt_send_bits(g, k, 1, 1);
    } else {
        evt_send_bits(g, 0, 1, 1);
        evt_recv_bits(g, 0, 1);
    }
    rvt_log("group of %u: member %u of d%u..d%u, connected", size, g->me, g->base, g->base + size - 1);
}

int evt_wait(uint32_t port, uint64_t deadline_ns)
{
    struct rv_sched_poll p = { .ports = (uint32_t)&port, .nr_ports = 1, .timeout = deadline_ns };
    long r;

    for (;;) {
        if (rv_evtchn_test_and_clear(port))
            return 1;
        r = rv_hc_sched_op(RV_SCHED_POLL, (unsigned long)&p, 0);
        if (r == -RV_ETIMEDOUT)
            return rv_evtchn_test_and_clear(port);
        if (r != 0)
            rvt_error("sched_op poll on port %u: %s", port, rv_errname(r));
    }
}

/*
 * Half duplex on d0/d1, in strict turns: each bit goes on d0 (0) or d1 (1)
 * and is acknowledged on d0.  Pending bits coalesce, so a side sends only
 * after the other has taken its last message, which it knows from the
 * answer: whoever received the last message holds the token, and a
 * receiver that holds it hands it over with "ready" (d0) first.
 */
void evt_send_bits(struct evt_group *g, unsigned j, uint32_t v, int nbits)
{
    uint64_t wait = (g->token[j] ? 5000 : EVT_MEET_TIMEOUT_MS) * RV_NS_PER_MS;

    if (!g->token[j] && !evt_wait(g->d0[j], rv_time_ns() + wait))
        rvt_error("member %u (d%u) was not ready to receive in %u ms", j, evt_member_id(g, j),
                  (unsigned)(wait / RV_NS_PER_MS));
    for (int b = 0; b < nbits; b++) {
        RVT_REQUIRE_OK(rv_evtchn_send((v >> b) & 1 ? g->d1[j] : g->d0[j]), "send (a bit)");
        if (!evt_wait(g->d0[j], rv_time_ns() + 5000 * RV_NS_PER_MS))
            rvt_error("member %u (d%u) did not acknowledge bit %d in 5 s", j, evt_member_id(g, j), b);
    }
    g->token[j] = 1;
}

uint32_t evt_recv_bits(struct evt_group *g, unsigned j, int nbits)
{
    uint32_t ports[2] = { g->d0[j], g->d1[j] }, v = 0;
    struct rv_sched_poll p = { .ports = (uint32_t)ports, .nr_ports = 2, .timeout = 0 };
    uint64_t wait = EVT_MEET_TIMEOUT_MS * RV_NS_PER_MS; /* the first bit may wait for a slow peer */

    if (g->token[j])
        RVT_REQUIRE_OK(rv_evtchn_send(g->d0[j]), "send (ready)");
    for (int b = 0; b < nbits; b++) {
        int bit;

        p.timeout = rv_time_ns() + wait;
        wait = 5000 * RV_NS_PER_MS;
        for (;;) {
            if (rv_evtchn_test_and_clear(g->d0[j])) {
                bit = 0;
                break;
            }
            if (rv_evtchn_test_and_clear(g->d1[j])) {
                bit = 1;
                break;
            }
            long r = rv_hc_sched_op(RV_SCHED_POLL, (unsigned long)&p, 0);
            if (r == -RV_ETIMEDOUT)
                rvt_error("member %u (d%u) sent no bit %d in time", j, evt_member_id(g, j), b);
            if (r != 0)
                rvt_error("sched_op poll: %s", rv_errname(r));
        }
        v |= (uint32_t)bit << b;
        RVT_REQUIRE_OK(rv_evtchn_send(g->d0[j]), "send (an acknowledgement)");
    }
    g->token[j] = 0;
    return v;
}

void evt_send_u32(struct evt_group *g, unsigned j, uint32_t v)
{
    evt_send_bits(g, j, v, 32);
}

uint32_t evt_recv_u32(struct evt_group *g, unsigned j)
{
    return evt_recv_bits(g, j, 32);
}
