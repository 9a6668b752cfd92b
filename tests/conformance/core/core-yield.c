/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/core/core-yield.c: sched_op(RV_SCHED_YIELD) gives the
 * CPU to another domain, and both make progress.
 *
 * Two instances run in one boot (manifest: core-yield-a, core-yield-b,
 * args=peer).  Each does ROUNDS of: spin for a fixed amount of work, then
 * yield.  A yield that really gives the CPU away returns only after the
 * other instance (or another domain) has spun, so it takes at least about
 * one spin's time by the TSC; a yield that returns at once takes far less.
 * With a peer, at least half of the yields must be long: the other domain
 * ran while we waited.  Both instances ending with a verdict means neither
 * was starved.  Without `peer` on the command line only the return values
 * and stats.schedules are checked.  Where the timer preempts many spins
 * the timing cannot tell and the test skips (see below).
 */
#include "core.h"

#define ROUNDS 40
#define SPIN 20000

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static void spin(void)
{
    for (volatile unsigned i = 0; i < SPIN; i++)
        ;
}

void test_main(void)
{
    struct rv_vcpu_stats a, b;
    uint64_t min_spin = ~0ull, yield_time[ROUNDS];
    unsigned long_yields = 0;
    int peer = rv_cmdline_has("peer");

    RVT_REQUIRE_OK(rv_hc_vcpu_op(RV_VCPUOP_GET_STATS, &a), "GET_STATS");
    for (int i = 0; i < ROUNDS; i++) {
        uint64_t t0 = rdtsc(), t1, t2;
        long r;

        spin();
        t1 = rdtsc();
        r = rv_hc_sched_op(RV_SCHED_YIELD, 0, 0);
        t2 = rdtsc();
        CORE_EXPECT(r, 0, "yield");
        if (t1 - t0 < min_spin)
            min_spin = t1 - t0;
        yield_time[i] = t2 - t1;
    }
    RVT_REQUIRE_OK(rv_hc_vcpu_op(RV_VCPUOP_GET_STATS, &b), "GET_STATS");
    for (int i = 0; i < ROUNDS; i++)
        if (yield_time[i] > min_spin / 2)
            long_yields++;
    rvt_log("%d yields, %u took longer than half a spin (%u TSC ticks); scheduled %u times",
            ROUNDS, long_yields, (unsigned)min_spin, b.schedules - a.schedules);
    RVT_EXPECT_TRUE(b.schedules - a.schedules >= ROUNDS, "every yield reschedules the vCPU");
    if (!peer)
        rvt_success();
    /*
     * The timing only tells when a spin fits easily in a time slice, so
     * that the peer's spin runs whole inside our yield.  Where the timer
     * preempts many spins (a slow emulator: Bochs at 4 M instructions per
     * second runs about 3 spins per 10 ms slice), it cannot tell.
     */
    if (b.schedules - a.schedules > ROUNDS + ROUNDS / 4)
        rvt_skip("the timer preempted us %u times in %d rounds: too slow here to judge yields by time",
                 b.schedules - a.schedules - ROUNDS, ROUNDS);
    RVT_EXPECT_TRUE(long_yields >= ROUNDS / 2,
                    "with another domain spinning, yield lets it run (long yields)");
    rvt_success();
}
