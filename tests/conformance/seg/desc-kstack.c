/* SPDX-License-Identifier: MIT */
/*
 * seg-desc-kstack (strict, alone): the entry of the ring-1 stack given to
 * stack_switch is not the caller's current SS, so update_descriptor may
 * clear it.  Then a system call from ring 3 has no usable ring-1 stack:
 * the CPU raises #TS, and the monitor cannot deliver that either, so the
 * domain must be killed while the monitor and the other guests go on.
 * Strict because the monitor's kill path then runs with whatever segment
 * registers the guest left, which only a CPU that checks limits punishes.
 */
#include "segutil.h"

#define KSS 60

static uint8_t kstack[4096] __attribute__((aligned(16)));

void r3_syscall(void);
__asm__(".text\n.globl r3_syscall\nr3_syscall:\n\tint $0x80\n1:\tjmp 1b\n");

static void syscall_handler(struct rv_trap_frame *f)
{
    (void)f;
    rvt_failure("the system call arrived on a ring-1 stack whose entry was cleared");
}

void test_main(void)
{
    SEG_RC(seg_update(KSS, seg_desc(0, RV_GUEST_VA_LIMIT, T_DATA_RW, 1)), 0, "a ring-1 stack segment");
    SEG_RC(rv_hc_stack_switch(rv_selector(KSS, 1), (uint32_t)(uintptr_t)kstack + sizeof kstack), 0,
           "stack_switch to it");
    RVT_REQUIRE_OK(rv_syscall_set(0x80, syscall_handler), "int $0x80 handler");
    for (unsigned v = 0; v < 32; v++) /* so the CPU's #TS has somewhere to go: it still needs the stack */
        RVT_REQUIRE_OK(rv_trap_set(v, syscall_handler, 0), "exception handlers");
    SEG_RC(seg_update(KSS, seg_raw(0, 0, 0, 0, 0, 0, 0)), 0, "clearing the stack_switch entry");
    rvt_log("entering ring 3; the next system call has no usable ring-1 stack");
    rv_enter_user(r3_syscall, seg_user_stack + 4096);
}
