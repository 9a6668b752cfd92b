/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/core/core-sched.c: hypercall 2, sched_op, except the
 * shutdowns that end the domain (core-exit), yielding against a second
 * domain (core-yield) and RV_SCHED_POLL (an events test).
 *
 * - RV_SCHED_YIELD returns 0 (page and int 0x82), and each yield
 *   switches the vCPU out and in again (vcpu_op stats.schedules).
 * - RV_SCHED_BLOCK with evtchn_upcall_pending set (by the guest itself)
 *   returns 0 at once, without being descheduled, and leaves the event
 *   mask cleared (virtual IF on), whether the mask was set or clear.
 * - RV_SCHED_SHUTDOWN with a reason > 2 (3, 0x100, 0xffffffff): -EINVAL,
 *   and the domain goes on.
 * - Other cmd: -ENOSYS.
 */
#include "core.h"

#define YIELDS 20
#define BLOCK_TRIES 3 /* a timer tick may deschedule us once in a while */

static struct rv_vcpu_stats stats(void)
{
    struct rv_vcpu_stats s;

    RVT_REQUIRE_OK(rv_hc_vcpu_op(RV_VCPUOP_GET_STATS, &s), "vcpu_op GET_STATS");
    return s;
}

static void check_yield(void)
{
    struct rv_vcpu_stats a = stats(), b;

    for (int i = 0; i < YIELDS; i++) {
        CORE_EXPECT(rv_hc_sched_op(RV_SCHED_YIELD, 0, 0), 0, "yield through the page");
        CORE_EXPECT(rv_hypercall_int82(RV_HC_sched_op, RV_SCHED_YIELD, 0, 0, 0, 0), 0,
                      "yield through int 0x82");
    }
    b = stats();
    rvt_log("%d yields: scheduled %u times", 2 * YIELDS, b.schedules - a.schedules);
    RVT_EXPECT_TRUE(b.schedules - a.schedules >= 2 * YIELDS,
                    "each yield switches the vCPU out and back in (stats.schedules)");
}

/* One block with an event pending; 1 if the vCPU was not descheduled. */
static int block_once(uint8_t mask_before)
{
    volatile struct rv_vcpu_info *v = rv_vcpu();
    struct rv_vcpu_stats a, b;
    long r;

    v->evtchn_upcall_mask = mask_before;
    v->evtchn_upcall_pending = 1;
    a = stats();
    r = rv_hc_sched_op(RV_SCHED_BLOCK, 0, 0);
    b = stats();
    CORE_EXPECT(r, 0, "block with an event pending");
    RVT_EXPECT_EQ(v->evtchn_upcall_mask, 0, "the event mask after block (virtual IF on)");
    v->evtchn_upcall_pending = 0;
    v->evtchn_upcall_mask = 1;
    return b.schedules == a.schedules;
}

static void check_block(uint8_t mask_before)
{
    for (int i = 0; i < BLOCK_TRIES; i++)
        if (block_once(mask_before))
            return;
    rvt_failure("block with evtchn_upcall_pending set (mask was %u) descheduled the vCPU "
                "in %d tries out of %d: it must return at once", mask_before, BLOCK_TRIES,
                BLOCK_TRIES);
}

void test_main(void)
{
    static const uint32_t bad_reasons[] = { 3, 4, 0x100, 0x80000000u, 0xffffffffu };
    static const uint32_t bad_cmds[] = { RV_SCHED_POLL + 1, 0x100, 0x80000000u, 0xffffffffu };
    char what[64];

    check_yield();
    check_block(1);
    check_block(0);
    for (unsigned i = 0; i < sizeof(bad_reasons) / sizeof(bad_reasons[0]); i++) {
        rv_snprintf(what, sizeof(what), "shutdown with reason 0x%x", bad_reasons[i]);
        CORE_EXPECT(rv_hc_sched_op(RV_SCHED_SHUTDOWN, bad_reasons[i], 0), -RV_EINVAL, what);
    }
    for (unsigned i = 0; i < sizeof(bad_cmds) / sizeof(bad_cmds[0]); i++) {
        rv_snprintf(what, sizeof(what), "sched_op cmd 0x%x", bad_cmds[i]);
        CORE_EXPECT(rv_hc_sched_op(bad_cmds[i], 0, 0), -RV_ENOSYS, what);
    }
    rvt_success();
}
