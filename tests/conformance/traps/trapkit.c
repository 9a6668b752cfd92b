/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/traps/trapkit.c: catching one exception from ring 1 or
 * ring 3 and checking its frame, and a handler that leaves by a native
 * IRET (trapkit.h says why each exists).
 */
#include <stddef.h>
#include "trapkit.h"

uint8_t tk_user_stack[TK_STACK_SIZE] __attribute__((aligned(16)));
uint8_t tk_kernel_stack[TK_STACK_SIZE] __attribute__((aligned(16)));
volatile uint32_t tk_esp;
volatile uint32_t tk_arg;

volatile uint32_t tk_gate_count, tk_gate_esp, tk_gate_frame[5];
volatile uint32_t tk_gate_masked, tk_gate_if_clear, tk_gate_cs, tk_gate_ss;

_Static_assert(offsetof(struct rv_shared_info, vcpu_info[0].evtchn_upcall_mask) == 1,
               "tk_gate_handler writes the event mask at offset 1");

/*
 * The gate handler.  Entered through a real trap gate (a direct vector) or
 * bounced by the monitor; either way the stack holds EIP, CS, EFLAGS and,
 * from ring 3, ESP and SS (SDM Vol. 3A 6.12.1).  DS may still be ring 3's
 * (flat like ours), so every access goes through SS, the ring-1 stack
 * segment, which the tests keep flat.  It records, unmasks events (a
 * bounced entry with RV_TI_MASK_EVENTS masked them), and IRETs: ring 1 to
 * ring 1 or 3 is a plain IRET, no monitor involved.
 */
__asm__(".text\n"
        ".globl tk_gate_handler\n"
        "tk_gate_handler:\n"
        "    pushl %eax\n"
        "    leal 4(%esp), %eax\n"
        "    movl %eax, %ss:tk_gate_esp\n"
        "    movl 4(%esp), %eax\n"
        "    movl %eax, %ss:tk_gate_frame\n"
        "    movl 8(%esp), %eax\n"
        "    movl %eax, %ss:tk_gate_frame+4\n"
        "    movl 12(%esp), %eax\n"
        "    movl %eax, %ss:tk_gate_frame+8\n"
        "    testl $0x200, %eax\n"
        "    jnz 1f\n"
        "    incl %ss:tk_gate_if_clear\n"
        "1:  movl 16(%esp), %eax\n"
        "    movl %eax, %ss:tk_gate_frame+12\n"
        "    movl 20(%esp), %eax\n"
        "    movl %eax, %ss:tk_gate_frame+16\n"
        "    xorl %eax, %eax\n"
        "    movw %cs, %ax\n"
        "    movl %eax, %ss:tk_gate_cs\n"
        "    movw %ss, %ax\n"
        "    movl %eax, %ss:tk_gate_ss\n"
        "    movl %ss:rv_shared_info, %eax\n"
        "    cmpb $0, %ss:1(%eax)\n"
        "    je 2f\n"
        "    incl %ss:tk_gate_masked\n"
        "    movb $0, %ss:1(%eax)\n"
        "2:  incl %ss:tk_gate_count\n"
        "    popl %eax\n"
        "    iret\n");

void tk_gate_reset(void)
{
    tk_gate_count = tk_gate_esp = tk_gate_masked = tk_gate_if_clear = 0;
    tk_gate_cs = tk_gate_ss = 0;
    for (int i = 0; i < 5; i++)
        tk_gate_frame[i] = 0;
}

long tk_set_vector(unsigned vector, unsigned flags, unsigned cs, uint32_t address)
{
    struct rv_trap_info ti = {
        .vector = (uint8_t)vector, .flags = (uint8_t)flags, .cs = (uint16_t)cs, .address = address,
    };
    return rv_hc_set_trap_table(&ti, 1);
}

void tk_init(void)
{
    RVT_REQUIRE_OK(rv_trap_set_defaults(), "default trap handlers");
    RVT_REQUIRE_OK(rv_stack_switch_to((void *)TK_KERNEL_TOP), "stack_switch");
}

/* ---- catching ----------------------------------------------------------- */

struct rv_vcpu_stats tk_delta;
static rv_jmp_buf catch_jb;
static struct tk_caught caught;

static void catcher(struct rv_trap_frame *f)
{
    caught.mask_on_entry = rv_vcpu()->evtchn_upcall_mask; /* before anything can change it */
    caught.cr2_shared = rv_shared_info->vcpu_info[0].arch.cr2;
    caught.cs_on_entry = (uint16_t)rv_read_cs();
    caught.ss_on_entry = (uint16_t)tk_read_ss();
    caught.f = *f;
    /* f points into the stack: the pushed frame ends after EFLAGS, or after SS from ring 3. */
    caught.frame_end = rv_frame_ring(f) == 3 ? (uint32_t)(uintptr_t)(&f->ss + 1)
                                             : (uint32_t)(uintptr_t)&f->esp;
    f->eflags &= ~0x500u; /* TF (a single-step test) and DF (C code wants it clear) */
    rv_trap_longjmp(f, catch_jb, 1);
}

static void finished(struct rv_trap_frame *f)
{
    f->eflags &= ~0x500u;
    rv_trap_longjmp(f, catch_jb, 2);
}

int tk_catch(unsigned vector, unsigned flags, int ring, void (*fn)(void), struct tk_caught *out)
{
    unsigned old_flags, done_flags;
    rv_trap_fn old = rv_trap_get(vector, &old_flags);
    rv_trap_fn old_done = rv_trap_get(TK_DONE_VECTOR, &done_flags);
    struct rv_vcpu_stats s0, s1;
    volatile int r;

    memset(&caught, 0, sizeof(caught));
    RVT_REQUIRE_OK(rv_trap_set(TK_DONE_VECTOR, finished, 3), "installing the exit vector");
    RVT_REQUIRE_OK(rv_trap_set(vector, catcher, flags), "installing the catching handler");
    s0 = tk_stats();
    r = rv_setjmp(catch_jb);
    if (r == 0) {
        if (ring == 3)
            rv_enter_user(fn, (void *)TK_USER_TOP);
        fn();
        r = 2;
    }
    s1 = tk_stats();
    tk_delta.hypercalls = s1.hypercalls - s0.hypercalls;
    tk_delta.traps_bounced = s1.traps_bounced - s0.traps_bounced;
    tk_delta.emulated = s1.emulated - s0.emulated;
    tk_delta.schedules = s1.schedules - s0.schedules;
    RVT_REQUIRE_OK(rv_trap_set(TK_DONE_VECTOR, old_done, done_flags), "restoring the exit vector");
    if (vector != TK_DONE_VECTOR)
        RVT_REQUIRE_OK(rv_trap_set(vector, old, old_flags), "restoring the old handler");
    if (r == 1 && out) {
        *out = caught;
        out->bounced = tk_delta.traps_bounced;
    }
    return r == 1;
}

void tk_expect(unsigned vector, unsigned flags, int ring, void (*fn)(void), struct tk_caught *out,
               const char *what)
{
    if (!tk_catch(vector, flags, ring, fn, out))
        rvt_failure("%s: vector %u did not arrive", what, vector);
}

void tk_expect_none(unsigned vector, int ring, void (*fn)(void), const char *what)
{
    struct tk_caught c;

    if (tk_catch(vector, 0, ring, fn, &c))
        rvt_failure("%s: unexpected vector %u at eip 0x%x", what, c.f.vector, c.f.eip);
}

#define FCHK(actual, expected, field)                                                    \
    do {                                                                                 \
        unsigned long a_ = (unsigned long)(actual), e_ = (unsigned long)(expected);      \
        if (a_ != e_)                                                                    \
            rvt_failure("%s: %s is 0x%lx, expected 0x%lx", what, field, a_, e_);         \
    } while (0)

void tk_check_frame(const struct tk_caught *c, unsigned vector, uint32_t err, uint32_t eip,
                    int ring, uint32_t kstack_top, int virt_if, const char *what)
{
    const struct rv_trap_frame *f = &c->f;

    FCHK(f->vector, vector, "vector");
    FCHK(f->error_code, err, "error code");
    FCHK(f->eip, eip, "EIP");
    FCHK(c->cs_on_entry, RV_FLAT_RING1_CS, "CS the handler ran with");
    if (ring == 3) {
        FCHK(f->cs, RV_FLAT_RING3_CS, "CS in the frame");
        FCHK(f->ss, RV_FLAT_RING3_DS, "SS in the frame");
        FCHK(f->esp, tk_esp, "ESP in the frame");
        FCHK(c->frame_end, kstack_top, "end of the frame (top of the stack_switch stack)");
    } else {
        FCHK(f->cs, RV_FLAT_RING1_CS, "CS in the frame");
        FCHK(c->frame_end, tk_esp, "end of the frame (ESP of the interrupted code)");
    }
    FCHK((f->eflags >> 9) & 1, virt_if, "EFLAGS.IF (the virtual IF)");
    FCHK(f->eflags & 0x3000, 0, "EFLAGS.IOPL");
    FCHK(f->eflags & 2, 2, "EFLAGS bit 1");
}
