/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/traps/softint.c: `int n` from ring 1 and ring 3
 * (ABI.md, set_trap_table and "Exceptions and software interrupts").
 *
 * A vector registered with a DPL at least the caller's ring arrives as
 * vector n with EIP after the instruction and no error code, even for a
 * vector whose exception pushes one (14, 17), and even in the range the
 * monitor uses for hardware interrupts (0x20-0x2f); a direct vector
 * (DPL 3, events left on; 0x30, 0x80 and 0xef tried, 0xf0-0xff are
 * hwvec.c's) arrives without a bounce; a vector whose DPL is below the
 * caller's ring, or with no handler, is #GP with error code n * 8 + 2 and
 * EIP at the instruction; int 0x82 from ring 3 is #GP(0x412).  From ring
 * 1 a frame never has SS:ESP.
 */
#include "trapkit.h"

TK_SNIPPET(s_int20, "", "int $0x20");
TK_SNIPPET(s_int2f, "", "int $0x2f");
TK_SNIPPET(s_int30, "", "int $0x30");
TK_SNIPPET(s_int80, "", "int $0x80");
TK_SNIPPET(s_int81, "", "int $0x81");
TK_SNIPPET(s_int82, "", "int $0x82");
TK_SNIPPET(s_int90, "", "int $0x90");
TK_SNIPPET(s_intef, "", "int $0xef");
TK_SNIPPET(s_int0e, "", "int $0x0e");
TK_SNIPPET(s_int11, "", "int $0x11");

static uint32_t at(const char *label)
{
    return (uint32_t)(uintptr_t)label;
}

static void nothing(struct rv_trap_frame *f)
{
    (void)f;
}

/* int n that must arrive as vector n; `direct`: with no bounce by the monitor. */
static void arrives(int ring, unsigned v, unsigned flags, void (*fn)(void), const char *insn_at,
                    int direct, const char *what)
{
    struct tk_caught c;

    tk_set_mask(0);
    tk_expect(v, flags, ring, fn, &c, what);
    tk_check_frame(&c, v, 0, at(insn_at) + 2, ring, TK_KERNEL_TOP, 1, what);
    if (direct)
        RVT_EXPECT_EQ(c.bounced, 0, "traps_bounced for a direct vector");
    else
        RVT_EXPECT_EQ(c.bounced, 1, "traps_bounced for a bounced int n");
    RVT_EXPECT_EQ(c.mask_on_entry, (flags & RV_TI_MASK_EVENTS) ? 1 : 0, "event mask on entry");
}

/* int n that must be #GP(n * 8 + 2) at the instruction. */
static void refused(int ring, unsigned v, void (*fn)(void), const char *insn_at, const char *what)
{
    struct tk_caught c;

    tk_set_mask(0);
    tk_expect(13, 0, ring, fn, &c, what);
    tk_check_frame(&c, 13, v * 8 + 2, at(insn_at), ring, TK_KERNEL_TOP, 1, what);
    RVT_EXPECT_EQ(c.bounced, 1, "traps_bounced for the #GP");
}

/*
 * int n on a vector whose exception has an error code: the handler is the
 * native-IRET gate handler, which keeps the raw words, so an error code
 * pushed by mistake would show as a shifted frame.
 */
static void no_error_code(int ring, unsigned v, void (*fn)(void), const char *insn_at)
{
    unsigned old_flags;
    rv_trap_fn old = rv_trap_get(v, &old_flags);

    tk_gate_reset();
    RVT_REQUIRE_OK(tk_set_vector(v, ring, RV_FLAT_RING1_CS, (uint32_t)(uintptr_t)tk_gate_handler),
                   "gate handler");
    if (tk_catch(13, 0, ring, fn, 0))
        rvt_failure("int $0x%x from ring %d: #GP instead of the vector", v, ring);
    RVT_REQUIRE_OK(rv_trap_set(v, old, old_flags), "restoring the handler");
    RVT_EXPECT_EQ(tk_gate_count, 1, "entries into the handler of int n");
    RVT_EXPECT_EQ(tk_gate_frame[0], at(insn_at) + 2, "word 0 of an int n frame: EIP, no error code");
    RVT_EXPECT_EQ(tk_gate_frame[1] & 0xffff, ring == 3 ? RV_FLAT_RING3_CS : RV_FLAT_RING1_CS,
                  "word 1 of an int n frame: CS");
    if (ring == 3) {
        RVT_EXPECT_EQ(tk_gate_esp, TK_KERNEL_TOP - 20, "int n frame from ring 3: 5 words");
        RVT_EXPECT_EQ(tk_gate_frame[3], tk_esp, "int n frame: ESP of ring 3");
        RVT_EXPECT_EQ(tk_gate_frame[4] & 0xffff, RV_FLAT_RING3_DS, "int n frame: SS of ring 3");
    } else {
        RVT_EXPECT_EQ(tk_gate_esp, tk_esp - 12, "int n frame from ring 1: 3 words");
    }
}

static void from_ring(int ring)
{
    rvt_log("int n from ring %d", ring);
    /* Direct: DPL 3, events left on; 0xf0-0xff are left to hwvec.c. */
    arrives(ring, 0x80, 3, s_int80, s_int80_at, 1, "int $0x80, DPL 3 (direct)");
    arrives(ring, 0x30, 3, s_int30, s_int30_at, 1, "int $0x30, DPL 3 (direct)");
    arrives(ring, 0xef, 3, s_intef, s_intef_at, 1, "int $0xef, DPL 3 (direct)");
    /* Bounced: events masked on entry, or below the direct range. */
    arrives(ring, 0x80, 3 | RV_TI_MASK_EVENTS, s_int80, s_int80_at, 0,
            "int $0x80, DPL 3 with RV_TI_MASK_EVENTS");
    arrives(ring, 0x2f, 3, s_int2f, s_int2f_at, 0, "int $0x2f, DPL 3");
    arrives(ring, 0x20, 3, s_int20, s_int20_at, 0, "int $0x20, DPL 3");
    no_error_code(ring, 14, s_int0e, s_int0e_at);
    no_error_code(ring, 17, s_int11, s_int11_at);

    /* Refused: DPL below the caller's ring, or no handler at all. */
    RVT_REQUIRE_OK(rv_trap_set(0x81, nothing, 0), "vector 0x81 with DPL 0");
    refused(ring, 0x81, s_int81, s_int81_at, "int $0x81 with DPL 0");
    if (ring == 1) {
        arrives(ring, 0x81, 1, s_int81, s_int81_at, 0, "int $0x81 with DPL 1 from ring 1");
        arrives(ring, 0x81, 2, s_int81, s_int81_at, 0, "int $0x81 with DPL 2 from ring 1");
    } else {
        RVT_REQUIRE_OK(rv_trap_set(0x81, nothing, 1), "vector 0x81 with DPL 1");
        refused(ring, 0x81, s_int81, s_int81_at, "int $0x81 with DPL 1 from ring 3");
        RVT_REQUIRE_OK(rv_trap_set(0x81, nothing, 2), "vector 0x81 with DPL 2");
        refused(ring, 0x81, s_int81, s_int81_at, "int $0x81 with DPL 2 from ring 3");
        refused(ring, 0x82, s_int82, s_int82_at, "int $0x82 (the hypercall vector) from ring 3");
    }
    RVT_REQUIRE_OK(rv_trap_set(0x81, 0, 0), "removing vector 0x81");
    refused(ring, 0x81, s_int81, s_int81_at, "int $0x81 after its handler was removed");
    refused(ring, 0x90, s_int90, s_int90_at, "int $0x90, never registered");
}

void test_main(void)
{
    tk_init();
    from_ring(1);
    from_ring(3);
    rvt_success();
}
