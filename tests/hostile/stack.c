/* SPDX-License-Identifier: MIT */
/*
 * tests/hostile/stack.c: faults while delivering onto a stack the guest
 * made unusable.  One case per domain (case=); each must end with the
 * monitor's "killed: fault while delivering ..." line, never a panic.
 *
 * traps-kill-* (tests/conformance/traps) cover an exception bounced from
 * ring 1 onto a read-only, unmapped or hole stack.  Here the other ways a
 * frame reaches a guest stack:
 *  - an event, delivered by the monitor (push_guest_frame) on the return
 *    from a hypercall, onto ESP in ring 1: unmapped, read-only, in the hole;
 *  - an event and an exception from ring 3, onto the stack_switch stack;
 *  - int 0x80 through a direct trap gate: the CPU itself pushes onto the
 *    stack_switch stack (SDM Vol. 3A 6.12.1), faults (#PF, or #SS on a
 *    limit), and that fault arrives in the monitor with the ring-3 context
 *    (the INT is a fault-class restart point), so the monitor must bounce
 *    it onto the same bad stack, fail, and kill: a nested fault in ring 0.
 */
#include "../conformance/traps/trapkit.h"

#define UNMAPPED_TOP 0x40001000u   /* no L2 maps this GiB */

static uint32_t ro_top(void) { return rv_start_info->pt_base + RV_PAGE_SIZE; }

static int is(const char *c, const char *name)
{
    size_t n = strlen(name);
    return !strncmp(c, name, n) && (c[n] == 0 || c[n] == ' ');
}

static void on_event(uint32_t port, struct rv_trap_frame *f, void *arg)
{
    (void)port, (void)f, (void)arg;
    rvt_failure("the event was delivered onto a stack that cannot hold it");
}

/* A channel to ourselves, pending-able by one SEND. */
static uint32_t self_channel(void)
{
    RVT_REQUIRE_OK(rv_events_init(), "events");
    long unbound = rv_evtchn_alloc_unbound(rv_start_info->domid);
    RVT_REQUIRE_OK(unbound, "alloc_unbound to ourselves");
    long port = rv_evtchn_bind_interdomain(rv_start_info->domid, (uint32_t)unbound, on_event, 0);
    RVT_REQUIRE_OK(port, "bind_interdomain to ourselves");
    return (uint32_t)unbound;
}

/* Ring 1: ESP moved to `esp`, events on, then SEND: the return delivers. */
static void event_on_stack(uint32_t esp)
{
    uint32_t peer = self_channel();
    rv_shared_info->vcpu_info[0].evtchn_upcall_mask = 0;
    __asm__ volatile("movl %0, %%esp\n\t"
                     "int $0x82\n\t"
                     "1: jmp 1b"
                     : : "r"(esp), "a"(RV_HC_event_channel_op), "b"(RV_EVTCHNOP_SEND), "c"(peer) : "memory");
}

TK_SNIPPET(u_spin, "", "1: jmp 1b");
TK_SNIPPET(u_int80, "", "int $0x80");
TK_SNIPPET(u_ud, "", "ud2");

static void never(struct rv_trap_frame *f) { (void)f; rvt_failure("a handler ran on an unusable stack"); }

static _Noreturn void user_with_stack(uint32_t kesp, void (*fn)(void))
{
    RVT_EXPECT_RC(rv_hc_stack_switch(RV_FLAT_RING1_DS, kesp), 0, "stack_switch");
    rv_enter_user(fn, (void *)TK_USER_TOP);
}

void test_main(void)
{
    const char *c = rv_cmdline_value("case");
    if (!c)
        rvt_error("needs case=");
    tk_init();
    RVT_REQUIRE_OK(rv_trap_set(6, never, 0), "#UD handler");
    RVT_REQUIRE_OK(rv_trap_set(14, never, 0), "#PF handler");
    RVT_REQUIRE_OK(rv_syscall_set(0x80, never), "direct int 0x80 gate");
    if (is(c, "event-unmapped"))
        event_on_stack(UNMAPPED_TOP);
    else if (is(c, "event-ro"))
        event_on_stack(ro_top());
    else if (is(c, "event-hole"))
        event_on_stack(RV_HOLE_START + 0x2000);
    else if (is(c, "event-wrap"))
        event_on_stack(8); /* the frame would wrap below 0 */
    else if (is(c, "int80-unmapped"))
        user_with_stack(UNMAPPED_TOP, u_int80);
    else if (is(c, "int80-ro"))
        user_with_stack(ro_top(), u_int80);
    else if (is(c, "int80-hole"))
        user_with_stack(RV_HOLE_START, u_int80);
    else if (is(c, "ud3-ro"))
        user_with_stack(ro_top(), u_ud);
    else if (is(c, "event3-unmapped")) {
        /* Pending while masked, unmasked with no hypercall after it: the first entry
         * from ring 3 (the witness keeps quanta ending) delivers it there. */
        uint32_t peer = self_channel();
        rv_shared_info->vcpu_info[0].evtchn_upcall_mask = 1;
        RVT_EXPECT_RC(rv_hc_stack_switch(RV_FLAT_RING1_DS, UNMAPPED_TOP), 0, "stack_switch");
        RVT_REQUIRE_OK(rv_evtchn_send(peer), "send while masked");
        rv_shared_info->vcpu_info[0].evtchn_upcall_mask = 0;
        rv_enter_user(u_spin, (void *)TK_USER_TOP);
    } else
        rvt_error("unknown case '%s'", c);
    rvt_failure("case %s: still running", c);
}
