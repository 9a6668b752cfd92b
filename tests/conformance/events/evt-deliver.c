/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/events/evt-deliver.c: set_callbacks (hypercall 16)
 * and the delivery protocol of ABI.md "Events and time", on a loopback
 * channel and the timer:
 *
 * - set_callbacks refuses a cs that is not a ring-1 code selector and an
 *   address in the hole (-EINVAL) and keeps the old callback; it takes a
 *   guest-installed DPL-1 code selector.
 * - An event sent to ourselves with the virtual IF on is delivered before
 *   the send returns: the callback frame is an exception frame without an
 *   error code that returns into the hypercall stub, with EFLAGS.IF = 1;
 *   inside, events are masked and the port's pending bit is already clear;
 *   after the iret the virtual IF is on again.
 * - A masked port becomes pending without an upcall; EVTCHNOP_UNMASK
 *   delivers it (once); UNMASK of a port that is not pending delivers
 *   nothing; bad ports are -EINVAL.
 * - With the virtual IF off an event waits (evtchn_upcall_pending set);
 *   the unmask protocol (rv_events_enable) delivers it exactly once.
 * - An event raised inside the handler is delivered right after the iret
 *   (the monitor enters the callback again).
 * - Pending ports in two selector words are handled in one upcall.
 * - address 0 removes the callback: events stay pending, block returns at
 *   once; installing it again delivers them.
 * - An event that interrupts ring 3 arrives on the stack_switch stack
 *   with SS:ESP in the frame.
 */
#include "evtkit.h"

static volatile uint32_t hits, bad_mask, still_pending, last_port;
static volatile struct rv_trap_frame last_frame;
static volatile uint32_t resend_port, handler_esp;

static void handler(uint32_t port, struct rv_trap_frame *f, void *arg)
{
    (void)arg;
    hits++;
    last_port = port;
    last_frame = *f;
    if (rv_vcpu()->evtchn_upcall_mask != 1)
        bad_mask++;
    if (rv_evtchn_is_pending(port))
        still_pending++;
    handler_esp = (uint32_t)__builtin_frame_address(0);
    if (resend_port) {
        uint32_t p = resend_port;

        resend_port = 0;
        rv_evtchn_send(p);
    }
}

static void check_set_callbacks(void)
{
    static const struct {
        uint32_t cs, address;
        const char *what;
    } bad[] = {
        { RV_FLAT_RING1_DS, 0, "a data selector" },
        { RV_FLAT_RING3_CS, 0, "the ring-3 code selector" },
        { RV_FLAT_RING1_CS & ~3u, 0, "the ring-1 code selector with RPL 0" },
        { RV_FLAT_RING1_CS | 3u, 0, "the ring-1 code selector with RPL 3" },
        { 0, 0, "the null selector" },
        { (100 << 3) | 1, 0, "an empty guest GDT entry" },
        { RV_FLAT_RING1_CS, RV_HOLE_START, "an address at the hole's start" },
        { RV_FLAT_RING1_CS, 0xfffffff0u, "an address high in the hole" },
    };
    struct rv_descriptor code = rv_desc_segment(0, RV_HOLE_START - 1, RV_SEG_CODE_RX, 1);
    char what[96];

    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        uint32_t address = bad[i].address ? bad[i].address : (uint32_t)rv_evtchn_callback;

        rv_snprintf(what, sizeof(what), "set_callbacks with %s", bad[i].what);
        RVT_EXPECT_RC(rv_hc_set_callbacks(bad[i].cs, address), -RV_EINVAL, what);
    }
    /* A DPL-1 code segment of our own is a ring-1 code selector too. */
    RVT_REQUIRE_OK(rv_hc_update_descriptor(100, code.low, code.high), "update_descriptor (DPL-1 code)");
    RVT_EXPECT_RC(rv_hc_set_callbacks(rv_selector(100, 1), (uint32_t)rv_evtchn_callback), 0,
                  "set_callbacks with a guest DPL-1 code selector");
    RVT_EXPECT_RC(rv_hc_set_callbacks(RV_FLAT_RING1_CS, RV_HOLE_START - 16), 0,
                  "set_callbacks with the last address below the hole");
    RVT_EXPECT_RC(rv_hc_set_callbacks(RV_FLAT_RING1_CS, (uint32_t)rv_evtchn_callback), 0,
                  "set_callbacks with the flat ring-1 code selector");
    RVT_REQUIRE_OK(rv_hc_update_descriptor(100, 0, 0), "clearing GDT entry 100");
}

/* The refused calls above must not have replaced the callback: sending now
 * must reach ours, and do it inside the send. */
static void check_sync_delivery(uint32_t a, uint32_t b)
{
    uint32_t stub = (uint32_t)rv_hypercall_page + RV_HC_event_channel_op * RV_HYPERCALL_STUB_SIZE;

    rv_evtchn_set_handler(b, handler, 0);
    rv_events_enable();
    hits = 0;
    RVT_EXPECT_RC(rv_evtchn_send(a), 0, "send on a loopback port");
    RVT_EXPECT_EQ(hits, 1, "handler runs exactly once, before send returns");
    RVT_EXPECT_EQ(last_port, b, "the port the handler was called for");
    RVT_EXPECT_EQ(bad_mask, 0, "events are masked inside the callback");
    RVT_EXPECT_EQ(still_pending, 0, "the pending bit is clear when the handler runs");
    RVT_EXPECT_EQ(last_frame.vector, RV_EVTCHN_VECTOR, "frame built by the callback entry");
    RVT_EXPECT_EQ(last_frame.cs, RV_FLAT_RING1_CS, "frame CS: the interrupted ring-1 code");
    RVT_EXPECT_TRUE(last_frame.eflags & 0x200, "frame EFLAGS.IF = 1 (the virtual IF was on)");
    RVT_EXPECT_TRUE(last_frame.eip > stub && last_frame.eip < stub + RV_HYPERCALL_STUB_SIZE,
                    "frame EIP: inside the event_channel_op stub, after its int 0x82");
    RVT_EXPECT_EQ(rv_vcpu()->evtchn_upcall_mask, 0, "virtual IF on again after the callback");
    RVT_EXPECT_EQ(rv_vcpu()->evtchn_upcall_pending, 0, "evtchn_upcall_pending cleared");
    /* and the other direction of the same channel */
    rv_evtchn_set_handler(a, handler, 0);
    RVT_EXPECT_RC(rv_evtchn_send(b), 0, "send on the other loopback port");
    RVT_EXPECT_EQ(hits, 2, "the reverse direction is delivered too");
    RVT_EXPECT_EQ(last_port, a, "the reverse direction's port");
}

static void check_port_mask(uint32_t a, uint32_t b)
{
    static const uint32_t bad_ports[] = { 0, RV_NR_EVTCHN, 0xffffffffu };
    char what[64];

    hits = 0;
    rv_evtchn_mask(b);
    RVT_EXPECT_RC(rv_evtchn_send(a), 0, "send to a masked port");
    RVT_EXPECT_EQ(hits, 0, "a masked port raises no upcall");
    RVT_EXPECT_TRUE(rv_evtchn_is_pending(b), "a masked port still becomes pending");
    RVT_EXPECT_EQ(rv_vcpu()->evtchn_upcall_pending, 0, "no evtchn_upcall_pending for a masked port");
    RVT_EXPECT_RC(rv_hc_event_channel_op(RV_EVTCHNOP_UNMASK, (void *)(uintptr_t)b), 0, "EVTCHNOP_UNMASK");
    RVT_EXPECT_EQ(hits, 1, "EVTCHNOP_UNMASK of a pending port delivers it at once");
    RVT_EXPECT_EQ(rv_evtchn_is_masked(b), 0, "EVTCHNOP_UNMASK clears the mask bit");
    RVT_EXPECT_EQ(rv_evtchn_is_pending(b), 0, "the handled port is no longer pending");
    rv_evtchn_mask(b);
    RVT_EXPECT_RC(rv_hc_event_channel_op(RV_EVTCHNOP_UNMASK, (void *)(uintptr_t)b), 0, "EVTCHNOP_UNMASK, nothing pending");
    RVT_EXPECT_EQ(hits, 1, "unmasking a port that is not pending delivers nothing");
    RVT_EXPECT_EQ(rv_evtchn_is_masked(b), 0, "... and clears the mask bit");
    for (unsigned i = 0; i < sizeof(bad_ports) / sizeof(bad_ports[0]); i++) {
        rv_snprintf(what, sizeof(what), "EVTCHNOP_UNMASK of port 0x%x", bad_ports[i]);
        RVT_EXPECT_RC(rv_hc_event_channel_op(RV_EVTCHNOP_UNMASK, (void *)(uintptr_t)bad_ports[i]), -RV_EINVAL, what);
    }
}

static void check_virtual_if(uint32_t a, uint32_t b)
{
    hits = 0;
    rv_events_disable();
    RVT_EXPECT_RC(rv_evtchn_send(a), 0, "send with the virtual IF off");
    RVT_EXPECT_EQ(hits, 0, "no callback with the virtual IF off");
    RVT_EXPECT_EQ(rv_vcpu()->evtchn_upcall_pending, 1, "evtchn_upcall_pending set while masked");
    RVT_EXPECT_TRUE(rv_evtchn_is_pending(b), "the port is pending");
    RVT_EXPECT_RC(rv_hc_version(RV_VERSION_ABI, 0), RV_ABI_VERSION, "a hypercall with the virtual IF off");
    RVT_EXPECT_EQ(hits, 0, "a hypercall does not deliver while the virtual IF is off");
    rv_events_enable();
    RVT_EXPECT_EQ(hits, 1, "turning the virtual IF on (ABI protocol) delivers exactly once");
    RVT_EXPECT_EQ(rv_vcpu()->evtchn_upcall_pending, 0, "evtchn_upcall_pending cleared");
}

static void check_reentry(uint32_t a, uint32_t b)
{
    uint32_t upcalls = rv_evtchn_upcalls;

    (void)b;
    hits = 0;
    resend_port = a; /* the handler sends on a once more, with events masked */
    RVT_EXPECT_RC(rv_evtchn_send(a), 0, "send (the handler sends again)");
    RVT_EXPECT_EQ(hits, 2, "an event raised inside the handler is delivered after its iret");
    RVT_EXPECT_EQ(rv_evtchn_upcalls - upcalls, 2, "the monitor entered the callback again");
}

static void check_two_words(uint32_t a, uint32_t b)
{
    static uint32_t fill[RV_NR_EVTCHN];
    uint32_t far_a, far_b, n = 0, upcalls;
    long p;

    /* a second loopback pair in another selector word: fill up to port 64 */
    do {
        p = rv_evtchn_alloc_unbound(evt_self());
        RVT_REQUIRE_OK(p, "alloc_unbound (filler)");
        fill[n++] = (uint32_t)p;
    } while (p < 64);
    evt_loopback(&far_a, &far_b);
    rv_evtchn_set_handler(far_b, handler, 0);
    hits = 0;
    rv_events_disable();
    RVT_EXPECT_RC(rv_evtchn_send(a), 0, "send (word 0)");
    RVT_EXPECT_RC(rv_evtchn_send(far_a), 0, "send (word 2)");
    RVT_EXPECT_EQ(rv_vcpu()->evtchn_pending_sel, (1u << (b / 32)) | (1u << (far_b / 32)),
                  "evtchn_pending_sel has the bits of both words");
    upcalls = rv_evtchn_upcalls;
    rv_events_enable();
    RVT_EXPECT_EQ(hits, 2, "both ports handled");
    RVT_EXPECT_EQ(rv_evtchn_upcalls - upcalls, 1, "in one upcall");
    RVT_EXPECT_EQ(rv_vcpu()->evtchn_pending_sel, 0, "evtchn_pending_sel taken");
    while (n)
        RVT_REQUIRE_OK(rv_evtchn_close(fill[--n]), "close");
    RVT_REQUIRE_OK(rv_evtchn_close(far_a), "close");
    RVT_REQUIRE_OK(rv_evtchn_close(far_b), "close");
}

static void check_no_callback(uint32_t a, uint32_t b)
{
    uint64_t t0;

    RVT_EXPECT_RC(rv_hc_set_callbacks(RV_FLAT_RING1_CS, 0), 0, "set_callbacks with address 0");
    hits = 0;
    RVT_EXPECT_RC(rv_evtchn_send(a), 0, "send without a callback");
    RVT_EXPECT_EQ(hits, 0, "without a callback nothing is delivered");
    RVT_EXPECT_EQ(rv_vcpu()->evtchn_upcall_pending, 1, "the event stays pending (upcall_pending)");
    RVT_EXPECT_TRUE(rv_evtchn_is_pending(b), "the event stays pending (port)");
    t0 = rv_time_ns();
    RVT_EXPECT_RC(rv_block(), 0, "block with an event pending");
    RVT_EXPECT_TRUE(rv_time_ns() - t0 < 100 * RV_NS_PER_MS, "block returns at once when an event is pending");
    RVT_EXPECT_EQ(hits, 0, "still nothing delivered");
    RVT_EXPECT_RC(rv_hc_set_callbacks(RV_FLAT_RING1_CS, (uint32_t)rv_evtchn_callback), 0,
                  "set_callbacks again");
    RVT_EXPECT_EQ(hits, 1, "the pending event is delivered once a callback is installed");
}

/* ---- an event that interrupts ring 3 ----------------------------------------- */

static uint8_t kstack[8192] __attribute__((aligned(16)));
static uint8_t ustack[4096] __attribute__((aligned(16)));
static volatile uint32_t user_flag;
static rv_jmp_buf back_from_user;

static void user_code(void)
{
    while (!user_flag)
        ;
    __asm__ volatile("int $0x80");
    for (;;)
        ;
}

static void sys_exit(struct rv_trap_frame *f)
{
    rv_trap_longjmp(f, back_from_user, 1);
}

static void timer_in_user(uint32_t port, struct rv_trap_frame *f, void *arg)
{
    handler(port, f, arg);
    user_flag = 1;
}

static void check_from_ring3(void)
{
    long tport = rv_timer_bind(timer_in_user, 0);

    RVT_REQUIRE_OK(tport, "binding the timer");
    RVT_REQUIRE_OK(rv_stack_switch_to(kstack + sizeof(kstack)), "stack_switch");
    RVT_REQUIRE_OK(rv_syscall_set(0x80, sys_exit), "system call vector");
    for (int tries = 0; tries < 5; tries++) {
        hits = 0;
        user_flag = 0;
        RVT_REQUIRE_OK(rv_timer_set(rv_time_ns() + 20 * RV_NS_PER_MS), "set_timer_op");
        rv_events_enable();
        if (rv_setjmp(back_from_user) == 0)
            rv_enter_user(user_code, ustack + sizeof(ustack));
        RVT_EXPECT_EQ(hits, 1, "the timer event reached the handler once");
        if ((last_frame.cs & 3) != 3)
            continue; /* it fired before ring 3 ran; try again */
        RVT_EXPECT_EQ(last_frame.cs, RV_FLAT_RING3_CS, "frame CS: the interrupted ring-3 code");
        RVT_EXPECT_EQ(last_frame.ss, RV_FLAT_RING3_DS, "frame SS: ring 3's");
        RVT_EXPECT_TRUE(last_frame.esp > (uint32_t)ustack && last_frame.esp <= (uint32_t)ustack + sizeof(ustack),
                        "frame ESP: ring 3's stack");
        RVT_EXPECT_TRUE(last_frame.eflags & 0x200, "frame EFLAGS.IF = 1");
        RVT_EXPECT_TRUE(handler_esp > (uint32_t)kstack && handler_esp < (uint32_t)kstack + sizeof(kstack),
                        "the callback ran on the stack_switch stack");
        RVT_EXPECT_EQ(bad_mask, 0, "events masked in the callback from ring 3");
        rvt_log("timer event taken from ring 3 (eip 0x%x) on the stack_switch stack, try %d",
                last_frame.eip, tries + 1);
        return;
    }
    rvt_error("the timer fired before ring 3 ran in 5 tries");
}

void test_main(void)
{
    uint32_t a, b;

    RVT_REQUIRE_OK(rv_events_init(), "rv_events_init (set_callbacks)");
    check_set_callbacks();
    evt_loopback(&a, &b);
    check_sync_delivery(a, b);
    check_port_mask(a, b);
    check_virtual_if(a, b);
    check_reentry(a, b);
    check_two_words(a, b);
    check_no_callback(a, b);
    check_from_ring3();
    rvt_success();
}
