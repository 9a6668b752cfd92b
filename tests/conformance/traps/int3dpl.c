/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/traps/int3dpl.c: the DPL of vectors 3 (#BP) and 4
 * (#OF) guards INT3, INT 3 and INTO as it guards any `int n` (ABI.md,
 * "Exceptions": "int n ... for a vector the guest registered with a DPL at
 * least the caller's ring is bounced as vector n ...; otherwise it is #GP
 * with error code n * 8 + 2, as on hardware").  On hardware the gate's DPL
 * is checked for INT n, INT3 and INTO alike (SDM Vol. 3A 6.12.1.1), so a
 * ring-3 program cannot raise #BP or #OF into a kernel that registered
 * them with DPL 0 or 1: it gets #GP(0x1a) / #GP(0x22), EIP at the
 * instruction.  With DPL 3 the vector arrives, EIP after the instruction.
 */
#include "trapkit.h"

TK_SNIPPET(s_int3, "", "int3");
TK_SNIPPET(s_int_3, "", ".byte 0xcd, 0x03"); /* int $3: gas would emit int3 */
TK_SNIPPET(s_into, "movl $0x7fffffff, %eax; addl $1, %eax", "into");

static uint32_t at(const char *label)
{
    return (uint32_t)(uintptr_t)label;
}

static void nothing(struct rv_trap_frame *f)
{
    (void)f;
}

static void gp(int ring, unsigned v, void (*fn)(void), const char *insn_at, const char *what)
{
    struct tk_caught c;

    tk_expect(13, 0, ring, fn, &c, what);
    tk_check_frame(&c, 13, v * 8 + 2, at(insn_at), ring, TK_KERNEL_TOP, 1, what);
}

static void arrives(int ring, unsigned v, void (*fn)(void), const char *insn_at, unsigned len,
                    unsigned dpl, const char *what)
{
    struct tk_caught c;

    tk_expect(v, dpl, ring, fn, &c, what);
    tk_check_frame(&c, v, 0, at(insn_at) + len, ring, TK_KERNEL_TOP, 1, what);
}

void test_main(void)
{
    tk_init();
    tk_set_mask(0);

    /* Allowed: DPL 3 from ring 3, DPL 1 from ring 1. */
    arrives(3, 3, s_int3, s_int3_at, 1, 3, "int3 from ring 3, #BP with DPL 3");
    arrives(1, 3, s_int3, s_int3_at, 1, 1, "int3 from ring 1, #BP with DPL 1");
    arrives(3, 4, s_into, s_into_at, 1, 3, "into from ring 3, #OF with DPL 3");

    /* Refused: a DPL below the caller's ring. */
    RVT_REQUIRE_OK(rv_trap_set(3, nothing, 1), "#BP with DPL 1");
    gp(3, 3, s_int3, s_int3_at, "int3 from ring 3, #BP with DPL 1");
    gp(3, 3, s_int_3, s_int_3_at, "int $3 from ring 3, #BP with DPL 1");
    RVT_REQUIRE_OK(rv_trap_set(3, nothing, 0), "#BP with DPL 0");
    gp(1, 3, s_int3, s_int3_at, "int3 from ring 1, #BP with DPL 0");
    gp(1, 3, s_int_3, s_int_3_at, "int $3 from ring 1, #BP with DPL 0");
    RVT_REQUIRE_OK(rv_trap_set(4, nothing, 1), "#OF with DPL 1");
    gp(3, 4, s_into, s_into_at, "into from ring 3, #OF with DPL 1");
    rvt_success();
}
