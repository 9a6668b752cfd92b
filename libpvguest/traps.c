/* SPDX-License-Identifier: MIT */
/*
 * libpvguest/traps.c: the guest's table of trap handlers and the virtual
 * IDT entries behind it.
 *
 * The monitor's virtual IDT (set_trap_table) points every vector we use
 * at its stub in traps.asm; the stub calls rv_trap_dispatch(), which looks
 * the C handler up here.  Keeping the table in C means a handler can be
 * swapped without a hypercall's worth of assembly.
 */
#include <pvguest.h>

static struct {
    rv_trap_fn fn;
    unsigned flags;
} handlers[256];

/* The stub has built the frame; run the C handler (traps.asm calls this). */
void rv_trap_dispatch(struct rv_trap_frame *f);
void rv_trap_dispatch(struct rv_trap_frame *f)
{
    if (f->vector == RV_EVTCHN_VECTOR) { /* from rv_evtchn_callback (evtentry.asm) */
        rv_evtchn_do_upcall(f);
        return;
    }
    rv_trap_fn fn = handlers[f->vector & 0xff].fn;

    if (fn)
        fn(f);
    else
        rv_trap_default(f); /* the monitor's table and ours disagree */
}

static struct rv_trap_info trap_info(unsigned vector, rv_trap_fn fn, unsigned flags)
{
    struct rv_trap_info ti = {
        .vector = (uint8_t)vector,
        .flags = (uint8_t)flags,
        .cs = RV_FLAT_RING1_CS,
        .address = fn ? rv_trap_entry[vector & 0xff] : 0,
    };
    return ti;
}

long rv_trap_set(unsigned vector, rv_trap_fn fn, unsigned flags)
{
    struct rv_trap_info ti;

    if (vector > 255)
        return -RV_EINVAL;
    ti = trap_info(vector, fn, flags);
    /* Ours first: the monitor may deliver the vector as soon as it knows it. */
    handlers[vector].fn = fn;
    handlers[vector].flags = flags;
    return rv_hc_set_trap_table(&ti, 1);
}

rv_trap_fn rv_trap_get(unsigned vector, unsigned *flags)
{
    if (vector > 255)
        return 0;
    if (flags)
        *flags = handlers[vector].flags;
    return handlers[vector].fn;
}

long rv_syscall_set(unsigned vector, rv_trap_fn fn)
{
    return rv_trap_set(vector, fn, 3);
}

long rv_trap_set_defaults(void)
{
    struct rv_trap_info table[32];

    for (unsigned v = 0; v < 32; v++) {
        handlers[v].fn = rv_trap_default;
        handlers[v].flags = 0;
        table[v] = trap_info(v, rv_trap_default, 0);
    }
    return rv_hc_set_trap_table(table, 32);
}

int rv_trap_has_error_code(unsigned v)
{
    return v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21;
}

/* Resumes at rv_longjmp_regs (setjmp.asm): EAX = jb, EDX = val. */
void rv_longjmp_regs(void);

void rv_trap_longjmp(struct rv_trap_frame *f, rv_jmp_buf jb, int val)
{
    f->eip = (uint32_t)rv_longjmp_regs;
    f->cs = RV_FLAT_RING1_CS;
    f->ds = f->es = RV_FLAT_RING1_DS;
    f->eax = (uint32_t)jb;
    f->edx = (uint32_t)val;
}

static const char *const exception_names[32] = {
    "#DE divide error", "#DB debug", "NMI", "#BP breakpoint",
    "#OF overflow", "#BR bound range", "#UD invalid opcode", "#NM no FPU",
    "#DF double fault", "coprocessor overrun", "#TS invalid TSS", "#NP not present",
    "#SS stack fault", "#GP general protection", "#PF page fault", "reserved 15",
    "#MF x87 error", "#AC alignment check", "#MC machine check", "#XM SIMD error",
    "#VE virtualization", "#CP control protection",
};

void rv_trap_dump(const struct rv_trap_frame *f)
{
    const char *name = f->vector < 32 ? exception_names[f->vector] : 0;

    rv_printf("trap %u (%s) in ring %u: eip %04x:%08x err 0x%x cr2 0x%08x eflags 0x%08x\n",
              f->vector, name ? name : "software interrupt", rv_frame_ring(f),
              f->cs, f->eip, f->error_code, f->cr2, f->eflags);
    rv_printf("  eax %08x ebx %08x ecx %08x edx %08x\n", f->eax, f->ebx, f->ecx, f->edx);
    rv_printf("  esi %08x edi %08x ebp %08x ds %04x es %04x fs %04x gs %04x\n",
              f->esi, f->edi, f->ebp, f->ds, f->es, f->fs, f->gs);
    if (rv_frame_ring(f) == 3)
        rv_printf("  ring 3 stack %04x:%08x\n", f->ss, f->esp);
}

void rv_trap_default(struct rv_trap_frame *f)
{
    rv_printf("unexpected ");
    rv_trap_dump(f);
    rv_shutdown_reason(RV_SHUTDOWN_CRASH, (int)f->vector);
}
