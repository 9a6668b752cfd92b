/* SPDX-License-Identifier: MIT */
/*
 * tests/hostile/eflags.c: EFLAGS through every way back into the guest,
 * then IN must still fault.
 *
 * IOPL is what keeps port I/O away from ring 1 (SDM Vol. 1 18.2): a guest
 * that got IOPL 1 (or 3) through any return path could drive every device.
 * VM would put it in virtual-8086 mode, NT makes the next IRET a task
 * return through the monitor's TSS, VIF/VIP belong to VME.  Each case
 * (case=) tries to smuggle IOPL 3, VM, NT, RF, AC, VIF and VIP through one
 * path, checks what PUSHF shows afterwards (IOPL, VM, VIF, VIP must be 0),
 * and executes IN: the domain passes only if the monitor kills it with
 * "privileged instruction in" (tests.list expect=).  The paths: POPF, the
 * iret hypercall, a native IRET ring 1 to ring 1, the return from a
 * bounced exception whose frame the handler edited, the return from the
 * event callback with an edited frame, and a hypercall made with AC and NT
 * set.
 */
#include "../conformance/traps/trapkit.h"

#define EFL_IOPL3 0x3000u
#define EFL_NT 0x4000u
#define EFL_RF 0x10000u
#define EFL_VM 0x20000u
#define EFL_AC 0x40000u
#define EFL_VIF 0x80000u
#define EFL_VIP 0x100000u
#define SMUGGLE (EFL_IOPL3 | EFL_NT | EFL_RF | EFL_VM | EFL_AC | EFL_VIF | EFL_VIP)

static int is(const char *c, const char *name)
{
    size_t n = strlen(name);
    return !strncmp(c, name, n) && (c[n] == 0 || c[n] == ' ');
}

static uint32_t flags_now(void)
{
    uint32_t f;
    __asm__ volatile("pushfl; popl %0" : "=r"(f));
    return f;
}

static _Noreturn void check_then_in(const char *path)
{
    uint32_t f = flags_now();
    rvt_log("%s: EFLAGS 0x%x afterwards", path, f);
    if (f & (EFL_IOPL3 | EFL_VM | EFL_VIF | EFL_VIP))
        rvt_failure("%s: EFLAGS 0x%x kept IOPL, VM, VIF or VIP", path, f);
    __asm__ volatile("pushfl; andl $~0x4000, (%%esp); popfl" ::: "cc"); /* NT off: POPF may set it, legally */
    __asm__ volatile("inb $0x80, %%al" ::: "eax");
    rvt_failure("%s: IN from ring 1 did not fault", path);
}

static volatile uint32_t edits;
static void edit_frame(struct rv_trap_frame *f)
{
    f->eflags |= SMUGGLE;
    if (f->vector == 6)
        f->eip += 2; /* past ud2 */
    edits++;
}

static void edit_event(uint32_t port, struct rv_trap_frame *f, void *arg)
{
    (void)port, (void)arg;
    f->eflags |= SMUGGLE;
    edits++;
}

void test_main(void)
{
    const char *c = rv_cmdline_value("case");
    if (!c)
        rvt_error("needs case=");
    tk_init();
    if (is(c, "popf")) {
        __asm__ volatile("pushfl; orl %0, (%%esp); popfl" : : "i"(SMUGGLE) : "cc");
        check_then_in("POPF");
    } else if (is(c, "iret-hc")) {
        /* The iret hypercall frame: EAX, EIP, CS, EFLAGS (ABI.md hypercall 8). */
        __asm__ volatile("pushfl; orl %0, (%%esp)\n\t"
                         "pushl %1\n\t"
                         "pushl $1f\n\t"
                         "pushl %%eax\n\t"
                         "movl %2, %%eax\n\t"
                         "int $0x82\n"
                         "1:"
                         : : "i"(SMUGGLE), "i"(RV_FLAT_RING1_CS), "i"(RV_HC_iret) : "eax", "memory", "cc");
        check_then_in("iret hypercall");
    } else if (is(c, "iret-native")) {
        __asm__ volatile("pushfl; orl %0, (%%esp)\n\t"
                         "pushl %1\n\t"
                         "pushl $1f\n\t"
                         "iretl\n"
                         "1:"
                         : : "i"(SMUGGLE & ~EFL_VM), "i"(RV_FLAT_RING1_CS) : "memory", "cc");
        check_then_in("native IRET");
    } else if (is(c, "iret-native-vm")) {
        /* VM = 1 in a CPL-1 IRET image: the CPU must ignore it (SDM Vol. 2A IRET: only at
         * CPL 0 does it return to virtual-8086 mode).  QEMU 7.2's TCG does not check CPL
         * and enters V86 mode, after which VIF/VIP stay set in its CPU for every domain;
         * the monitor then kills the domain at its first fault, so this case runs in a
         * boot of its own and passes on any kill line. */
        __asm__ volatile("pushfl; orl %0, (%%esp)\n\t"
                         "pushl %1\n\t"
                         "pushl $1f\n\t"
                         "iretl\n"
                         "1:"
                         : : "i"(SMUGGLE), "i"(RV_FLAT_RING1_CS) : "memory", "cc");
        check_then_in("native IRET with VM set");
    } else if (is(c, "bounce")) {
        RVT_REQUIRE_OK(rv_trap_set(6, edit_frame, 0), "#UD handler");
        __asm__ volatile("ud2");
        RVT_EXPECT_EQ(edits, 1, "the #UD handler ran");
        check_then_in("return from a bounced #UD");
    } else if (is(c, "event")) {
        RVT_REQUIRE_OK(rv_events_init(), "events");
        long u = rv_evtchn_alloc_unbound(rv_start_info->domid);
        RVT_REQUIRE_OK(u, "alloc_unbound");
        RVT_REQUIRE_OK(rv_evtchn_bind_interdomain(rv_start_info->domid, (uint32_t)u, edit_event, 0), "bind");
        rv_shared_info->vcpu_info[0].evtchn_upcall_mask = 0;
        RVT_REQUIRE_OK(rv_evtchn_send((uint32_t)u), "send");
        for (int i = 0; i < 1000 && !edits; i++)
            rv_yield();
        RVT_EXPECT_EQ(edits, 1, "the event handler ran");
        check_then_in("return from the event callback");
    } else if (is(c, "hypercall")) {
        long r;
        __asm__ volatile("pushfl; orl %1, (%%esp); popfl\n\t"
                         "int $0x82\n\t"
                         : "=a"(r) : "i"(EFL_AC | EFL_NT | EFL_IOPL3), "a"(RV_HC_version), "b"(0) : "memory", "cc");
        RVT_EXPECT_EQ(r, RV_ABI_VERSION, "version with AC and NT set");
        check_then_in("return from a hypercall made with AC and NT");
    } else {
        rvt_error("unknown case '%s'", c);
    }
}
