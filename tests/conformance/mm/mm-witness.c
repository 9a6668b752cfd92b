/* SPDX-License-Identifier: MIT */
/*
 * mm-witness: the victim the hostile mm tests aim at.
 *
 * It shares a boot with them (tests.list puts a witness on every 8th
 * line, so each boot of 8 has exactly one) and watches its own memory: it
 * fills every free frame (and the unused boot stack) with a pattern
 * derived from the address, checksums what must not change (its code and
 * hypercall page, start_info, its page tables without the accessed/dirty
 * bits the CPU may set), and then re-verifies both, over and over, until
 * every other domain of the boot has ended.  A hostile guest that got a
 * mapping of one of its frames and wrote through it shows up here as a
 * FAILURE naming the address.
 *
 * "Until every other domain has ended", without a way to see them: the
 * monitor preempts a running domain at the end of its quantum only when
 * another domain is eligible to run, and each switch back in counts in
 * vcpu_op GET_STATS "schedules".  So while others live the witness is
 * preempted at least once per quantum; once alone, never.  It stops after
 * a stretch with no preemption of at least WITNESS_QUIET_NS of system
 * time (ten quanta), four times the longest slice it ever got, and two
 * full passes.  After a pass in which it was preempted it yields, to give
 * the hostile guests the CPU.  Two witnesses in one boot would keep each
 * other waiting, and an emulator may be slow: after WITNESS_CAP_NS of
 * system time (ABI "Time") a witness stops anyway, says so, and passes
 * (its memory was intact all the time it watched).
 */
#include "mmtest.h"

#define WITNESS_QUIET_NS 100000000ull  /* 100 ms: ten of the monitor's 10 ms quanta */
#define WITNESS_QUIET_PASSES 2
#define WITNESS_MAX_PASSES 200000
#define WITNESS_CAP_NS 40000000000ull  /* 40 s: inside the runner's 60 s TCG boot timeout */

static uint32_t pat_lo, pat_hi;   /* the pattern region */
static uint32_t seed;
static uint32_t const_sum;        /* checksum of what must not change */

/* Preemption tracking (see the comment at the top). */
static uint32_t last_sched, preempts, passes, quiet_passes;
static uint64_t slice_start, last_check, max_slice;

static uint32_t pattern(uint32_t va)
{
    uint32_t x = va ^ seed;
    x ^= x >> 16;
    x *= 0x7feb352du;
    x ^= x >> 15;
    x *= 0x846ca68bu;
    return x ^ (x >> 16);
}

static uint32_t schedules(void)
{
    struct rv_vcpu_stats vs;
    RVT_REQUIRE_OK(rv_hc_vcpu_op(RV_VCPUOP_GET_STATS, &vs), "vcpu_op GET_STATS");
    return vs.schedules;
}

/* Code and hypercall page, start_info, page tables (A and D masked). */
static uint32_t constant_sum(void)
{
    const struct rv_start_info *si = rv_start_info;
    uint32_t s = rvt_sum_words(si->virt_base, (uint32_t)rv_hypercall_page + RV_PAGE_SIZE, ~0u);
    s ^= rvt_sum_words((uint32_t)si, (uint32_t)si + RV_PAGE_SIZE, ~0u) * 3;
    s ^= rvt_sum_words(si->pt_base, si->pt_base + si->nr_pt_frames * RV_PAGE_SIZE,
                   ~(uint32_t)(RV_PTE_A | RV_PTE_D)) * 7;
    return s;
}

static void fill(void)
{
    for (uint32_t va = pat_lo; va < pat_hi; va += 4)
        *(volatile uint32_t *)va = pattern(va);
}

/* After each page: was the witness switched out since the last look? */
static void check_preempted(void)
{
    uint64_t now = mt_rdtsc();
    uint32_t s = schedules();
    if (s != last_sched) {
        uint64_t slice = last_check - slice_start;
        if (slice > max_slice)
            max_slice = slice;
        preempts++;
        quiet_passes = 0;
        last_sched = s;
        slice_start = now;
    }
    last_check = now;
}

static void verify_pass(void)
{
    for (uint32_t page = pat_lo; page < pat_hi; page += RV_PAGE_SIZE) {
        for (uint32_t va = page; va < page + RV_PAGE_SIZE; va += 4) {
            uint32_t w = *(const volatile uint32_t *)va;
            if (w != pattern(va))
                rvt_failure("witness memory changed at 0x%x (mfn 0x%x): 0x%08x, expected 0x%08x "
                            "(pass %u)", va, mt_mfn_of(va), w, pattern(va), passes);
        }
        check_preempted();
    }
    uint32_t c = constant_sum();
    if (c != const_sum)
        rvt_failure("witness code/start_info/page tables changed: checksum 0x%08x, was 0x%08x (pass %u)",
                    c, const_sum, passes);
}

/* Nanoseconds from TSC cycles, with the scale the monitor publishes (ABI "Time"). */
static uint64_t cycles_to_ns(uint64_t d)
{
    const volatile struct rv_vcpu_time_info *t = &rv_shared_info->vcpu_info[0].time;
    int shift = t->tsc_shift;
    uint32_t mul = t->tsc_to_system_mul;
    d = shift >= 0 ? d << shift : d >> -shift;
    return (d >> 32) * mul + (((d & 0xffffffffu) * mul) >> 32);
}

static int alone(void)
{
    uint64_t quiet = last_check - slice_start;
    if (quiet_passes < WITNESS_QUIET_PASSES || quiet < 4 * max_slice)
        return 0;
    if (!rv_shared_info->vcpu_info[0].time.tsc_to_system_mul)
        return quiet_passes >= 20; /* no time info: passes are all there is */
    return cycles_to_ns(quiet) >= WITNESS_QUIET_NS;
}

void test_main(void)
{
    const struct rv_start_info *si = rv_start_info;

    mt_init();
    pat_lo = si->free_start - 4 * RV_PAGE_SIZE; /* the boot stack: crt0 left it for its own */
    pat_hi = si->virt_base + si->nr_mapped * RV_PAGE_SIZE;
    seed = (uint32_t)mt_rdtsc() ^ si->domid;
    fill();
    const_sum = constant_sum();
    rvt_log("watching %u frames at mfn 0x%x-0x%x (pattern from 0x%x)", si->nr_pages, si->first_mfn,
            si->first_mfn + si->nr_pages - 1, pat_lo);

    last_sched = schedules();
    uint64_t start = slice_start = last_check = mt_rdtsc();
    while (!alone()) {
        uint32_t before = preempts;
        verify_pass();
        passes++;
        quiet_passes++;
        if (preempts != before) {
            /* Others are running: give them the CPU.  A yield is no preemption. */
            rv_yield();
            last_sched = schedules();
            slice_start = last_check = mt_rdtsc();
            quiet_passes = 0;
        }
        if (passes >= WITNESS_MAX_PASSES || cycles_to_ns(last_check - start) >= WITNESS_CAP_NS) {
            rvt_log("others still running after %u passes and %llu s (a slow emulator, or another "
                    "witness in this boot): stopping; memory unchanged until now", passes,
                    (unsigned long long)(cycles_to_ns(last_check - start) / 1000000000u));
            break;
        }
    }
    rvt_log("%u passes, preempted %u times (longest slice %llu cycles), then alone for %u passes (%llu ms)",
            passes, preempts, (unsigned long long)max_slice, quiet_passes,
            (unsigned long long)(cycles_to_ns(last_check - slice_start) / 1000000));
    rvt_success();
}
