/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/traps/trapkit.h: what the trap tests share.
 *
 * - tk_catch(): run a snippet in ring 1 or ring 3 and catch the one
 *   exception it should raise, keeping the handler's whole view of it: the
 *   frame, where on the stack the monitor (or the CPU) put it, the event
 *   mask and the selectors the handler ran with, and how many exceptions
 *   the monitor bounced meanwhile.
 * - tk_gate_*: an assembly handler that returns with a native IRET, so a
 *   direct trap gate costs no hypercall at all on the way back either;
 *   it counts its entries and keeps the CPU frame of the last one.
 * - Snippets in assembly write ESP to tk_esp just before the instruction
 *   that faults, so a test can tell exactly where the frame must end.
 */
#ifndef TRAPKIT_H
#define TRAPKIT_H

#include "rvtest.h"

#define TK_STACK_SIZE 16384
#define TK_DONE_VECTOR 0x8e   /* a ring-3 snippet that did not fault leaves by int $0x8e */

extern uint8_t tk_user_stack[TK_STACK_SIZE];
extern uint8_t tk_kernel_stack[TK_STACK_SIZE];
#define TK_USER_TOP ((uint32_t)(uintptr_t)(tk_user_stack + TK_STACK_SIZE))
#define TK_KERNEL_TOP ((uint32_t)(uintptr_t)(tk_kernel_stack + TK_STACK_SIZE))

/* ESP just before the faulting instruction (snippets store it). */
extern volatile uint32_t tk_esp;
/* An operand for snippets (a selector, an address), set by the test. */
extern volatile uint32_t tk_arg;

/*
 * A snippet: a global function NAME that runs SETUP, stores ESP in tk_esp,
 * runs the instruction INSN at label NAME_at, and leaves by int $0x8e
 * (TK_DONE_VECTOR) in either ring if INSN did not fault.  NAME_at is what
 * the frame's EIP must be for a fault; a trap leaves EIP after INSN.
 */
#define TK_SNIPPET(name, setup, insn)                                     \
    __asm__(".text\n" #name ":\n" setup "\n"                             \
            "    movl %esp, tk_esp\n" #name "_at: " insn "\n"            \
            "    int $0x8e\n");                                          \
    void name(void);                                                     \
    extern char name##_at[]

struct tk_caught {
    struct rv_trap_frame f;  /* as the handler saw it */
    uint32_t frame_end;      /* address just past the last word pushed for the exception */
    uint32_t cr2_shared;     /* vcpu_info[0].arch.cr2 when the handler ran */
    uint8_t mask_on_entry;   /* evtchn_upcall_mask when the handler ran */
    uint16_t cs_on_entry, ss_on_entry;
    uint32_t bounced;        /* stats.traps_bounced delta over the snippet and its exit */
};

/* How the vcpu_op stats moved over the last tk_catch: from just before fn
 * ran to just after it ended (the second GET_STATS included). */
extern struct rv_vcpu_stats tk_delta;

/* Installs rv_trap_default on 0-31 and points the ring-1 stack at tk_kernel_stack. */
void tk_init(void);

/*
 * Runs fn in ring `ring` (1: a plain call; 3: rv_enter_user on
 * tk_user_stack) with a catching handler on `vector` registered with
 * `flags`.  Returns 1 if that vector fired (out filled), 0 if fn got to
 * its int $TK_DONE_VECTOR (or, in ring 1, returned).  The old handler of
 * vector is put back.  The virtual IF is whatever the caller set.
 */
int tk_catch(unsigned vector, unsigned flags, int ring, void (*fn)(void), struct tk_caught *out);

/* Asserting wrappers: the exception must (not) happen. */
void tk_expect(unsigned vector, unsigned flags, int ring, void (*fn)(void), struct tk_caught *out,
               const char *what);
void tk_expect_none(unsigned vector, int ring, void (*fn)(void), const char *what);

/*
 * Checks the frame of an exception raised by a snippet: vector, error
 * code, EIP, the CPU frame for `ring` (CS; for ring 3 also SS and ESP =
 * tk_esp, and the frame at the top of the stack_switch stack `kstack_top`;
 * for ring 1 the frame right below tk_esp, so no SS:ESP), and EFLAGS.IF =
 * `virt_if`.
 */
void tk_check_frame(const struct tk_caught *c, unsigned vector, uint32_t err, uint32_t eip,
                    int ring, uint32_t kstack_top, int virt_if, const char *what);

/* The event mask (the virtual IF, inverted) as a plain byte. */
static inline void tk_set_mask(int masked)
{
    rv_vcpu()->evtchn_upcall_mask = (uint8_t)masked;
    rv_barrier();
}

static inline struct rv_vcpu_stats tk_stats(void)
{
    struct rv_vcpu_stats s;
    RVT_REQUIRE_OK(rv_hc_vcpu_op(RV_VCPUOP_GET_STATS, &s), "vcpu_op GET_STATS");
    return s;
}

static inline unsigned tk_read_ss(void)
{
    unsigned ss;
    __asm__ volatile("mov %%ss, %0" : "=r"(ss));
    return ss & 0xffff;
}

/* One set_trap_table entry through the raw hypercall. */
long tk_set_vector(unsigned vector, unsigned flags, unsigned cs, uint32_t address);

/* ---- the native-IRET gate handler (trapkit.c) ---------------------------- */

extern char tk_gate_handler[];            /* the entry point */
extern volatile uint32_t tk_gate_count;   /* entries */
extern volatile uint32_t tk_gate_esp;     /* ESP at the last entry: where the CPU frame starts */
extern volatile uint32_t tk_gate_frame[5];/* the 5 words from there (EIP CS EFLAGS [ESP SS]) */
extern volatile uint32_t tk_gate_masked;  /* entries that found events masked */
extern volatile uint32_t tk_gate_if_clear;/* entries whose frame had EFLAGS.IF = 0 */
extern volatile uint32_t tk_gate_cs, tk_gate_ss; /* CS and SS the handler ran with (last entry) */
void tk_gate_reset(void);

/* Guest GDT entries the tests may use (tk does not touch them). */
#define TK_GDT_FIRST 40

#endif
