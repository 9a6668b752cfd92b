/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/traps/deliver_kill.c: a guest that cannot take its
 * exception is killed (ABI.md, "Exceptions and software interrupts").
 * One guest per case (case= on the command line); each must end with the
 * monitor's `killed:` line, so reaching any handler is a failure:
 *
 *   unhandled  #DE with no handler ever registered for it ("unhandled")
 *   removed    #UD after its handler was removed with address 0, having
 *              worked before ("unhandled")
 *   nostack    #UD from ring 3 before any stack_switch ("before stack_switch")
 *   rostack    #UD in ring 1 with ESP on a read-only page (the page tables)
 *              ("fault while delivering")
 *   unmapstk   #UD from ring 3 with the stack_switch stack in an unmapped
 *              page ("fault while delivering")
 *   holestk    #UD in ring 1 with ESP in the monitor's hole: the monitor
 *              must not write its frame there ("fault while delivering")
 */
#include "trapkit.h"

#define UNMAPPED_TOP RV_HOLE_START /* the guest's last page is never mapped at start */

TK_SNIPPET(s_ud, "", "ud2");
TK_SNIPPET(s_de, "xorl %edx, %edx; movl $1, %eax; xorl %ecx, %ecx", "divl %ecx");

static void reached(struct rv_trap_frame *f)
{
    rvt_failure("vector %u reached its handler (eip 0x%x): the domain should have been killed",
                f->vector, f->eip);
}

static rv_jmp_buf jb;

static void caught(struct rv_trap_frame *f)
{
    rv_trap_longjmp(f, jb, 1);
}

/* ud2 in ring 1 with ESP = esp: nothing is pushed before the fault. */
static void ud_on_stack(uint32_t esp)
{
    __asm__ volatile("movl %0, %%esp\n\t"
                     "ud2"
                     :
                     : "r"(esp)
                     : "memory");
}

/* The command-line word `case=` is exactly `name`. */
static int is(const char *c, const char *name)
{
    size_t n = strlen(name);

    return !strncmp(c, name, n) && (c[n] == 0 || c[n] == ' ');
}

void test_main(void)
{
    const char *c = rv_cmdline_value("case");

    if (!c)
        rvt_error("needs case=... on its command line");
    RVT_REQUIRE_OK(rv_trap_set(6, reached, 0), "#UD handler");
    RVT_REQUIRE_OK(rv_trap_set(TK_DONE_VECTOR, reached, 3), "exit vector");

    if (is(c, "unhandled")) {
        RVT_REQUIRE_OK(rv_trap_set(13, reached, 0), "#GP handler");
        s_de();
    } else if (is(c, "removed")) {
        RVT_REQUIRE_OK(rv_trap_set(6, caught, 0), "#UD handler");
        if (rv_setjmp(jb) == 0)
            s_ud();
        rvt_log("#UD reached its handler; removing it");
        RVT_EXPECT_RC(tk_set_vector(6, 0, RV_FLAT_RING1_CS, 0), 0, "removing #UD (address 0)");
        s_ud();
    } else if (is(c, "nostack")) {
        rv_enter_user(s_ud, (void *)TK_USER_TOP);
    } else if (is(c, "rostack")) {
        ud_on_stack(rv_start_info->pt_base + RV_PAGE_SIZE);
    } else if (is(c, "unmapstk")) {
        RVT_EXPECT_RC(rv_hc_stack_switch(RV_FLAT_RING1_DS, UNMAPPED_TOP), 0,
                      "stack_switch to RV_HOLE_START (the top of an unmapped page)");
        rv_enter_user(s_ud, (void *)TK_USER_TOP);
    } else if (is(c, "holestk")) {
        ud_on_stack(RV_HOLE_START + 0x1000);
    } else {
        rvt_error("unknown case '%s'", c);
    }
    rvt_failure("case %s: still running after the exception", c);
}
