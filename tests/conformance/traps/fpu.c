/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/traps/fpu.c: fpu_taskswitch(set) (ABI.md).
 *
 * set > 1 is -EINVAL and changes nothing; set = 1 makes the next x87 (and
 * SSE) instruction raise #NM, delivered once, with TS already clear in the
 * handler (an x87 instruction there does not fault again), the FPU
 * registers untouched, and the instruction then completing; set = 0 (the
 * CLTS replacement) means no fault.  TS belongs to the domain: it survives
 * yields.  Guests are built -mgeneral-regs-only, so the FPU is reached
 * with inline assembly only.
 */
#include "trapkit.h"

static volatile unsigned nm_count;
static volatile uint32_t nm_eip;

static void nm_handler(struct rv_trap_frame *f)
{
    nm_count++;
    nm_eip = f->eip;
    if (f->vector != 7 || rv_frame_ring(f) != 1)
        rvt_failure("#NM handler: vector %u from ring %u", f->vector, rv_frame_ring(f));
    /* TS is clear already: this does not fault (if it did, nm_count would say so). */
    __asm__ volatile("fnop");
}

static void fnop(void)
{
    __asm__ volatile("fnop");
}

static void xorps(void)
{
    __asm__ volatile("xorps %%xmm0, %%xmm0" : : : "memory");
}

static int cpu_has_sse(void)
{
    uint32_t a = 1, b, c = 0, d;

    __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
    return (d >> 25) & 1;
}

/* #NM count after fn; checks it went up by `faults`. */
static void expect_nm(void (*fn)(void), unsigned faults, const char *what)
{
    unsigned before = nm_count;

    fn();
    if (nm_count - before != faults)
        rvt_failure("%s: %u #NM, expected %u", what, nm_count - before, faults);
}

static void check_einval(void)
{
    static const uint32_t bad[] = { 2, 3, 0x100, 0x80000000u, 0xffffffffu };

    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        RVT_EXPECT_RC(rv_hc_fpu_taskswitch((int)bad[i]), -RV_EINVAL, "fpu_taskswitch(bad value)");

    RVT_EXPECT_RC(rv_hc_fpu_taskswitch(1), 0, "fpu_taskswitch(1)");
    RVT_EXPECT_RC(rv_hc_fpu_taskswitch(2), -RV_EINVAL, "fpu_taskswitch(2) with TS set");
    expect_nm(fnop, 1, "fnop after fpu_taskswitch(1) then a refused fpu_taskswitch(2)");
    RVT_EXPECT_RC(rv_hc_fpu_taskswitch(0), 0, "fpu_taskswitch(0)");
    RVT_EXPECT_RC(rv_hc_fpu_taskswitch(2), -RV_EINVAL, "fpu_taskswitch(2) with TS clear");
    expect_nm(fnop, 0, "fnop after fpu_taskswitch(0) then a refused fpu_taskswitch(2)");
}

static void check_set(void)
{
    struct rv_vcpu_stats s0, s1;
    uint32_t insn, one = 0;

    RVT_EXPECT_RC(rv_hc_fpu_taskswitch(0), 0, "fpu_taskswitch(0)");
    expect_nm(fnop, 0, "fnop with TS clear");

    /* fld1 faults once; the handler returns, fld1 runs again and the rest never faults. */
    RVT_EXPECT_RC(rv_hc_fpu_taskswitch(1), 0, "fpu_taskswitch(1)");
    nm_count = 0;
    s0 = tk_stats();
    __asm__ volatile("movl $1f, %0\n"
                     "1:  fld1\n\t"
                     "fistpl %1\n\t"
                     "fldz\n\t"
                     "fstp %%st(0)"
                     : "=&r"(insn), "=m"(one)
                     :
                     : "memory");
    s1 = tk_stats();
    RVT_EXPECT_EQ(nm_count, 1, "#NM for fld1, fistp, fldz, fstp after fpu_taskswitch(1)");
    RVT_EXPECT_EQ(nm_eip, insn, "#NM EIP (the fld1)");
    RVT_EXPECT_EQ(one, 1, "fld1 ran after the #NM");
    RVT_EXPECT_EQ(s1.traps_bounced - s0.traps_bounced, 1, "traps_bounced for the #NM");
    expect_nm(fnop, 0, "fnop after the #NM");

    RVT_EXPECT_RC(rv_hc_fpu_taskswitch(1), 0, "fpu_taskswitch(1)");
    RVT_EXPECT_RC(rv_hc_fpu_taskswitch(1), 0, "fpu_taskswitch(1) again");
    expect_nm(fnop, 1, "fnop after fpu_taskswitch(1) twice");
    RVT_EXPECT_RC(rv_hc_fpu_taskswitch(1), 0, "fpu_taskswitch(1)");
    RVT_EXPECT_RC(rv_hc_fpu_taskswitch(0), 0, "fpu_taskswitch(0)");
    expect_nm(fnop, 0, "fnop after fpu_taskswitch(1) then (0)");

    /* The registers stay: a value loaded before TS is set is there after the #NM. */
    one = 0;
    __asm__ volatile("fld1" : : : "memory");
    RVT_EXPECT_RC(rv_hc_fpu_taskswitch(1), 0, "fpu_taskswitch(1) with a value in st(0)");
    {
        unsigned before = nm_count;
        __asm__ volatile("fistpl %0" : "=m"(one) : : "memory");
        RVT_EXPECT_EQ(nm_count - before, 1, "#NM for fistp");
    }
    RVT_EXPECT_EQ(one, 1, "st(0) after the #NM");

    /* TS is the domain's: it stays across yields. */
    RVT_EXPECT_RC(rv_hc_fpu_taskswitch(1), 0, "fpu_taskswitch(1)");
    for (int i = 0; i < 5; i++)
        rv_yield();
    expect_nm(fnop, 1, "fnop after fpu_taskswitch(1) and 5 yields");
    RVT_EXPECT_RC(rv_hc_fpu_taskswitch(0), 0, "fpu_taskswitch(0)");
    for (int i = 0; i < 5; i++)
        rv_yield();
    expect_nm(fnop, 0, "fnop after fpu_taskswitch(0) and 5 yields");

    if (cpu_has_sse()) {
        RVT_EXPECT_RC(rv_hc_fpu_taskswitch(1), 0, "fpu_taskswitch(1)");
        expect_nm(xorps, 1, "xorps after fpu_taskswitch(1)");
        expect_nm(xorps, 0, "xorps after the #NM");
    } else {
        rvt_log("no SSE");
    }
}

void test_main(void)
{
    tk_init();
    RVT_REQUIRE_OK(rv_trap_set(7, nm_handler, 0), "#NM handler");
    check_einval();
    check_set();
    rvt_success();
}
