/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/core/core-emulate.c: the three emulated sensitive
 * instructions (ABI.md "Sensitive instructions").
 *
 * - CLI sets the virtual IF off (evtchn_upcall_mask = 1), STI on (0),
 *   whatever it was; each adds 1 to stats.emulated; execution goes on at
 *   the next instruction (no byte skipped or repeated); the real
 *   EFLAGS.IF stays 1.
 * - HLT sleeps until an event is pending: with evtchn_upcall_pending set
 *   beforehand it returns at once (not descheduled) and stats.emulated
 *   goes up by 1.  Since ABI 1.5 it leaves the virtual IF as it was (before,
 *   it cleared the mask like sched_op(BLOCK): erratum 14): with events
 *   masked it returns masked, and with the timer VIRQ bound, a timer that
 *   fires while the guest halts with events masked wakes it, still masked,
 *   its handler not run until the guest unmasks.
 */
#include "core.h"

#define TRIES 3 /* a timer tick may deschedule us once in a while */

static struct rv_vcpu_stats get(void)
{
    struct rv_vcpu_stats s;

    RVT_REQUIRE_OK(rv_hc_vcpu_op(RV_VCPUOP_GET_STATS, &s), "GET_STATS");
    return s;
}

static uint32_t real_eflags(void)
{
    uint32_t f;

    __asm__ volatile("pushfl\n\tpopl %0" : "=r"(f));
    return f;
}

/* CLI or STI with the mask set to before; checks mask, count, flow. */
static void one(int sti, uint8_t before)
{
    volatile struct rv_vcpu_info *v = rv_vcpu();
    struct rv_vcpu_stats a, b;
    uint32_t n = 0;
    const char *name = sti ? "STI" : "CLI";

    v->evtchn_upcall_mask = before;
    a = get();
    if (sti)
        __asm__ volatile("sti\n\taddl $1, %0\n\taddl $2, %0" : "+r"(n) : : "memory");
    else
        __asm__ volatile("cli\n\taddl $1, %0\n\taddl $2, %0" : "+r"(n) : : "memory");
    b = get();
    if (v->evtchn_upcall_mask != (sti ? 0 : 1))
        rvt_failure("%s with the mask at %u left it at %u, expected %u", name, before,
                    v->evtchn_upcall_mask, sti ? 0 : 1);
    if (b.emulated - a.emulated != 1)
        rvt_failure("%s: stats.emulated went up by %u, expected 1", name, b.emulated - a.emulated);
    if (n != 3)
        rvt_failure("%s: the two instructions after it added up to %u, expected 3", name, n);
    if (!(real_eflags() & 0x200))
        rvt_failure("%s: the real EFLAGS.IF is 0", name);
}

/* HLT with an event pending and the mask at `mask`; 1 if it returned without a reschedule. */
static int hlt_once(uint8_t mask)
{
    volatile struct rv_vcpu_info *v = rv_vcpu();
    struct rv_vcpu_stats a, b;

    v->evtchn_upcall_mask = 1;
    v->evtchn_upcall_pending = 1;
    a = get();
    v->evtchn_upcall_mask = mask;
    __asm__ volatile("hlt" ::: "memory");
    uint8_t after = v->evtchn_upcall_mask;
    v->evtchn_upcall_mask = 1;
    b = get();
    RVT_EXPECT_EQ(after, mask, "the event mask after HLT (left as it was)");
    RVT_EXPECT_EQ(b.emulated - a.emulated, 1, "stats.emulated after HLT");
    v->evtchn_upcall_pending = 0;
    return b.schedules == a.schedules;
}

static volatile int timer_runs;

static void on_timer(uint32_t port, struct rv_trap_frame *f, void *arg)
{
    (void)port, (void)f, (void)arg;
    timer_runs++;
}

/* HLT with events masked sleeps until the timer's event is pending, and stays masked. */
static void hlt_timer_masked(void)
{
    volatile struct rv_vcpu_info *v = rv_vcpu();

    if (!rv_events_ready())
        RVT_REQUIRE_OK(rv_events_init(), "event callback");
    RVT_REQUIRE_OK(rv_timer_bind(on_timer, 0) > 0 ? 0 : -1, "binding the timer VIRQ");
    v->evtchn_upcall_mask = 1;
    v->evtchn_upcall_pending = 0;
    uint64_t t0 = rv_time_ns();
    RVT_REQUIRE_OK(rv_timer_set(t0 + 2000000), "timer in 2 ms");
    while (!v->evtchn_upcall_pending)
        __asm__ volatile("hlt" ::: "memory");
    uint64_t t1 = rv_time_ns();
    RVT_EXPECT_EQ(v->evtchn_upcall_mask, 1, "the mask after HLT woke on the timer");
    RVT_EXPECT_EQ(timer_runs, 0, "timer handler runs while masked");
    if (t1 - t0 < 1900000)
        rvt_failure("HLT with events masked returned after %u ns, before the timer", (unsigned)(t1 - t0));
    rv_events_enable();
    RVT_EXPECT_EQ(timer_runs, 1, "timer handler runs once unmasked");
}

void test_main(void)
{
    RVT_EXPECT_EQ(rv_vcpu()->evtchn_upcall_mask, 1, "events masked at start of day");
    one(0, 0);
    one(0, 1);
    one(1, 1);
    one(1, 0);
    rv_vcpu()->evtchn_upcall_mask = 1;
    hlt_timer_masked();
    rv_vcpu()->evtchn_upcall_mask = 1;
    for (int i = 0; i < TRIES; i++)
        if (hlt_once(1) && hlt_once(0))
            rvt_success();
    rvt_failure("HLT with evtchn_upcall_pending set descheduled the vCPU in %d tries out of %d: "
                "it must return at once, as block does", TRIES, TRIES);
}
