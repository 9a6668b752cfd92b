/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/traps/gates.c: which vectors become direct gates, and
 * what a direct gate's frame does to the iret hypercall (ABI.md
 * set_trap_table and iret; issue 17 items 1 and 5).
 *
 * - A vector registered with DPL 3 and events left on is direct exactly
 *   in 0x30-0xef: `int n` from ring 3 costs no bounce (traps_bounced does
 *   not move) and its frame carries the real EFLAGS.IF, 1, even with the
 *   virtual IF off.  0x2f, 0xf0, 0xf5 and 0xff are bounced: one bounce
 *   each, and the frame's IF is the virtual IF (0 here).
 * - Returning from a direct gate's frame through the iret hypercall turns
 *   the virtual IF on: ring 3 entered with events masked finds them
 *   unmasked after `int $0xee` into a handler that only does the iret
 *   hypercall.
 */
#include "trapkit.h"

#define GATE_SNIPPET(v) TK_SNIPPET(s_int_##v, "", "int $" #v)
GATE_SNIPPET(0x2f);
GATE_SNIPPET(0x30);
GATE_SNIPPET(0xee);
GATE_SNIPPET(0xef);
GATE_SNIPPET(0xf0);
GATE_SNIPPET(0xf5);
GATE_SNIPPET(0xff);

static const struct {
    unsigned vector;
    void (*fn)(void);
    int direct;
} cases[] = {
    { 0x2f, s_int_0x2f, 0 }, { 0x30, s_int_0x30, 1 }, { 0xee, s_int_0xee, 1 }, { 0xef, s_int_0xef, 1 },
    { 0xf0, s_int_0xf0, 0 }, { 0xf5, s_int_0xf5, 0 }, { 0xff, s_int_0xff, 0 },
};

/* Ring 1: the whole handler is the iret hypercall on the CPU's frame. */
__asm__(".text\n"
        "iret_only_handler:\n"
        "    push %eax\n"
        "    mov $8, %eax\n"
        "    int $0x82\n");
extern char iret_only_handler[];

/* Ring 3: int $0xee, then note the event mask (shared_info is user-readable). */
volatile uint32_t mask_after;
TK_SNIPPET(s_mask_probe, "", "int $0xee\n"
           "    movl rv_shared_info, %eax\n"
           "    movzbl 1(%eax), %eax\n"   /* vcpu_info[0].evtchn_upcall_mask */
           "    movl %eax, mask_after");

_Static_assert(RV_HC_iret == 8, "the handler above");

void test_main(void)
{
    struct tk_caught c;
    char what[64];

    tk_init();
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        rv_snprintf(what, sizeof what, "int $0x%x (DPL 3, events on)", cases[i].vector);
        tk_set_mask(1);
        tk_expect(cases[i].vector, 3, 3, cases[i].fn, &c, what);
        tk_set_mask(1);
        rvt_log("%s: bounced %u, frame IF %u", what, c.bounced, (c.f.eflags >> 9) & 1);
        if (c.bounced != (cases[i].direct ? 0u : 1u))
            rvt_failure("%s: %u bounce(s), expected %s", what, c.bounced,
                        cases[i].direct ? "0 (a direct gate)" : "1 (not direct)");
        if (((c.f.eflags >> 9) & 1) != (cases[i].direct ? 1u : 0u))
            rvt_failure("%s: frame EFLAGS.IF %u with the virtual IF off: expected %s", what,
                        (c.f.eflags >> 9) & 1, cases[i].direct ? "1 (the real IF)" : "0 (the virtual IF)");
    }

    RVT_REQUIRE_OK(tk_set_vector(0xee, 3, RV_FLAT_RING1_CS, (uint32_t)(uintptr_t)iret_only_handler),
                   "0xee -> a handler that only does the iret hypercall");
    tk_set_mask(1);
    mask_after = 0xff;
    if (tk_catch(13, 0, 3, s_mask_probe, 0))
        rvt_failure("#GP in the probe");
    RVT_EXPECT_EQ(mask_after, 0, "event mask after the iret hypercall on a direct gate's frame");
    tk_set_mask(1);
    rvt_success();
}
