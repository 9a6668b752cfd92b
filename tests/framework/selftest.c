/* SPDX-License-Identifier: MIT */
/*
 * tests/framework/selftest.c: the framework checks its own machinery
 * before tests lean on it: both hypercall paths, rv_setjmp/rv_longjmp,
 * rvt_expect_fault for a fault with no error code (#UD), one with an
 * error code (#GP) and #PF with its CR2, and the segment-limit probe.
 */
#include "rvtest.h"

#define UNMAPPED_VA (RV_HOLE_START - RV_PAGE_SIZE) /* the guest's last page: never mapped at start */

static void do_ud2(void *arg)
{
    (void)arg;
    __asm__ volatile("ud2");
}

static void load_null_ss(void *arg)
{
    (void)arg;
    /* MOV to SS of a null selector: #GP(0) (SDM Vol. 2B MOV). */
    __asm__ volatile("movw %w0, %%ss" : : "r"(0) : "memory");
}

static void read_unmapped(void *arg)
{
    (void)*(volatile uint32_t *)arg;
}

static void no_fault(void *arg)
{
    *(int *)arg = 1;
}

static void check_setjmp(void)
{
    rv_jmp_buf jb;
    volatile int passes = 0;
    int r = rv_setjmp(jb);

    passes++;
    if (r == 0)
        rv_longjmp(jb, 0); /* 0 becomes 1 */
    RVT_EXPECT_EQ(r, 1, "rv_setjmp after rv_longjmp(jb, 0)");
    RVT_EXPECT_EQ(passes, 2, "passes through rv_setjmp");
}

void test_main(void)
{
    struct rv_trap_frame f;
    int ran = 0;

    RVT_EXPECT_EQ(rv_hc_version(RV_VERSION_ABI, 0), RV_ABI_VERSION, "version through the page");
    RVT_EXPECT_EQ(rv_hypercall_int82(RV_HC_version, RV_VERSION_ABI, 0, 0, 0, 0), RV_ABI_VERSION,
                  "version through int $0x82");
    RVT_EXPECT_EQ(rv_read_cs() & 3, 1, "CPL at start");
    check_setjmp();

    RVT_EXPECT_EQ(rvt_expect_fault(6, no_fault, &ran, &f), 0, "rvt_expect_fault without a fault");
    RVT_EXPECT_EQ(ran, 1, "the function ran");

    RVT_EXPECT_EQ(rvt_expect_fault(6, do_ud2, 0, &f), 1, "#UD from ud2 caught");
    RVT_EXPECT_EQ(f.vector, 6, "#UD frame vector");
    RVT_EXPECT_EQ(f.cs, RV_FLAT_RING1_CS, "#UD frame CS");
    RVT_EXPECT_EQ(*(const uint16_t *)f.eip, 0x0b0f, "#UD frame EIP points at ud2");

    RVT_EXPECT_EQ(rvt_expect_fault(13, load_null_ss, 0, &f), 1, "#GP from a null SS caught");
    RVT_EXPECT_EQ(f.error_code, 0, "#GP error code");

    RVT_EXPECT_EQ(rvt_expect_fault(14, read_unmapped, (void *)UNMAPPED_VA, &f), 1,
                  "#PF from an unmapped read caught");
    RVT_EXPECT_EQ(f.cr2, UNMAPPED_VA, "#PF cr2");
    RVT_EXPECT_EQ(f.error_code & 7, 0, "#PF error code (not present, read, supervisor)");

    /* Still alive after three faults: the handlers were put back. */
    RVT_EXPECT_EQ(rv_trap_get(14, 0), 0, "no handler left on vector 14");

    rvt_log("segment limits probe says %d", rvt_probe_segment_limits());
    rvt_success();
}
