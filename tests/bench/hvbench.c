/* SPDX-License-Identifier: MIT */
/*
 * tests/bench/hvbench.c: the hypervisor-level microbenchmarks of `make
 * bench` (issue 6), one guest image that runs as two domains.
 *
 *   role=main (first domain): everything one domain can measure alone,
 *       then the two-domain figures with its peer, then the timer.
 *   role=peer (the next domain id): answers pings, then yields back,
 *       then ends when told; it says what it did per operation.
 *
 * Every figure is the best of 5 repetitions of a loop of n operations (the
 * least disturbed run), read with RDTSC, which does not trap in ring 1 or
 * 3.  Under QEMU `-icount shift=0` the TSC counts instructions, so
 * there a figure is the instructions of the path.  The console gets one
 * line per figure, parsed by tests/bench/bench.py:
 *
 *   BENCH clock mul=M shift=S          vcpu_info.time's scale (TSC -> ns)
 *   BENCH op=KEY ops=N best=B base=E unit=cycles|ns reps=R hc=H traps=T sched=S total=K
 *
 * best: the whole loop of the best repetition; base: the same loop with no
 * operation in it (its cost is subtracted: per operation = (best - base) /
 * ops).  hc, traps, sched: this domain's hypercalls, bounced exceptions
 * and times scheduled in (vcpu_op GET_STATS) over all `total` operations
 * of every repetition, measuring calls taken out.  The peer prints the
 * same counters (role=peer) for its side of the two-domain operations.
 * Any failed call ends the domain with exit code 1 and a BENCH-ERROR line.
 */
#include <pvguest.h>

/*
 * Guest arguments: reps= repetitions, div= a divisor of every loop count
 * (a quick smoke run, or a short one to trace under QEMU), only=PREFIX:
 * time only the figures whose name starts with PREFIX (set-up and
 * warm-up still run).  bench_mark_begin/end bracket every timed loop for
 * tests/bench/tbprof.py.
 */
static uint32_t reps = 5, div = 1;
static const char *only;

static uint32_t N(uint32_t n)
{
    return n / div ? n / div : 1;
}

#define MS RV_NS_PER_MS

/* The vectors this guest registers. */
#define VEC_DIRECT 0x80  /* DPL 3, events on: a real trap gate (direct) */
#define VEC_BOUNCED 0x81 /* DPL 3, events masked: never direct, the monitor bounces it */
#define VEC_EXIT 0x85    /* ring 3 -> ring 1: the end of a ring-3 excursion */
#define VEC_BP 3         /* int3: #BP, always through the monitor */

/* Where the page-table figures map and unmap: an L2 slot empty at start of day. */
#define MMU_VA 0x20000000u

/* hvloops.asm */
typedef uint64_t (*loop_fn)(uint32_t n);
uint64_t bench_loop_empty(uint32_t n);
uint64_t bench_loop_int80(uint32_t n);
uint64_t bench_loop_int81(uint32_t n);
uint64_t bench_loop_int3(uint32_t n);
uint64_t bench_loop_hcpage(uint32_t n);
uint64_t bench_loop_int82(uint32_t n);
uint64_t bench_loop_segload(uint32_t n);
void bench_mark_begin(void);
void bench_mark_end(void);
void bench_iret_native(void);
void bench_iret_hypercall(void);

/* ---- reporting ------------------------------------------------------------------ */

_Noreturn static void fail(const char *what, long rc)
{
    rv_printf("BENCH-ERROR %s: %s\n", what, rv_errname(rc));
    rv_shutdown(1);
}

static void check(long rc, const char *what)
{
    if (rc < 0)
        fail(what, rc);
}

static void stats(struct rv_vcpu_stats *s)
{
    check(rv_hc_vcpu_op(RV_VCPUOP_GET_STATS, s), "vcpu_op GET_STATS");
}

/* A measurement: the best loop, its empty twin, and the counters around it. */
struct figure {
    const char *op;
    uint32_t ops;           /* operations in one repetition */
    uint64_t best, base;    /* cycles (or ns) of the best repetition, and of no operation */
    const char *unit;
    uint32_t reps;
    struct rv_vcpu_stats before, after;
    uint32_t extra_hc;      /* hypercalls in the window that are not the operation's */
};

static void begin(struct figure *f, const char *op, uint32_t ops)
{
    *f = (struct figure){ .op = op, .ops = ops, .best = ~0ull, .unit = "cycles", .reps = reps };
    stats(&f->before);
    f->extra_hc = 1; /* the GET_STATS that closes the window */
}

static void take(uint64_t *best, uint64_t v)
{
    if (v < *best)
        *best = v;
}

/* Whether figure op is wanted (only=). */
static int want(const char *op)
{
    for (const char *p = only; p && *p && *p != ' '; p++, op++)
        if (*p != *op)
            return 0;
    return 1;
}

static void report(struct figure *f)
{
    stats(&f->after);
    rv_printf("BENCH op=%s ops=%u best=%llu base=%llu unit=%s reps=%u hc=%u traps=%u sched=%u total=%u\n",
              f->op, f->ops, (unsigned long long)f->best, (unsigned long long)f->base, f->unit, f->reps,
              f->after.hypercalls - f->before.hypercalls - f->extra_hc,
              f->after.traps_bounced - f->before.traps_bounced, f->after.schedules - f->before.schedules,
              f->ops * f->reps);
}

/* ---- ring-1 loops ---------------------------------------------------------------- */

/* The best of `reps` runs of loop(n), and of the empty loop. */
static void loop_best(loop_fn loop, uint32_t n, uint64_t *best, uint64_t *base)
{
    *best = *base = ~0ull;
    for (uint32_t r = 0; r < reps; r++) {
        bench_mark_begin();
        take(best, loop(n));
        bench_mark_end();
        take(base, bench_loop_empty(n));
    }
}

static void asm_figure(const char *op, loop_fn loop, uint32_t n)
{
    struct figure f;

    if (!want(op))
        return;
    begin(&f, op, n);
    loop_best(loop, n, &f.best, &f.base);
    report(&f);
}

/* A C operation, called n times per repetition; i = 0 .. n-1. */
typedef void (*op_fn)(uint32_t i);

static void __attribute__((noinline)) op_nothing(uint32_t i)
{
    __asm__ volatile("" ::"r"(i));
}

/* Not inlined: fn stays an indirect call, as in the empty loop it is compared with. */
static uint64_t __attribute__((noinline)) c_loop(op_fn fn, uint32_t n)
{
    uint64_t t0 = rv_rdtsc();

    for (uint32_t i = 0; i < n; i++)
        fn(i);
    return rv_rdtsc() - t0;
}

/* ops: operations per call of fn (e.g. 2 for a map and an unmap). */
static void c_figure(const char *op, op_fn fn, uint32_t n, uint32_t ops_per_call)
{
    struct figure f;

    if (!want(op))
        return;
    begin(&f, op, n * ops_per_call);
    f.base = ~0ull;
    for (uint32_t r = 0; r < reps; r++) {
        bench_mark_begin();
        take(&f.best, c_loop(fn, n));
        bench_mark_end();
        take(&f.base, c_loop(op_nothing, n));
    }
    report(&f);
}

/* ---- ring 3 ------------------------------------------------------------------------ */

static uint8_t kstack[8192] __attribute__((aligned(16)));     /* ring-1 stack for entries from ring 3 */
static uint8_t ustack[8192] __attribute__((aligned(16)));     /* ring 3's own */
static rv_jmp_buf user_jb;
static struct {
    loop_fn loop;
    uint32_t n;
    uint64_t best, base;
} user_job;

/* Runs in ring 3 (the image is user-accessible and writable at start of
 * day): the job's loops, then back to ring 1 through VEC_EXIT. */
static void user_entry(void)
{
    loop_best(user_job.loop, user_job.n, &user_job.best, &user_job.base);
    __asm__ volatile("int %0" ::"i"(VEC_EXIT));
    for (;;)
        ;
}

static void on_exit_vector(struct rv_trap_frame *f)
{
    rv_trap_longjmp(f, user_jb, 1);
}

/* One excursion to ring 3 that runs loop; the counters include the way
 * back (one iret hypercall), which extra_hc takes out. */
static void user_figure(const char *op, loop_fn loop, uint32_t n)
{
    struct figure f;

    if (!want(op))
        return;
    user_job.loop = loop;
    user_job.n = n;
    begin(&f, op, n);
    if (rv_setjmp(user_jb) == 0)
        rv_enter_user(user_entry, ustack + sizeof(ustack));
    rv_events_disable(); /* the way back takes the real IF (1) of the direct gate as the virtual IF */
    f.best = user_job.best;
    f.base = user_job.base;
    f.extra_hc += 1;
    report(&f);
}

/* ---- traps ---------------------------------------------------------------------- */

static void set_vector(unsigned vector, void (*handler)(void), unsigned flags)
{
    struct rv_trap_info t = { .vector = vector, .flags = flags, .cs = RV_FLAT_RING1_CS,
                              .address = (uint32_t)handler };

    check(rv_hc_set_trap_table(&t, 1), "set_trap_table");
}

static void trap_figures(void)
{
    check(rv_stack_switch_to(kstack + sizeof(kstack)), "stack_switch");
    check(rv_syscall_set(VEC_EXIT, on_exit_vector), "exit vector");
    set_vector(VEC_DIRECT, bench_iret_native, 3);
    set_vector(VEC_BOUNCED, bench_iret_native, 3 | RV_TI_MASK_EVENTS);

    /* the int/iret references: no monitor involvement */
    user_figure("intiret-r3", bench_loop_int80, N(2000));
    asm_figure("intiret-r1", bench_loop_int80, N(2000));
    asm_figure("segload", bench_loop_segload, N(2000));
    /* a null hypercall, both ways */
    asm_figure("hc-page", bench_loop_hcpage, N(2000));
    asm_figure("hc-int82", bench_loop_int82, N(2000));
    /* software interrupts the monitor bounces */
    user_figure("bounce-r3", bench_loop_int81, N(1000));
    set_vector(VEC_BP, bench_iret_native, 1);
    asm_figure("bounce-r1", bench_loop_int3, N(1000));
    set_vector(VEC_BP, bench_iret_hypercall, 1);
    asm_figure("bounce-r1-hciret", bench_loop_int3, N(1000));
    set_vector(VEC_BP, 0, 0);
    rv_events_disable(); /* VEC_BOUNCED masked them; nothing else should see that */
}

/* ---- page tables --------------------------------------------------------------------- */

static uint64_t pte_maddr[512]; /* machine address of the L1 entry of MMU_VA + i pages */
static uint64_t pte_val;        /* a read-only mapping of our data page */
static struct rv_mmu_update batch_map[512], batch_unmap[512];
static struct rv_as other_as;

static void mmu1(uint32_t e, uint64_t val)
{
    struct rv_mmu_update u = { pte_maddr[e], val };

    check(rv_hc_mmu_update(&u, 1, 0), "mmu_update of 1");
}

static void op_mmu1(uint32_t i)
{
    mmu1(i % 512, pte_val);
    mmu1(i % 512, 0);
}

static void op_mmu512(uint32_t i)
{
    uint32_t done = 0;

    (void)i;
    check(rv_hc_mmu_update(batch_map, 512, &done), "mmu_update of 512 (map)");
    check(rv_hc_mmu_update(batch_unmap, 512, &done), "mmu_update of 512 (unmap)");
}

static void op_uvm(uint32_t i)
{
    uint32_t va = MMU_VA + (i % 512) * RV_PAGE_SIZE;

    check(rv_hc_update_va_mapping(va, pte_val, RV_UVMF_NONE), "update_va_mapping");
    check(rv_hc_update_va_mapping(va, 0, RV_UVMF_NONE), "update_va_mapping");
}

static void op_uvm_invlpg(uint32_t i)
{
    uint32_t va = MMU_VA + (i % 512) * RV_PAGE_SIZE;

    check(rv_hc_update_va_mapping(va, pte_val, RV_UVMF_INVLPG), "update_va_mapping invlpg");
    check(rv_hc_update_va_mapping(va, 0, RV_UVMF_INVLPG), "update_va_mapping invlpg");
}

static void op_tlb_flush(uint32_t i)
{
    struct rv_mmuext_op op = { RV_MMUEXT_TLB_FLUSH, 0 };

    (void)i;
    check(rv_hc_mmuext_op(&op, 1, 0), "mmuext_op TLB_FLUSH");
}

static void op_baseptr(uint32_t i)
{
    (void)i;
    check(rv_as_activate(&other_as), "NEW_BASEPTR (there)");
    check(rv_as_activate(rv_as_kernel()), "NEW_BASEPTR (back)");
}

static void mmu_figures(void)
{
    struct rv_as *k = rv_as_kernel();
    void *data = rv_frame_alloc();

    if (!data)
        fail("a data frame", -RV_ENOMEM);
    pte_val = ((uint64_t)rv_virt_to_mfn(data) << RV_PAGE_SHIFT) | RV_PTE_P | RV_PTE_US | RV_PTE_A | RV_PTE_D;
    /* An L1 for MMU_VA (rv_as_map adds it), then every entry empty again. */
    check(rv_as_map(k, MMU_VA, rv_virt_to_mfn(data), RV_PTE_US), "map at MMU_VA");
    check(rv_mmu_flush(), "flush");
    for (uint32_t e = 0; e < 512; e++) {
        pte_maddr[e] = rv_as_pte_maddr(k, MMU_VA + e * RV_PAGE_SIZE);
        if (!pte_maddr[e])
            fail("no L1 at MMU_VA", -RV_EINVAL);
        batch_map[e] = (struct rv_mmu_update){ pte_maddr[e], pte_val };
        batch_unmap[e] = (struct rv_mmu_update){ pte_maddr[e], 0 };
    }
    mmu1(0, 0);

    c_figure("mmu-1", op_mmu1, N(256), 2);
    c_figure("mmu-512", op_mmu512, N(8), 2);
    c_figure("uvm", op_uvm, N(256), 2);
    c_figure("uvm-invlpg", op_uvm_invlpg, N(256), 2);
    c_figure("tlb-flush", op_tlb_flush, N(256), 1);
    check(rv_as_create(&other_as), "rv_as_create");
    check(rv_as_pin(&other_as), "rv_as_pin");
    c_figure("baseptr", op_baseptr, N(256), 2);
}

/* ---- events in one domain -------------------------------------------------------------- */

static volatile uint32_t hits;

static void on_hit(uint32_t port, struct rv_trap_frame *f, void *arg)
{
    (void)port, (void)f, (void)arg;
    hits++;
}

static uint32_t loop_port;

static void op_send_self(uint32_t i)
{
    (void)i;
    check(rv_evtchn_send(loop_port), "send to self");
}

static void event_self_figure(void)
{
    long b = rv_evtchn_alloc_unbound(rv_start_info->domid), a;

    check(b, "alloc_unbound (self)");
    a = rv_evtchn_bind_interdomain(rv_start_info->domid, (uint32_t)b, 0, 0);
    check(a, "bind_interdomain (self)");
    check(rv_evtchn_set_handler((uint32_t)b, on_hit, 0), "handler");
    loop_port = (uint32_t)a;
    rv_events_enable();
    hits = 0;
    c_figure("evt-self", op_send_self, N(1000), 1);
    rv_events_disable();
    if (want("evt-self") && hits != N(1000) * reps)
        fail("events to self lost or doubled", -RV_EINVAL);
}

/* ---- two domains ----------------------------------------------------------------------------- */

/*
 * The two domains meet over two channels the main domain offers its peer
 * (ALLOC_UNBOUND, the lower port first): `ping` carries the ping-pong,
 * `ctl` says "next phase".  The peer binds the first two ports offered to
 * it, in port order.
 */
static uint32_t ping_port, ctl_port;
static volatile uint32_t answers;

static void on_answer(uint32_t port, struct rv_trap_frame *f, void *arg)
{
    (void)port, (void)f, (void)arg;
    answers++;
}

static int bound_to_peer(uint32_t port)
{
    struct rv_evtchn_status st;

    check(rv_evtchn_status(port, &st), "status");
    return st.status == RV_EVTCHNSTAT_INTERDOMAIN;
}

static void meet_peer(void)
{
    uint32_t peer = rv_start_info->domid + 1;
    long p = rv_evtchn_alloc_unbound(peer), c = rv_evtchn_alloc_unbound(peer);
    uint64_t limit = rv_time_ns() + 10000 * MS;

    check(p, "alloc_unbound for the peer (is role=peer the next domain?)");
    check(c, "alloc_unbound for the peer");
    if (p > c)
        fail("ports offered out of order", -RV_EINVAL);
    ping_port = (uint32_t)p;
    ctl_port = (uint32_t)c;
    while (!bound_to_peer(ping_port) || !bound_to_peer(ctl_port)) {
        if (rv_time_ns() > limit)
            fail("the peer did not bind in 10 s", -RV_ETIMEDOUT);
        rv_yield();
    }
}

/* One round trip: send, then sleep until the answer's callback has run. */
static void ping_once(void)
{
    uint32_t before = answers;

    rv_events_disable();
    check(rv_evtchn_send(ping_port), "send ping");
    while (answers == before)
        rv_block(); /* virtual IF on and sleep; the callback runs before it returns */
    rv_events_disable();
}

static void pingpong_figure(uint32_t n)
{
    struct figure f;

    check(rv_evtchn_set_handler(ping_port, on_answer, 0), "handler");
    for (int i = 0; i < 16; i++) /* warm up: the peer settles into its poll loop */
        ping_once();
    if (!want("evt-pingpong"))
        goto out;
    begin(&f, "evt-pingpong", n);
    f.base = 0;
    for (uint32_t r = 0; r < reps; r++) {
        uint64_t t0 = rv_rdtsc();

        bench_mark_begin();
        for (uint32_t i = 0; i < n; i++)
            ping_once();
        bench_mark_end();
        take(&f.best, rv_rdtsc() - t0);
    }
    report(&f);
out:
    check(rv_evtchn_set_handler(ping_port, 0, 0), "handler off");
}

/* Each of our yields lets the peer run, which yields straight back: two
 * switches per iteration. */
static void yield_figure(uint32_t n)
{
    struct figure f;

    for (int i = 0; i < 16; i++) /* the peer takes the ctl event and starts yielding */
        rv_yield();
    if (!want("dom-switch"))
        return;
    begin(&f, "dom-switch", 2 * n);
    f.base = 0;
    for (uint32_t r = 0; r < reps; r++) {
        uint64_t t0 = rv_rdtsc();

        bench_mark_begin();
        for (uint32_t i = 0; i < n; i++)
            check(rv_hc_sched_op(RV_SCHED_YIELD, 0, 0), "yield");
        bench_mark_end();
        take(&f.best, rv_rdtsc() - t0);
    }
    report(&f);
}

static void two_domain_figures(void)
{
    pingpong_figure(N(200));
    check(rv_evtchn_send(ctl_port), "ctl: yield phase");
    yield_figure(N(500));
    check(rv_evtchn_send(ctl_port), "ctl: end");
    /* Alone again before the timer: the peer's ports close when it ends. */
    while (bound_to_peer(ctl_port))
        rv_yield();
}

/* ---- the peer ----------------------------------------------------------------------------- */

static volatile uint32_t pings;

static void on_ping(uint32_t port, struct rv_trap_frame *f, void *arg)
{
    (void)f, (void)arg;
    pings++;
    if (rv_evtchn_send(port) != 0)
        fail("answer", -RV_EINVAL);
}

static void peer_report(const char *op, uint32_t ops, const struct rv_vcpu_stats *a,
                        const struct rv_vcpu_stats *b)
{
    rv_printf("BENCH op=%s role=peer total=%u hc=%u traps=%u sched=%u\n", op, ops,
              b->hypercalls - a->hypercalls - 1, b->traps_bounced - a->traps_bounced,
              b->schedules - a->schedules);
}

static int peer_main(void)
{
    uint32_t main_dom = rv_start_info->domid - 1, got[2], n = 0, yields = 0;
    uint64_t limit = rv_time_ns() + 10000 * MS;
    struct rv_vcpu_stats s0, s1, s2;

    check(rv_events_init(), "rv_events_init");
    while (n < 2) {
        for (uint32_t p = 1; p < 64 && n < 2; p++) {
            long r = rv_evtchn_bind_interdomain(main_dom, p, 0, 0);

            if (r > 0)
                got[n++] = (uint32_t)r;
        }
        if (n < 2 && rv_time_ns() > limit)
            fail("the main domain offered no ports in 10 s", -RV_ETIMEDOUT);
        if (n < 2)
            rv_yield();
    }
    check(rv_evtchn_set_handler(got[0], on_ping, 0), "ping handler");
    rv_events_enable();

    /* ping-pong until ctl: answers come from the callback */
    uint32_t ports[2] = { got[0], got[1] };
    struct rv_sched_poll poll = { .ports = (uint32_t)ports, .nr_ports = 2, .timeout = 0 };
    stats(&s0);
    while (!rv_evtchn_test_and_clear(got[1]))
        check(rv_hc_sched_op(RV_SCHED_POLL, (unsigned long)&poll, 0), "poll");
    stats(&s1);
    /* yield until ctl again */
    while (!rv_evtchn_test_and_clear(got[1])) {
        check(rv_hc_sched_op(RV_SCHED_YIELD, 0, 0), "yield");
        yields++;
    }
    stats(&s2);
    rv_events_disable();
    peer_report("evt-pingpong", pings, &s0, &s1);
    peer_report("dom-switch", 2 * yields, &s1, &s2);
    return 0;
}

/* ---- the timer ------------------------------------------------------------------------------ */

static volatile uint64_t fired_ns;
static volatile uint32_t fired;

static void on_timer(uint32_t port, struct rv_trap_frame *f, void *arg)
{
    (void)port, (void)f, (void)arg;
    fired_ns = rv_time_ns();
    fired++;
}

/* Deadline to callback, in ns of system time: the guest spins with events
 * on (the interrupt preempts it), or sleeps in sched_op block (the CPU
 * idles until the monitor's timer fires and switches us in). */
static void timer_figure(const char *op, int block)
{
    struct figure f;

    if (!want(op))
        return;
    begin(&f, op, 1);
    f.unit = "ns";
    f.base = 0;
    for (uint32_t r = 0; r < reps; r++) {
        uint32_t before = fired;
        uint64_t deadline = rv_time_ns() + 200 * RV_NS_PER_US, limit = deadline + 2000 * MS;

        rv_events_disable();
        check(rv_timer_set(deadline), "set_timer_op");
        if (block) {
            while (fired == before) {
                rv_block();
                rv_events_disable();
            }
        } else {
            rv_events_enable();
            while (fired == before)
                if (rv_time_ns() > limit)
                    fail("the timer did not fire in 2 s", -RV_ETIMEDOUT);
            rv_events_disable();
        }
        if (fired_ns < deadline)
            fail("the timer fired early", -RV_EINVAL);
        take(&f.best, fired_ns - deadline);
    }
    report(&f);
}

/* ---- main ----------------------------------------------------------------------------------- */

static int main_main(void)
{
    volatile struct rv_vcpu_time_info *t = &rv_vcpu()->time;

    rv_printf("BENCH clock mul=%u shift=%d\n", t->tsc_to_system_mul, t->tsc_shift);
    check(rv_events_init(), "rv_events_init");
    meet_peer(); /* first: the peer then sleeps in poll while we run alone */

    trap_figures();
    mmu_figures();
    event_self_figure();
    two_domain_figures();
    check(rv_timer_bind(on_timer, 0), "timer bind");
    timer_figure("timer-spin", 0);
    timer_figure("timer-block", 1);
    rv_printf("BENCH done\n");
    return 0;
}

int guest_main(void)
{
    const char *role = rv_cmdline_value("role");

    reps = (uint32_t)rv_cmdline_int("reps", 5);
    only = rv_cmdline_value("only");
    div = (uint32_t)rv_cmdline_int("div", 1);
    if (reps < 1 || div < 1)
        fail("reps= and div= must be at least 1", -RV_EINVAL);

    if (role && role[0] == 'p')
        return peer_main();
    return main_main();
}
