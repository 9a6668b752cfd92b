/* SPDX-License-Identifier: MIT */
/*
 * seg-iso-stack (strict): the stack cannot reach the hole.  In ring 3 with
 * ESP = 0xFC000004 a PUSH (its 4 bytes would be the hole's first) raises
 * #SS(0) with ESP unchanged in the frame; so do a CALL there, and a POP
 * with ESP = 0xFC000000.  In ring 1, explicit SS-relative accesses to the
 * hole raise #SS(0).  (A ring-1 PUSH into the hole cannot be tested
 * without losing the domain: the #SS would have to be delivered on that
 * same stack, which a CPU would turn into a double fault.)
 */
#include "segutil.h"

#define R3(name, body)                                                                   \
    void name(void);                                                                     \
    __asm__(".text\n.globl " #name "\n" #name ":\n\t" body "\n\tint $0x80\n1:\tjmp 1b\n")

R3(r3_push_hole, "movl $0xfc000004, %esp\n\tpushl $0");
R3(r3_call_hole, "movl $0xfc000004, %esp\n\tcall 2f\n2:");
R3(r3_pop_hole, "movl $0xfc000000, %esp\n\tpopl %eax");
R3(r3_push_below, "movl $0xfc000000, %esp\n\tpushl $0"); /* 0xFBFFFFFC: in the limit, not mapped */

static void ss_store(void *p)
{
    __asm__ volatile("orl $0, %%ss:(%0)" : : "r"(p) : "memory");
}

static int run(void (*fn)(void), struct rv_trap_frame *f)
{
    struct seg_ring3 r = {
        .eip = (uint32_t)(uintptr_t)fn, .cs = RV_FLAT_RING3_CS, .esp = SEG_USER_STACK_TOP,
        .ss = RV_FLAT_RING3_DS, .ds = RV_FLAT_RING3_DS, .es = RV_FLAT_RING3_DS,
    };
    return seg_run_ring3(&r, f);
}

static void expect_ss(void (*fn)(void), uint32_t esp, const char *what)
{
    struct rv_trap_frame f;
    int v = run(fn, &f);

    if (v != 12)
        rvt_failure("ring-3 %s: vector %d, expected 12 (#SS)", what, v);
    if (f.error_code != 0 || f.esp != esp || f.ss != RV_FLAT_RING3_DS || f.cs != RV_FLAT_RING3_CS)
        rvt_failure("ring-3 %s: #SS error 0x%x esp %x:%x cs %x, expected error 0, esp 0x%x",
                    what, f.error_code, f.ss, f.esp, f.cs, esp);
}

void test_main(void)
{
    struct rv_trap_frame f;

    seg_require_limits();
    expect_ss(r3_push_hole, 0xfc000004u, "PUSH with ESP 0xFC000004");
    expect_ss(r3_call_hole, 0xfc000004u, "CALL with ESP 0xFC000004");
    expect_ss(r3_pop_hole, 0xfc000000u, "POP with ESP 0xFC000000");
    /* The limit is exact: a push to 0xFBFFFFFC gets to paging. */
    int v = run(r3_push_below, &f);
    if (v != 14)
        rvt_failure("ring-3 PUSH to 0xFBFFFFFC: vector %d, expected 14 (#PF)", v);
    RVT_EXPECT_EQ(f.cr2, 0xfbfffffcu, "#PF address of the push");
    RVT_EXPECT_EQ(f.error_code & 6, 6, "#PF error code: a user write");

    static const uint32_t addrs[] = { RV_HOLE_START, 0xfc100000u, RV_HOLE_START - 2 };
    for (unsigned i = 0; i < sizeof addrs / sizeof addrs[0]; i++) {
        v = seg_catch(ss_store, (void *)(uintptr_t)addrs[i], &f);
        if (v != 12 || f.error_code != 0)
            rvt_failure("ring-1 SS-relative write to 0x%x: vector %d error 0x%x, expected #SS(0)",
                        addrs[i], v, f.error_code);
    }
    RVT_EXPECT_EQ(rv_hc_version(RV_VERSION_ABI, 0), RV_ABI_VERSION, "the monitor still answers");
    rvt_success();
}
