/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/traps/fpuctx.c: FPU state is per domain and survives
 * domain switches (ABI.md, fpu_taskswitch).  Two instances run in one
 * boot (traps-fpu-a seed=1, traps-fpu-b seed=2): each loads its own values
 * into st(0)-st(7), the x87 control word and, with SSE, xmm0-xmm7 and
 * MXCSR, yields many times, and checks them.  On alternate rounds (out of
 * step between the two seeds) it also sets TS with fpu_taskswitch(1)
 * before yielding: its own first FPU instruction after the yields must
 * raise exactly one #NM, while the other instance, running in between
 * with TS clear, must see none.
 */
#include "trapkit.h"

static volatile unsigned nm_count;

static void nm_handler(struct rv_trap_frame *f)
{
    (void)f;
    nm_count++;
}

static int cpu_has_sse(void)
{
    uint32_t a = 1, b, c = 0, d;

    __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
    return (d >> 25) & 1;
}

static void x87_load(const int32_t v[8], uint16_t cw)
{
    __asm__ volatile("fninit\n\t"
                     "fldcw %1\n\t"
                     "fildl 0(%0)\n\tfildl 4(%0)\n\tfildl 8(%0)\n\tfildl 12(%0)\n\t"
                     "fildl 16(%0)\n\tfildl 20(%0)\n\tfildl 24(%0)\n\tfildl 28(%0)"
                     :
                     : "r"(v), "m"(cw)
                     : "memory");
}

/* Stores (and pops) all eight: out[0] = st(0) = the last loaded. */
static void x87_store(int32_t out[8], uint16_t *cw)
{
    __asm__ volatile("fnstcw %1\n\t"
                     "fistpl 0(%0)\n\tfistpl 4(%0)\n\tfistpl 8(%0)\n\tfistpl 12(%0)\n\t"
                     "fistpl 16(%0)\n\tfistpl 20(%0)\n\tfistpl 24(%0)\n\tfistpl 28(%0)"
                     :
                     : "r"(out), "m"(*cw)
                     : "memory");
}

static void sse_load(const uint32_t v[32], uint32_t mxcsr)
{
    __asm__ volatile("ldmxcsr %1\n\t"
                     "movups 0(%0), %%xmm0\n\tmovups 16(%0), %%xmm1\n\t"
                     "movups 32(%0), %%xmm2\n\tmovups 48(%0), %%xmm3\n\t"
                     "movups 64(%0), %%xmm4\n\tmovups 80(%0), %%xmm5\n\t"
                     "movups 96(%0), %%xmm6\n\tmovups 112(%0), %%xmm7"
                     :
                     : "r"(v), "m"(mxcsr)
                     : "memory");
}

static void sse_store(uint32_t out[32], uint32_t *mxcsr)
{
    __asm__ volatile("movups %%xmm0, 0(%0)\n\tmovups %%xmm1, 16(%0)\n\t"
                     "movups %%xmm2, 32(%0)\n\tmovups %%xmm3, 48(%0)\n\t"
                     "movups %%xmm4, 64(%0)\n\tmovups %%xmm5, 80(%0)\n\t"
                     "movups %%xmm6, 96(%0)\n\tmovups %%xmm7, 112(%0)\n\t"
                     "stmxcsr %1"
                     :
                     : "r"(out), "m"(*mxcsr)
                     : "memory");
}

void test_main(void)
{
    uint32_t seed = (uint32_t)rv_cmdline_int("seed", 0);
    unsigned rounds = (unsigned)rv_cmdline_int("rounds", 40);
    unsigned yields = (unsigned)rv_cmdline_int("yields", 4);
    int sse = cpu_has_sse();
    /* Different rounding modes per instance: RC = 00 or 11 (x87), 01 or 10 (SSE). */
    uint16_t cw = seed & 1 ? 0x037f : 0x0f7f;
    uint32_t mxcsr = seed & 1 ? 0x3f80 : 0x5f80;
    struct rv_vcpu_stats s0, s1;
    unsigned nm_rounds = 0;

    if (seed == 0 || seed > 100)
        rvt_error("needs seed=1..100 on its command line");
    tk_init();
    RVT_REQUIRE_OK(rv_trap_set(7, nm_handler, 0), "#NM handler");
    rvt_log("seed %u, %u rounds of %u yields, %s", seed, rounds, yields, sse ? "x87 and SSE" : "x87 only");
    s0 = tk_stats();

    for (unsigned r = 0; r < rounds; r++) {
        int32_t v[8], got[8];
        uint32_t x[32], gx[32], got_mxcsr = 0;
        uint16_t got_cw = 0;
        int ts = ((r + seed) & 1) != 0;
        unsigned before;

        for (int k = 0; k < 8; k++)
            v[k] = (int32_t)((seed << 24) | (r << 8) | (uint32_t)k);
        for (int k = 0; k < 32; k++)
            x[k] = (seed << 24) ^ (r << 12) ^ (0x9e3779b9u * (uint32_t)(k + 1));
        x87_load(v, cw);
        if (sse)
            sse_load(x, mxcsr);
        if (ts)
            RVT_REQUIRE_OK(rv_hc_fpu_taskswitch(1), "fpu_taskswitch(1)");
        for (unsigned y = 0; y < yields; y++)
            rv_yield();

        before = nm_count;
        x87_store(got, &got_cw);
        if (sse)
            sse_store(gx, &got_mxcsr);
        if (nm_count - before != (unsigned)ts)
            rvt_failure("round %u: %u #NM, expected %d (TS %s)", r, nm_count - before, ts,
                        ts ? "set by us" : "clear");
        nm_rounds += (unsigned)ts;
        for (int k = 0; k < 8; k++)
            if (got[k] != v[7 - k])
                rvt_failure("round %u: st(%d) is 0x%x, expected 0x%x", r, k, got[k], v[7 - k]);
        if (got_cw != cw)
            rvt_failure("round %u: x87 control word 0x%x, expected 0x%x", r, got_cw, cw);
        if (sse) {
            for (int k = 0; k < 32; k++)
                if (gx[k] != x[k])
                    rvt_failure("round %u: xmm%d word %d is 0x%x, expected 0x%x", r, k / 4, k % 4,
                                gx[k], x[k]);
            if ((got_mxcsr & 0xffc0) != mxcsr)
                rvt_failure("round %u: MXCSR 0x%x, expected 0x%x", r, got_mxcsr, mxcsr);
        }
    }
    s1 = tk_stats();
    rvt_log("%u rounds (%u with TS set), scheduled %u times", rounds, nm_rounds,
            s1.schedules - s0.schedules);
    rvt_success();
}
