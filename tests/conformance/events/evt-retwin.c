/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/events/evt-retwin.c: the return window (vcpu_op
 * RV_VCPUOP_SET_RETURN_WINDOW, ABI.md "Events and time").
 *
 * A guest kernel returning to ring 3 with a native IRET turns its virtual
 * IF on first; an event delivered between that and the IRET would
 * interrupt the kernel's exit path.  Inside the registered window the
 * monitor finishes the return first, so the event interrupts ring 3.
 *
 * - SET_RETURN_WINDOW refuses start > native, native > end, end past the
 *   hole (-EINVAL) and a bad pointer (-EFAULT); all zero removes it.
 * - The IRET part: with an event pending, the virtual IF off, ESP at an
 *   IRET frame to ring 3, the code turns the virtual IF on and makes a
 *   hypercall (any monitor entry delivers a pending event) right before
 *   its IRET.  With the window, the callback's frame is ring 3's entry
 *   point (CS, EIP, ESP of the frame) and the events are masked inside;
 *   without it (the control), the frame is the ring-1 IRET instruction.
 * - The EAX part: the same with the iret hypercall's frame (EAX first) at
 *   ESP before a pop; ring 3 starts with the EAX of that frame.
 */
#include "evtkit.h"

static uint8_t kstack[8192] __attribute__((aligned(16)));
static uint8_t ustack[4096] __attribute__((aligned(16)));
/* The stack the window code returns on: [EAX] EIP CS EFLAGS ESP SS at its
 * top, room below for a callback that interrupts ring 1 (the control). */
static uint32_t wstack[2048] __attribute__((aligned(16)));
static uint32_t *const frame = &wstack[2048 - 6];
static rv_jmp_buf back_from_user;
static volatile uint32_t hits, bad_mask, user_ran_first, user_eax, user_runs;
static volatile struct rv_trap_frame last_frame;

/*
 * go_native(frame, &mask) / go_eax(frame, &mask): ESP moves to the frame,
 * DS and ES become ring 3's (IRET would zero selectors ring 3 may not
 * use), the virtual IF goes on, and a version hypercall inside the window
 * gives the monitor its chance to deliver.  The labels are the windows.
 */
void go_native(uint32_t *f, volatile uint8_t *mask);
void go_eax(uint32_t *f, volatile uint8_t *mask);
extern char win_native_start[], win_native_end[], win_eax_start[], win_eax_native[], win_eax_end[];
void user_entry(void);
__asm__(".text\n"
        ".globl go_native\n"
        "go_native:\n\t"
        "movl 8(%esp), %ecx\n\t"
        "movl 4(%esp), %esp\n\t"
        "movl $0x833, %eax\n\t" /* RV_FLAT_RING3_DS */
        "movw %ax, %ds\n\t"
        "movw %ax, %es\n\t"
        "xorl %ebx, %ebx\n\t"
        "xorl %eax, %eax\n\t" /* version(RV_VERSION_ABI) */
        "movb $0, (%ecx)\n"
        ".globl win_native_start\n"
        "win_native_start:\n\t"
        "int $0x82\n\t"
        "iret\n"
        ".globl win_native_end\n"
        "win_native_end:\n"
        ".globl go_eax\n"
        "go_eax:\n\t"
        "movl 8(%esp), %ecx\n\t"
        "movl 4(%esp), %esp\n\t"
        "movl $0x833, %eax\n\t"
        "movw %ax, %ds\n\t"
        "movw %ax, %es\n\t"
        "xorl %ebx, %ebx\n\t"
        "xorl %eax, %eax\n\t"
        "movb $0, (%ecx)\n"
        ".globl win_eax_start\n"
        "win_eax_start:\n\t"
        "int $0x82\n\t"
        "popl %eax\n"
        ".globl win_eax_native\n"
        "win_eax_native:\n\t"
        "iret\n"
        ".globl win_eax_end\n"
        "win_eax_end:\n"
        ".globl user_entry\n"
        "user_entry:\n\t"
        "movl %eax, user_eax\n\t"
        "incl user_runs\n\t"
        "int $0x80\n"
        "1:\tjmp 1b\n");

static void sys_exit(struct rv_trap_frame *f)
{
    rv_trap_longjmp(f, back_from_user, 1);
}

static void handler(uint32_t port, struct rv_trap_frame *f, void *arg)
{
    (void)port;
    (void)arg;
    hits++;
    last_frame = *f;
    user_ran_first = user_runs;
    if (rv_vcpu()->evtchn_upcall_mask != 1)
        bad_mask++;
}

static long set_window(uint32_t start, uint32_t native, uint32_t end)
{
    struct rv_return_window w = { start, native, end };
    return rv_hc_vcpu_op(RV_VCPUOP_SET_RETURN_WINDOW, &w);
}

static void check_errors(void)
{
    uint32_t a = (uint32_t)win_native_start;

    RVT_EXPECT_RC(set_window(a + 1, a, a + 2), -RV_EINVAL, "start above native");
    RVT_EXPECT_RC(set_window(a, a + 2, a + 1), -RV_EINVAL, "native above end");
    RVT_EXPECT_RC(set_window(a, a, RV_HOLE_START + 1), -RV_EINVAL, "end past the hole");
    RVT_EXPECT_RC(rv_hc_vcpu_op(RV_VCPUOP_SET_RETURN_WINDOW, (void *)evt_unmapped_page()), -RV_EFAULT,
                  "an unmapped window structure");
    RVT_EXPECT_RC(set_window(a, a, RV_HOLE_START), 0, "end at the hole's start");
    RVT_EXPECT_RC(set_window(0, 0, 0), 0, "all zero removes the window");
}

/* One trip: the event pending and masked, then the window code; returns once ring 3 made its system call. */
static void trip(uint32_t port_a, int with_eax)
{
    uint32_t *f = with_eax ? frame : frame + 1;

    frame[0] = 0x5eed1e55;
    frame[1] = (uint32_t)user_entry;
    frame[2] = RV_FLAT_RING3_CS;
    frame[3] = 0x202;
    frame[4] = (uint32_t)ustack + sizeof(ustack);
    frame[5] = RV_FLAT_RING3_DS;
    hits = bad_mask = user_runs = 0;
    user_eax = 0;
    rv_events_disable();
    RVT_REQUIRE_OK(rv_evtchn_send(port_a), "send with the virtual IF off");
    RVT_EXPECT_EQ(hits, 0, "nothing delivered with the virtual IF off");
    if (rv_setjmp(back_from_user) == 0) {
        if (with_eax)
            go_eax(f, &rv_vcpu()->evtchn_upcall_mask);
        else
            go_native(f, &rv_vcpu()->evtchn_upcall_mask);
    }
    rv_events_disable(); /* the system call gate left the real IF's 1 as the virtual IF */
    RVT_EXPECT_EQ(hits, 1, "the event reached the handler once");
    RVT_EXPECT_EQ(user_runs, 1, "ring 3 ran once");
    RVT_EXPECT_EQ(bad_mask, 0, "events masked in the callback");
}

static void check_native_part(uint32_t a)
{
    /* The control: no window, the event interrupts the IRET instruction. */
    trip(a, 0);
    RVT_EXPECT_EQ(last_frame.cs, RV_FLAT_RING1_CS, "without a window: frame CS is ring 1's");
    RVT_EXPECT_EQ(last_frame.eip, (uint32_t)win_native_end - 1, "without a window: frame EIP is the IRET");
    RVT_REQUIRE_OK(set_window((uint32_t)win_native_start, (uint32_t)win_native_start, (uint32_t)win_native_end),
                   "SET_RETURN_WINDOW (IRET frame only)");
    trip(a, 0);
    RVT_EXPECT_EQ(last_frame.cs, RV_FLAT_RING3_CS, "with the window: frame CS is ring 3's");
    RVT_EXPECT_EQ(last_frame.eip, (uint32_t)user_entry, "with the window: frame EIP is ring 3's entry");
    RVT_EXPECT_EQ(last_frame.ss, RV_FLAT_RING3_DS, "with the window: frame SS is ring 3's");
    RVT_EXPECT_EQ(last_frame.esp, (uint32_t)ustack + sizeof(ustack), "with the window: frame ESP is ring 3's");
    RVT_EXPECT_TRUE(last_frame.eflags & 0x200, "with the window: frame EFLAGS.IF = 1");
    RVT_EXPECT_EQ(user_ran_first, 0, "the callback ran before any ring-3 instruction");
}

static void check_eax_part(uint32_t a)
{
    RVT_REQUIRE_OK(set_window((uint32_t)win_eax_start, (uint32_t)win_eax_native, (uint32_t)win_eax_end),
                   "SET_RETURN_WINDOW (EAX part and IRET part)");
    trip(a, 1);
    RVT_EXPECT_EQ(last_frame.cs, RV_FLAT_RING3_CS, "EAX part: frame CS is ring 3's");
    RVT_EXPECT_EQ(last_frame.eip, (uint32_t)user_entry, "EAX part: frame EIP is ring 3's entry");
    RVT_EXPECT_EQ(last_frame.esp, (uint32_t)ustack + sizeof(ustack), "EAX part: frame ESP is ring 3's");
    RVT_EXPECT_EQ(user_eax, 0x5eed1e55, "EAX part: ring 3 starts with the frame's EAX");
    RVT_EXPECT_EQ(user_ran_first, 0, "EAX part: the callback ran before any ring-3 instruction");
    RVT_REQUIRE_OK(set_window(0, 0, 0), "removing the window");
    trip(a, 1);
    RVT_EXPECT_EQ(last_frame.cs, RV_FLAT_RING1_CS, "EAX part, no window: frame CS is ring 1's");
    RVT_EXPECT_EQ(last_frame.eip, (uint32_t)win_eax_start + 2, "EAX part, no window: frame EIP is the pop");
    RVT_EXPECT_EQ(user_eax, 0x5eed1e55, "EAX part, no window: ring 3 gets EAX from the pop");
}

void test_main(void)
{
    uint32_t a, b;

    RVT_REQUIRE_OK(rv_events_init(), "rv_events_init (set_callbacks)");
    RVT_REQUIRE_OK(rv_stack_switch_to(kstack + sizeof(kstack)), "stack_switch");
    RVT_REQUIRE_OK(rv_syscall_set(0x80, sys_exit), "system call vector");
    check_errors();
    evt_loopback(&a, &b);
    RVT_REQUIRE_OK(rv_evtchn_set_handler(b, handler, 0), "handler on the loopback port");
    check_native_part(a);
    check_eax_part(a);
    rvt_success();
}
