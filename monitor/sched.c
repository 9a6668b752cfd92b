/*
 * monitor/sched.c: who runs.  A simple round robin over runnable domains,
 * a quantum of timer ticks each (a real scheduler with weights comes with
 * events, issue 4).  The structure is xv6's: the scheduler loop runs on the
 * boot stack with the monitor's own page tables; each domain's vCPU has
 * its own monitor stack with the guest's trap frame at the top, and swtch()
 * moves between the two.  Switching a domain in loads its page tables
 * (CR3), its GDT and TSS stacks, its direct trap gates and its FPU state.
 */
#include "abi.h"
#include "console.h"
#include "domain.h"
#include "gdt.h"
#include "idt.h"
#include "layout.h"
#include "paging.h"
#include "rvlib.h"
#include "x86.h"

struct domain domains[MAX_DOMAINS] __attribute__((aligned(4096)));
struct domain *current;
static struct context *sched_ctx;
static unsigned rr_next;
uint32_t sched_quantum_ticks = 1;
extern int monitor_failures;
void monitor_exit(int failed);

void vcpu_prepare(struct domain *d, uint32_t entry, uint32_t esp, uint32_t esi)
{
    struct trap_frame *f = (struct trap_frame *)(d->kstack + KSTACK_SIZE) - 1;
    memset(f, 0, sizeof(*f));
    f->eip = entry;
    f->cs = RV_FLAT_RING1_CS;
    f->eflags = EFL_IF | EFL_RSVD1; /* real IF stays on; the virtual IF is in shared_info */
    f->esp = esp;
    f->ss = f->ds = f->es = f->fs = f->gs = RV_FLAT_RING1_DS;
    f->esi = esi;
    d->frame = f;
    /* A context that swtch() "returns" into trap_return, which enters the guest. */
    uint32_t *sp = (uint32_t *)f;
    *--sp = (uint32_t)trap_return;
    for (int i = 0; i < 4; i++)
        *--sp = 0; /* ebp ebx esi edi */
    d->ctx = (struct context *)sp;
}

static void fpu_load(struct domain *d)
{
    clts();
    __asm__ volatile("fxrstor %0" ::"m"(*(const uint8_t(*)[512])d->fpu_state));
    if (d->fpu_ts)
        write_cr0(read_cr0() | CR0_TS);
}

static void fpu_save(struct domain *d)
{
    clts();
    __asm__ volatile("fxsave %0" : "=m"(*(uint8_t(*)[512])d->fpu_state));
}

static void switch_in(struct domain *d)
{
    current = d;
    d->state = DOM_RUNNING;
    d->ticks = 0;
    d->stats.schedules++;
    write_cr3(d->cr3);
    gdt_load(d);
    idt_load_domain(d);
    fpu_load(d);
}

static void switch_out(struct domain *d)
{
    if (d->kstack_canary != KSTACK_CANARY)
        panic("d%u %s: monitor stack overflow", d->id, d->name);
    fpu_save(d);
    idt_unload_domain(d);
    gdt_load_idle();
    write_cr3(idle_cr3);
    current = 0;
}

static struct domain *pick(void)
{
    for (unsigned i = 0; i < MAX_DOMAINS; i++) {
        struct domain *d = &domains[(rr_next + i) % MAX_DOMAINS];
        if (d->state == DOM_BLOCKED && vcpu_info(d)->evtchn_upcall_pending)
            d->state = DOM_RUNNABLE;
        if (d->state == DOM_RUNNABLE) {
            rr_next = (unsigned)(d - domains) + 1;
            return d;
        }
    }
    return 0;
}

static int alive(void)
{
    for (unsigned i = 0; i < MAX_DOMAINS; i++)
        if (domains[i].state != DOM_FREE && domains[i].state != DOM_DEAD)
            return 1;
    return 0;
}

static void reap(void)
{
    for (unsigned i = 0; i < MAX_DOMAINS; i++)
        if (domains[i].state == DOM_DEAD)
            domain_destroy(&domains[i]);
}

__attribute__((noreturn)) void sched_start(void)
{
    for (;;) {
        reap();
        struct domain *d = pick();
        if (!d) {
            if (!alive()) {
                mlog("all domains stopped\n");
                monitor_exit(monitor_failures != 0);
            }
            sti_hlt(); /* idle until an interrupt; it may wake a domain */
            cli();
            continue;
        }
        switch_in(d);
        swtch(&sched_ctx, d->ctx);
        switch_out(d);
    }
}

void sched_yield(void)
{
    current->state = DOM_RUNNABLE;
    swtch(&current->ctx, sched_ctx);
}

/* SCHEDOP_block semantics: events on, sleep unless one is already pending. */
void sched_block(void)
{
    struct rv_vcpu_info *vi = vcpu_info(current);
    vi->evtchn_upcall_mask = 0;
    if (vi->evtchn_upcall_pending)
        return;
    current->state = DOM_BLOCKED;
    swtch(&current->ctx, sched_ctx);
}

__attribute__((noreturn)) void sched_leave_dead(void)
{
    swtch(&current->ctx, sched_ctx);
    panic("a dead domain was scheduled");
}

static int others_runnable(void)
{
    for (unsigned i = 0; i < MAX_DOMAINS; i++) {
        struct domain *d = &domains[i];
        if (d != current && (d->state == DOM_RUNNABLE ||
                             (d->state == DOM_BLOCKED && vcpu_info(d)->evtchn_upcall_pending)))
            return 1;
    }
    return 0;
}

void sched_tick(void)
{
    if (current && ++current->ticks >= sched_quantum_ticks && others_runnable())
        sched_yield();
}
