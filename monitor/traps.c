/*
 * monitor/traps.c: where every entry to the monitor is sorted out.
 *
 * A trap from ring 0 is the monitor's own: either an expected fault on
 * guest memory or a guest-controlled selector (the exception table sends
 * it to a fixup) or a bug (register dump, halt).  A trap from ring 1 or 3
 * belongs to the running domain: a hypercall, a privileged instruction we
 * emulate, or an exception we bounce to the guest's own handler, exactly as
 * the CPU would have delivered it into ring 1.  A guest that cannot take
 * its exception (no handler, no usable stack) is killed; nothing a guest
 * does reaches the panic path.
 */
#include "trap.h"
#include "abi.h"
#include "console.h"
#include "domain.h"
#include "emulate.h"
#include "evtchn.h"
#include "time.h"
#include "gdt.h"
#include "hypercall_table.h"
#include "irq.h"
#include "segfix.h"
#include "uaccess.h"
#include "x86.h"

extern const uint32_t ex_table_start[], ex_table_end[];

static const char *const names[32] = {
    "#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow",
    "#BR bound range", "#UD invalid opcode", "#NM device not available", "#DF double fault",
    "coprocessor overrun", "#TS invalid TSS", "#NP segment not present", "#SS stack fault",
    "#GP general protection", "#PF page fault", "reserved 15", "#MF x87 error",
    "#AC alignment check", "#MC machine check", "#XM SIMD error", "#VE", "#CP",
};

const char *vector_name(unsigned v)
{
    if (v < 32 && names[v])
        return names[v];
    return v < VEC_IRQ_END && v >= VEC_IRQ0 ? "hardware interrupt" : "software interrupt";
}

int vector_has_error_code(unsigned v)
{
    return v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21 || v == 29 || v == 30;
}

void dump_frame(const struct trap_frame *f)
{
    kprintf("(rv)   vector %u (%s) error 0x%x\n", f->vector, vector_name(f->vector), f->error);
    kprintf("(rv)   eip %08x cs %04x eflags %08x cr2 %08x cr3 %08x\n", f->eip, f->cs & 0xffff,
            f->eflags, read_cr2(), read_cr3());
    kprintf("(rv)   eax %08x ebx %08x ecx %08x edx %08x\n", f->eax, f->ebx, f->ecx, f->edx);
    kprintf("(rv)   esi %08x edi %08x ebp %08x esp %08x\n", f->esi, f->edi, f->ebp,
            TRAP_FROM_GUEST(f) ? f->esp : (uint32_t)&f->esp);
    kprintf("(rv)   ds %04x es %04x fs %04x gs %04x ss %04x\n", f->ds & 0xffff, f->es & 0xffff,
            f->fs & 0xffff, f->gs & 0xffff, TRAP_FROM_GUEST(f) ? f->ss & 0xffff : 0);
}

/* A fault in ring 0 at an instruction listed in the exception table goes
 * on at its fixup (the Linux __ex_table idea); anything else is a bug. */
static void monitor_fault(struct trap_frame *f)
{
    for (const uint32_t *e = ex_table_start; e < ex_table_end; e += 2) {
        if (e[0] == f->eip) {
            f->eip = e[1];
            return;
        }
    }
    kprintf("\n(rv) PANIC: monitor exception %u (%s) at eip 0x%08x\n", f->vector,
            vector_name(f->vector), f->eip);
    dump_frame(f);
    if (current)
        kprintf("(rv)   running d%u %s\n", current->id, current->name);
    panic("halted");
}

/* The exit path could not return to the guest: its frame is unusable. */
void exit_path_bad_frame(struct trap_frame *f)
{
    domain_kill(current, "unusable return frame cs 0x%x ss 0x%x esp 0x%x (eip 0x%x err 0x0)",
                f->cs & 0xffff, f->ss & 0xffff, f->esp, f->eip);
    sched_leave_dead();
}

/* The linear address of a guest stack slot, or fail. */
static int stack_linear(struct domain *d, uint32_t ss, uint32_t esp, uint32_t *lin)
{
    int ok;
    uint32_t base = seg_base(d, ss, &ok);
    *lin = base + esp;
    return ok;
}

/*
 * Enters the guest at cs:eip as the CPU enters a handler through a gate
 * into ring 1 (SDM Vol. 3A 6.12.1): from an outer ring (3, or 2 if the
 * guest made DPL-2 segments and returned there) switch to the stack from
 * stack_switch and push SS, ESP; then EFLAGS (IF = the virtual IF), CS, EIP
 * and the error code if there is one.  A guest whose stack cannot take the
 * frame is killed; `what` names what was being delivered.
 */
void push_guest_frame(struct domain *d, struct trap_frame *f, int has_err, uint32_t err,
                      uint32_t cs, uint32_t eip, int mask_events, const char *what)
{
    uint32_t ss = f->ss, esp = f->esp;
    uint32_t eflags = (f->eflags & ~EFL_IF) | (vcpu_info(d)->evtchn_upcall_mask ? 0 : EFL_IF);
    uint32_t frame[6], k = 0; /* lowest address first */
    if (has_err)
        frame[k++] = err;
    frame[k++] = f->eip;
    frame[k++] = f->cs & 0xffff;
    frame[k++] = eflags;
    if ((f->cs & 3) != 1) {
        if (!d->kernel_ss) {
            domain_kill(d, "%s from ring %u before stack_switch (eip 0x%x err 0x%x)", what,
                        f->cs & 3, f->eip, err);
            sched_leave_dead();
        }
        frame[k++] = f->esp;
        frame[k++] = f->ss & 0xffff;
        ss = d->kernel_ss;
        esp = d->kernel_esp;
    }
    uint32_t lin;
    esp -= k * 4;
    if (!stack_linear(d, ss, esp, &lin) || copy_to_guest(lin, frame, k * 4) != 0) {
        domain_kill(d, "fault while delivering %s: ring-1 stack 0x%x unusable (eip 0x%x err 0x%x)",
                    what, esp + k * 4, f->eip, err);
        sched_leave_dead();
    }
    f->ss = ss;
    f->esp = esp;
    f->cs = cs;
    f->eip = eip;
    f->eflags &= ~(EFL_TF | EFL_NT | EFL_RF | EFL_VM | EFL_VIF | EFL_VIP); /* as an interrupt gate (SDM Vol. 3A 6.12.1.3); VIF/VIP: ABI.md "CPU state at guest entry" */
    if (mask_events)
        vcpu_info(d)->evtchn_upcall_mask = 1;
}

/* Delivers vector v through the guest's virtual IDT, or kills the guest. */
void bounce(struct domain *d, struct trap_frame *f, unsigned v, int has_err, uint32_t err)
{
    const struct vtrap *t = &d->traps[v];
    if (!t->address) {
        if (v == VEC_PF) /* the faulting address is what a porter needs first (SDM Vol. 3A 4.7) */
            domain_kill(d, "unhandled %s (vector %u) at cr2 0x%x (eip 0x%x err 0x%x)", vector_name(v), v,
                        vcpu_info(d)->arch.cr2, f->eip, err);
        else
            domain_kill(d, "unhandled %s (vector %u) (eip 0x%x err 0x%x)", vector_name(v), v, f->eip, err);
        sched_leave_dead();
    }
    push_guest_frame(d, f, has_err, err, t->cs, t->address, t->flags & RV_TI_MASK_EVENTS, vector_name(v));
    d->stats.traps_bounced++;
}

static void guest_gp(struct domain *d, struct trap_frame *f)
{
    /* "int n" through a gate whose DPL is below CPL: the error code names
     * the IDT entry (bit 1) and the vector (SDM Vol. 3A 6.13). */
    if ((f->error & 3) == 2) {
        unsigned v = f->error >> 3;
        const struct vtrap *t = &d->traps[v];
        if (t->address && (t->flags & RV_TI_DPL_MASK) >= (f->cs & 3)) {
            f->eip += 2; /* CD ib: the handler returns after the int */
            d->softint_count++; /* profile: softint=, not vec13 */
            bounce(d, f, v, 0, 0);
            return;
        }
    }
    if (f->error == 0 && segfix_gp(d, f))
        return; /* a 4 GiB segment flipped to its other view: restart (profile: segfix=) */
    d->trap_count[VEC_GP]++; /* also when it kills: the profile is printed on the way out */
    if (f->error == 0 && (f->cs & 3) == 1 && emulate_privileged(d, f)) {
        d->trap_count[VEC_GP]--; /* emulated: counted as cli=, sti=, hlt= instead */
        return;
    }
    bounce(d, f, VEC_GP, 1, f->error);
}

static void guest_nm(struct domain *d, struct trap_frame *f)
{
    /* The guest set CR0.TS through fpu_taskswitch: clear it as the guest's
     * own CLTS would, and let its handler switch FPU contexts. */
    clts();
    d->fpu_ts = 0;
    bounce(d, f, VEC_NM, 0, 0);
}

static void guest_exception(struct domain *d, struct trap_frame *f)
{
    if (f->vector < 32 && f->vector != VEC_GP)
        d->trap_count[f->vector]++; /* #GP: guest_gp counts what kind it was */
    switch (f->vector) {
    case VEC_GP:
        guest_gp(d, f);
        break;
    case VEC_PF:
        vcpu_info(d)->arch.cr2 = read_cr2();
        bounce(d, f, VEC_PF, 1, f->error);
        break;
    case VEC_NM:
        guest_nm(d, f);
        break;
    case VEC_NMI:
    case VEC_MC:
        panic("%s while a guest ran", vector_name(f->vector));
    default:
        if (f->vector < 32)
            bounce(d, f, f->vector, vector_has_error_code(f->vector), f->error);
        else /* a direct gate from another domain would be a monitor bug */
            bounce(d, f, VEC_GP, 1, (f->vector << 3) | 2);
    }
}

/*
 * IRET enters virtual-8086 mode only from CPL 0 (SDM Vol. 3A, IRET
 * operation: at CPL 1 EFLAGS.VM is not loaded), yet QEMU TCG 7.2 enters it
 * from a ring-1 IRET whose image has VM set.  No guest may run there: the
 * monitor's frame and segment handling assume protected mode.
 */
static void v86_kill(struct trap_frame *f)
{
    domain_kill(current, "entered virtual-8086 mode (EFLAGS.VM set by a ring-1 IRET) (eip 0x%x err 0x%x)",
                f->eip, f->error);
}

/*
 * Every entry ends here.  On the way back to a guest, a pending event is
 * delivered if the virtual IF allows: this one check is what makes the
 * unmask protocol of pv-abi/event.h race-free.
 */
void trap_dispatch(struct trap_frame *f)
{
    int guest = TRAP_FROM_GUEST(f);
    if (guest)
        current->frame = f;
    if (f->vector >= VEC_IRQ0 && f->vector < VEC_IRQ_END)
        irq_dispatch(f->vector - VEC_IRQ0);
    else if (f->vector == VEC_TIMER)
        timer_interrupt();
    else if (f->vector == VEC_SPURIOUS)
        ; /* no EOI for the APIC's spurious vector (SDM Vol. 3A 10.9) */
    else if (!guest)
        monitor_fault(f);
    else if (f->eflags & EFL_VM)
        v86_kill(f);
    else
        guest_exception(current, f);
    if (guest) {
        if (current->state == DOM_DEAD)
            sched_leave_dead(); /* destroyed by an interrupt's work (Ctrl-A k) */
        sched_check_resched();
        evtchn_deliver(current, f);
    }
}

/* FS/GS must be reloaded on the hypercall exit (hypercall.c, gdt.c, swtch). */
uint32_t fsgs_stale;

/*
 * The double-fault task (gdt.c, idt.c).  The task switch saved the state
 * of what faulted in cpu_tss (SDM Vol. 3A 7.3), so that is what we print.
 */
void df_task(void)
{
    kprintf("\n(rv) PANIC: double fault in the monitor (stack overflow?)\n");
    kprintf("(rv)   eip %08x esp %08x ebp %08x eflags %08x cr2 %08x\n", cpu_tss.eip, cpu_tss.esp,
            cpu_tss.ebp, cpu_tss.eflags, read_cr2());
    if (current)
        kprintf("(rv)   running d%u %s\n", current->id, current->name);
    panic("halted");
}
