/*
 * monitor/hc_cpu.c: the hypercalls that stand in for privileged CPU state:
 * set_trap_table (LIDT), stack_switch (the TSS ring-1 stack), fpu_taskswitch
 * (CLTS / setting CR0.TS) and iret (IRET with the virtual IF).
 */
#include "abi.h"
#include "domain.h"
#include "gdt.h"
#include "hypercall_table.h"
#include "idt.h"
#include "rvlib.h"
#include "uaccess.h"
#include "x86.h"

static int trap_entry_ok(struct domain *d, const struct rv_trap_info *t)
{
    if (t->flags & ~(RV_TI_DPL_MASK | RV_TI_MASK_EVENTS))
        return 0;
    if (t->vector == RV_HYPERCALL_VECTOR)
        return 0;
    if (!t->address)
        return 1; /* removing a handler */
    return t->address < RV_HOLE_START && gdt_ring1_selector_ok(d, t->cs, 1);
}

/* All or nothing: every entry is checked before any is installed. */
int32_t hc_set_trap_table(struct domain *d, const uint32_t a[5])
{
    static struct rv_trap_info tab[RV_TRAP_TABLE_MAX]; /* the monitor is not reentrant */
    uint32_t count = a[1];
    if (count > RV_TRAP_TABLE_MAX)
        return -RV_E2BIG;
    if (copy_from_guest(tab, a[0], count * sizeof(tab[0])))
        return -RV_EFAULT;
    for (uint32_t i = 0; i < count; i++)
        if (!trap_entry_ok(d, &tab[i]))
            return -RV_EINVAL;
    for (uint32_t i = 0; i < count; i++) {
        struct vtrap *v = &d->traps[tab[i].vector];
        v->address = tab[i].address;
        v->cs = tab[i].address ? tab[i].cs : 0;
        v->flags = tab[i].address ? tab[i].flags : 0;
    }
    idt_unload_domain(d); /* d is running: its direct gates change now */
    idt_domain_changed(d);
    idt_load_domain(d);
    return 0;
}

int32_t hc_stack_switch(struct domain *d, const uint32_t a[5])
{
    if (!gdt_ring1_selector_ok(d, a[0], 0) || a[1] > RV_HOLE_START)
        return -RV_EINVAL;
    d->kernel_ss = a[0];
    d->kernel_esp = a[1];
    gdt_load(d); /* refresh TSS.SS1:ESP1 */
    return 0;
}

int32_t hc_fpu_taskswitch(struct domain *d, const uint32_t a[5])
{
    if (a[0] > 1)
        return -RV_EINVAL;
    d->fpu_ts = (int)a[0];
    if (a[0])
        write_cr0(read_cr0() | CR0_TS);
    else
        clts();
    return 0;
}

/*
 * iret: the guest's stack holds EAX, EIP, CS, EFLAGS and, for a return to
 * ring 3, ESP and SS (pv-abi/hypercall.h).  The CPU's own IRET at the end of
 * trap_return checks CS, SS and EIP against their descriptors; a frame it
 * refuses kills the domain there (exit_path_bad_frame).  What the CPU would
 * not check for us: no return to ring 0, no IOPL, no virtual-8086 mode.
 */
/*
 * Does what IRET does with the frame at the guest's SS:ESP (SDM Vol. 2A
 * IRET): EIP, CS, EFLAGS and, to ring 3, ESP and SS; with_eax, the iret
 * hypercall's EAX word comes first.  EFLAGS.IF becomes the virtual IF (the
 * real one stays set).  The selectors are the CPU's to check when the
 * monitor returns; here only their RPL: ring 1 or 3, and SS's that of CS.
 * Returns the frame's linear address, or 0 with f untouched if unusable.
 */
uint32_t iret_pop(struct domain *d, struct trap_frame *f, int with_eax)
{
    uint32_t w[6], *r = with_eax ? w : w + 1, n = with_eax ? 16 : 12, lin;
    int ok;
    lin = seg_base(d, f->ss, &ok) + f->esp;
    if (!ok || !lin || copy_from_guest(r, lin, n))
        return 0;
    uint32_t cs = w[2] & 0xffff, rpl = cs & 3;
    if (rpl != 1 && rpl != 3)
        return 0;
    if (rpl == 3 && (copy_from_guest(&w[4], lin + n, 8) || (w[5] & 3) != 3))
        return 0;
    if (rpl == 3) {
        f->esp = w[4];
        f->ss = w[5] & 0xffff;
    } else {
        f->esp += n;
    }
    if (with_eax)
        f->eax = w[0];
    f->eip = w[1];
    f->cs = cs;
    f->eflags = (w[3] & EFL_GUEST_MASK) | EFL_IF | EFL_RSVD1;
    vcpu_info(d)->evtchn_upcall_mask = !(w[3] & EFL_IF);
    return lin;
}

int32_t hc_iret(struct domain *d, const uint32_t a[5])
{
    (void)a;
    struct trap_frame *f = d->frame;
    if (iret_pop(d, f, 1))
        return 0;
    domain_kill(d, "bad iret frame at ss:esp 0x%x:0x%x (eip 0x%x err 0x0)", f->ss & 0xffff, f->esp, f->eip);
    sched_leave_dead();
}
