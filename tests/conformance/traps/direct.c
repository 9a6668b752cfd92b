/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/traps/direct.c: direct trap gates (ABI.md,
 * set_trap_table: "int n from ring 3 enters the guest kernel with no
 * monitor involvement").
 *
 * Ring 3 runs `int $0x80` N times (N = count=, default 1000) into a
 * handler that returns with a native IRET, so nothing on the way in or
 * out needs the monitor.  Around the loop vcpu_op(GET_STATS) may move by
 * only what the test itself did: the iret hypercall that brings it back
 * to ring 1 and the second GET_STATS.  The CPU's frame must be the one
 * ABI.md describes: SS, ESP, EFLAGS, CS, EIP at the top of the
 * stack_switch stack, the handler running on that stack in the entry's
 * CS.  The same vector with RV_TI_MASK_EVENTS is bounced instead: N more
 * in traps_bounced, and events masked on every entry.  Switching back
 * makes it direct again, and removing it makes int $0x80 a #GP(0x402).
 */
#include "trapkit.h"

/* Ring 3: tk_arg times int $0x80 (ESP noted before each), then leave. */
__asm__(".text\n"
        "u_loop:\n"
        "    movl tk_arg, %ecx\n"
        "1:  movl %esp, tk_esp\n"
        "    int $0x80\n"
        "u_loop_after:\n"
        "    decl %ecx\n"
        "    jnz 1b\n"
        "    int $0x8e\n");
void u_loop(void);
extern char u_loop_after[];

TK_SNIPPET(s_int80, "", "int $0x80");

static uint32_t n;

static void loop(unsigned flags, const char *what)
{
    int masked = (flags & RV_TI_MASK_EVENTS) != 0;

    tk_gate_reset();
    RVT_REQUIRE_OK(tk_set_vector(0x80, flags, RV_FLAT_RING1_CS, (uint32_t)(uintptr_t)tk_gate_handler),
                   "vector 0x80 -> the native-IRET handler");
    tk_set_mask(0);
    tk_arg = n;
    if (tk_catch(13, 0, 3, u_loop, 0))
        rvt_failure("%s: #GP in the loop", what);

    rvt_log("%s: %u entries, stats moved by %u hypercalls, %u bounces", what, tk_gate_count,
            tk_delta.hypercalls, tk_delta.traps_bounced);
    RVT_EXPECT_EQ(tk_gate_count, n, "entries into the handler");
    RVT_EXPECT_EQ(tk_delta.traps_bounced, masked ? n : 0, "traps_bounced over the loop");
    /* The iret back to ring 1 and the second GET_STATS, nothing for the loop itself. */
    RVT_EXPECT_EQ(tk_delta.hypercalls, 2, "hypercalls over the loop (iret + GET_STATS)");
    RVT_EXPECT_EQ(tk_delta.emulated, 0, "instructions emulated over the loop");
    RVT_EXPECT_EQ(tk_gate_masked, masked ? n : 0, "entries that found events masked");
    RVT_EXPECT_EQ(tk_gate_if_clear, 0, "frames with EFLAGS.IF clear (events were on)");

    /* The last frame, word by word (SDM Vol. 3A 6.12.1, figure 6-4). */
    RVT_EXPECT_EQ(tk_gate_esp, TK_KERNEL_TOP - 20, "frame start: 5 words below the stack_switch top");
    RVT_EXPECT_EQ(tk_gate_frame[0], (uint32_t)(uintptr_t)u_loop_after, "frame EIP (after the int)");
    RVT_EXPECT_EQ(tk_gate_frame[1] & 0xffff, RV_FLAT_RING3_CS, "frame CS");
    RVT_EXPECT_EQ(tk_gate_frame[2] & 0x3202, 0x202, "frame EFLAGS: IF 1, IOPL 0, bit 1");
    RVT_EXPECT_EQ(tk_gate_frame[3], tk_esp, "frame ESP (ring 3's)");
    RVT_EXPECT_EQ(tk_gate_frame[4] & 0xffff, RV_FLAT_RING3_DS, "frame SS (ring 3's)");
    RVT_EXPECT_EQ(tk_gate_cs, RV_FLAT_RING1_CS, "CS in the handler");
    RVT_EXPECT_EQ(tk_gate_ss, RV_FLAT_RING1_DS, "SS in the handler (from stack_switch)");
}

void test_main(void)
{
    struct tk_caught c;

    n = (uint32_t)rv_cmdline_int("count", 1000);
    tk_init();

    loop(3, "direct (DPL 3)");
    loop(3 | RV_TI_MASK_EVENTS, "DPL 3 with RV_TI_MASK_EVENTS");
    loop(3, "direct again");

    RVT_REQUIRE_OK(tk_set_vector(0x80, 0, RV_FLAT_RING1_CS, 0), "removing vector 0x80");
    tk_set_mask(0);
    tk_expect(13, 0, 3, s_int80, &c, "int $0x80 after removal");
    tk_check_frame(&c, 13, 0x80 * 8 + 2, (uint32_t)(uintptr_t)s_int80_at, 3, TK_KERNEL_TOP, 1,
                   "int $0x80 after removal");
    rvt_success();
}
