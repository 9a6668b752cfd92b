/*
 * monitor/idt.c: the interrupt descriptor table.
 *
 * Every vector enters the monitor through an interrupt gate (IF cleared:
 * the monitor is never interrupted) with DPL 0, so a guest's "int n" of
 * such a vector raises #GP with the vector in the error code (SDM Vol. 3A
 * 6.12.1.1) and traps.c bounces it to the guest's handler.  The exceptions:
 *   - 0x82, the hypercall vector: DPL 1, so only ring 1 may call it;
 *   - 3 (int3) and 4 (into): DPL 3, so they arrive as #BP/#OF like on bare
 *     hardware and are bounced;
 *   - the running domain's direct vectors: a guest that registers a
 *     syscall vector (DPL 3, events left on) gets a real trap gate to its
 *     ring-1 handler while it runs.  A trap gate, not an interrupt gate:
 *     IF must stay 1 in ring 1 or the timer could never preempt the guest
 *     (ring 1 cannot set IF again, IOPL is 0).  int 0x80 from ring 3 then
 *     reaches the guest kernel with no monitor work at all.
 */
#include "idt.h"
#include "abi.h"
#include "domain.h"
#include "layout.h"
#include "trap.h"
#include "time.h"
#include "x86.h"
#include "rvlib.h"

#define GATE_INTR 0xe
#define GATE_TRAP 0xf

static uint64_t idt[256] __attribute__((aligned(4096)));
static uint64_t mon_idt[256]; /* the monitor's own gates, what a switch-out puts back */

static uint64_t gate(uint32_t sel, uint32_t off, unsigned type, unsigned dpl)
{
    uint32_t lo = (sel << 16) | (off & 0xffff);
    uint32_t hi = (off & 0xffff0000u) | 0x8000u | (dpl << 13) | (type << 8);
    return ((uint64_t)hi << 32) | lo;
}

static uint64_t monitor_gate(unsigned v)
{
    unsigned dpl = 0;
    if (v == RV_HYPERCALL_VECTOR)
        return gate(MON_CS, (uint32_t)hypercall_entry, GATE_INTR, 1);
    if (v == VEC_BP || v == VEC_OF)
        dpl = 3;
    return gate(MON_CS, stub_table[v], GATE_INTR, dpl);
}

void idt_init(void)
{
    for (unsigned v = 0; v < 256; v++)
        idt[v] = mon_idt[v] = monitor_gate(v);
    /* #DF goes through a task gate: a monitor stack overflow would otherwise
     * fault again pushing the frame and reset the machine. */
    idt[VEC_DF] = mon_idt[VEC_DF] = ((uint64_t)(0x8000u | (5u << 8)) << 32) | ((uint32_t)MON_DF_TSS_SEL << 16);
    idt_load();
}

/* IDTR: every CPU uses the one table (an AP from smp.c; APs run no guest
 * yet, so the per-domain gates idt_load_domain writes are the boot CPU's). */
void idt_load(void)
{
    struct dtr d = { .limit = sizeof(idt) - 1, .base = (uint32_t)idt };
    lidt(&d);
}

/* 0xf0-0xff are the monitor's (local APIC timer and spurious vectors): a
 * guest gate there would take the monitor's own interrupts. */
int idt_vector_direct_ok(unsigned v)
{
    return v >= VEC_IRQ_END && v < VEC_TIMER && v != RV_HYPERCALL_VECTOR;
}

static int is_direct(const struct vtrap *t, unsigned v)
{
    return t->address && idt_vector_direct_ok(v) && (t->flags & RV_TI_DPL_MASK) == 3 &&
           !(t->flags & RV_TI_MASK_EVENTS);
}

/* Recomputes which of d's vectors are direct (after set_trap_table). */
void idt_domain_changed(struct domain *d)
{
    memset(d->direct, 0, sizeof(d->direct));
    for (unsigned v = VEC_IRQ_END; v < 256; v++)
        if (is_direct(&d->traps[v], v))
            d->direct[v / 32] |= 1u << (v % 32);
    d->nr_idt_own = 0; /* the next load computes its gates again */
}

/*
 * The gates d's switch-in writes, computed once per trap-table change
 * rather than at every switch: #BP/#OF, whose gates take the DPL the guest
 * registered (INT3 and INTO check it like INT n, SDM Vol. 3A 6.12.1.1),
 * then its direct vectors.  IDT_OWN_NONE if they do not fit idt_own[].
 */
static uint32_t own_gates(struct domain *d)
{
    uint32_t n = 0;
    for (unsigned v = VEC_BP; v <= VEC_OF; v++) {
        const struct vtrap *t = &d->traps[v];
        d->idt_own[n++] = (struct idt_own){
            gate(MON_CS, stub_table[v], GATE_INTR, t->address ? (t->flags & RV_TI_DPL_MASK) : 3), v };
    }
    for (unsigned w = VEC_IRQ_END / 32; w < 8; w++)
        for (uint32_t bits = d->direct[w]; bits; bits &= bits - 1) {
            unsigned v = w * 32 + (unsigned)__builtin_ctz(bits);
            if (n == IDT_OWN_MAX)
                return IDT_OWN_NONE;
            d->idt_own[n++] = (struct idt_own){ gate(d->traps[v].cs, d->traps[v].address, GATE_TRAP, 3), v };
        }
    return n;
}

/* The same, for a domain with more direct gates than idt_own[] holds. */
static void load_each(struct domain *d, int unload)
{
    for (unsigned v = VEC_BP; v <= VEC_OF; v++) {
        const struct vtrap *t = &d->traps[v];
        idt[v] = unload ? mon_idt[v]
                        : gate(MON_CS, stub_table[v], GATE_INTR, t->address ? (t->flags & RV_TI_DPL_MASK) : 3);
    }
    for (unsigned w = VEC_IRQ_END / 32; w < 8; w++)
        for (uint32_t bits = d->direct[w]; bits; bits &= bits - 1) {
            unsigned v = w * 32 + (unsigned)__builtin_ctz(bits);
            idt[v] = unload ? mon_idt[v] : gate(d->traps[v].cs, d->traps[v].address, GATE_TRAP, 3);
        }
}

/* Switching d in touches only the gates that differ from the monitor's:
 * #BP/#OF and d's direct vectors, a handful at most. */
void idt_load_domain(struct domain *d)
{
    if (!d->nr_idt_own)
        d->nr_idt_own = own_gates(d);
    if (d->nr_idt_own == IDT_OWN_NONE) {
        load_each(d, 0);
        return;
    }
    for (uint32_t i = 0; i < d->nr_idt_own; i++)
        idt[d->idt_own[i].vector] = d->idt_own[i].gate;
}

void idt_unload_domain(struct domain *d)
{
    if (d->nr_idt_own == IDT_OWN_NONE) {
        load_each(d, 1);
        return;
    }
    for (uint32_t i = 0; i < d->nr_idt_own; i++)
        idt[d->idt_own[i].vector] = mon_idt[d->idt_own[i].vector];
}
