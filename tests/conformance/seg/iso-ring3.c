/* SPDX-License-Identifier: MIT */
/*
 * seg-iso-ring3 (strict): ring 3 cannot reach the monitor hole either.
 * With the flat ring-3 selectors, a read, a read-modify-write and a jump
 * at 0xFC100000, and a read across the hole's edge, each raise #GP(0) in
 * ring 3 (the limit check comes before paging, SDM Vol. 3A 5.3), and the
 * monitor bounces it to our ring-1 handler with the ring-3 CS and SS in
 * the frame.
 */
#include "segutil.h"

#define R3(name, body)                                                                   \
    void name(void);                                                                     \
    __asm__(".text\n.globl " #name "\n" #name ":\n\t" body "\n\tint $0x80\n1:\tjmp 1b\n")

R3(r3_read_hole, "movl 0xfc100000, %eax");
R3(r3_read_edge, "movl 0xfbfffffe, %eax");
R3(r3_or_hole, "orl $0, 0xfc100000");
R3(r3_jmp_hole, "movl $0xfc100000, %eax\n\tjmp *%eax");
R3(r3_call_hole, "movl $0xfc000000, %eax\n\tcall *%eax");
R3(r3_ok, "movl 0x00400000, %eax"); /* the image's first page: readable from ring 3 */

static const struct {
    void (*fn)(void);
    const char *what;
} cases[] = {
    { r3_read_hole, "read of 0xFC100000" }, { r3_read_edge, "read of 0xFBFFFFFE (4 bytes)" },
    { r3_or_hole, "OR 0 to 0xFC100000" },   { r3_jmp_hole, "jump to 0xFC100000" },
    { r3_call_hole, "call to 0xFC000000" },
};

static int run(void (*fn)(void), struct rv_trap_frame *f)
{
    struct seg_ring3 r = {
        .eip = (uint32_t)(uintptr_t)fn, .cs = RV_FLAT_RING3_CS, .esp = SEG_USER_STACK_TOP,
        .ss = RV_FLAT_RING3_DS, .ds = RV_FLAT_RING3_DS, .es = RV_FLAT_RING3_DS,
    };
    return seg_run_ring3(&r, f);
}

void test_main(void)
{
    struct rv_trap_frame f;

    seg_require_limits();
    if (run(r3_ok, &f) != SEG_SYSCALL)
        rvt_error("ring 3 does not work: vector %u", f.vector);
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int v = run(cases[i].fn, &f);
        if (v != 13)
            rvt_failure("ring-3 %s: vector %d, expected 13 (#GP)", cases[i].what, v);
        if (f.error_code != 0 || f.cs != RV_FLAT_RING3_CS || f.ss != RV_FLAT_RING3_DS ||
            f.eip >= RV_HOLE_START)
            rvt_failure("ring-3 %s: #GP error 0x%x at %x:%x ss %x, expected error 0 in ring 3 below the hole",
                        cases[i].what, f.error_code, f.cs, f.eip, f.ss);
    }
    RVT_EXPECT_EQ(rv_hc_version(RV_VERSION_ABI, 0), RV_ABI_VERSION, "the monitor still answers");
    rvt_success();
}
