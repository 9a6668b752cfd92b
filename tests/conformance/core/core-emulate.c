/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/core/core-emulate.c: the three emulated sensitive
 * instructions (ABI.md "Sensitive instructions").
 *
 * - CLI sets the virtual IF off (evtchn_upcall_mask = 1), STI on (0),
 *   whatever it was; each adds 1 to stats.emulated; execution goes on at
 *   the next instruction (no byte skipped or repeated); the real
 *   EFLAGS.IF stays 1.
 * - HLT is emulated as sched_op(BLOCK): with evtchn_upcall_pending set
 *   beforehand it returns at once (not descheduled), the mask is cleared,
 *   and stats.emulated goes up by 1.
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

/* HLT with an event pending; 1 if it returned without a reschedule. */
static int hlt_once(void)
{
    volatile struct rv_vcpu_info *v = rv_vcpu();
    struct rv_vcpu_stats a, b;

    v->evtchn_upcall_mask = 1;
    v->evtchn_upcall_pending = 1;
    a = get();
    __asm__ volatile("hlt" ::: "memory");
    b = get();
    RVT_EXPECT_EQ(v->evtchn_upcall_mask, 0, "the event mask after HLT (virtual IF on, as block)");
    RVT_EXPECT_EQ(b.emulated - a.emulated, 1, "stats.emulated after HLT");
    v->evtchn_upcall_pending = 0;
    v->evtchn_upcall_mask = 1;
    return b.schedules == a.schedules;
}

void test_main(void)
{
    RVT_EXPECT_EQ(rv_vcpu()->evtchn_upcall_mask, 1, "events masked at start of day");
    one(0, 0);
    one(0, 1);
    one(1, 1);
    one(1, 0);
    rv_vcpu()->evtchn_upcall_mask = 1;
    for (int i = 0; i < TRIES; i++)
        if (hlt_once())
            rvt_success();
    rvt_failure("HLT with evtchn_upcall_pending set descheduled the vCPU in %d tries out of %d: "
                "it must return at once, as block does", TRIES, TRIES);
}
