/*
 * monitor/sched.c: who runs, for how long.
 *
 * Proportional share with caps.  Each domain has a weight (default 256)
 * and may have a cap (a percentage of the CPU).  Running costs a domain
 * virtual time at the rate 256 / weight; the runnable domain with the least
 * virtual time runs next, for at most one quantum (10 ms by default) while
 * others wait.  A domain that wakes from sleep is brought up to the least
 * virtual time among the others less one quantum, so sleeping banks no
 * credit.  A woken domain with less virtual time than the running one
 * takes the CPU at once if the running one has had it for the rate limit
 * (2 ms by default, `ratelimit=US`), else when it has: like Xen's
 * sched_ratelimit_us, this keeps a stream of events (a frame per
 * virtio-net notify) from costing two domain switches per event, so the
 * receiver takes a batch, while bounding what the wake-up waits.  A
 * capped domain that has used its share of the current 100 ms period
 * waits for the next.  A blocked domain uses no CPU; when nothing
 * can run the CPU halts until the next timer or device interrupt, with the
 * timer programmed only for what is due (tickless).
 *
 * A dead domain's frames are scrubbed (scrub.c) between picks, in slices
 * that stop as soon as a domain can run, so they use idle time.  So that
 * busy domains cannot hold the frames back forever, a pending scrub also
 * counts as a competitor for the CPU: the running domain is preempted at
 * the end of its quantum and the scrub gets SCRUB_SLICE_NS before the
 * next pick, about a tenth of the CPU while everyone is busy.
 *
 * The structure is xv6's: this loop runs on the boot stack with the
 * monitor's own page tables; each domain's vCPU has its own monitor stack
 * with the guest's trap frame at the top, and swtch() moves between them.
 * Switching a domain in loads its page tables, GDT and TSS stacks, direct
 * trap gates, FPU state and time info.
 */
#include "abi.h"
#include "console.h"
#include "domain.h"
#include "gdt.h"
#include "idt.h"
#include "layout.h"
#include "paging.h"
#include "rvlib.h"
#include "outcome.h"
#include "scrub.h"
#include "time.h"
#include "x86.h"

#define CAP_PERIOD_NS 100000000ull
#define WEIGHT_UNIT 256

struct domain domains[MAX_DOMAINS] __attribute__((aligned(4096)));
struct domain *current;
uint32_t domain_slots; /* a high-water mark (domain_alloc): the scans below stop at it */
static struct context *sched_ctx;
static unsigned rr_next;
uint64_t sched_quantum_ns = 10000000ull;
static uint64_t period_start;
int need_resched; /* a domain woke that is owed the CPU more than the running one */
static int resched_owed; /* ... and waits for the running one's rate limit */
static int scrub_owed;    /* a domain was preempted for the scrub: it gets a slice */
static uint64_t scrub_until; /* the scrub's slice runs on until then, domains or not */
#define SCRUB_SLICE_NS 1000000ull
uint64_t sched_ratelimit_ns = 2000000ull;

static int alive(const struct domain *d);

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
    if (!d->weight)
        d->weight = WEIGHT_UNIT;
    /* A domain built while others run (a restart) starts level with the
     * least of them: at 0 it would own the CPU until it caught up. */
    uint64_t least = ~0ull;
    for (unsigned i = 0; i < domain_slots; i++)
        if (&domains[i] != d && alive(&domains[i]) && domains[i].vruntime < least)
            least = domains[i].vruntime;
    d->vruntime = least == ~0ull ? 0 : least;
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

static int alive(const struct domain *d)
{
    return d->state != DOM_FREE && d->state != DOM_DEAD;
}

static int capped(const struct domain *d)
{
    return d->cap && d->period_ns * 100 >= d->cap * CAP_PERIOD_NS;
}

static int eligible(const struct domain *d)
{
    return d->state == DOM_RUNNABLE && !capped(d) && !d->paused; /* paused: domctl PAUSE */
}

static void account(struct domain *d, uint64_t now)
{
    uint64_t ran = now - d->acct_start;
    d->cpu_ns += ran;
    d->period_ns += ran;
    d->vruntime += d->weight == WEIGHT_UNIT ? ran : ran * WEIGHT_UNIT / d->weight; /* no 64-bit division */
    d->acct_start = now;
}

static void new_period(uint64_t now)
{
    if (now < period_start + CAP_PERIOD_NS)
        return;
    period_start = now;
    for (unsigned i = 0; i < domain_slots; i++)
        domains[i].period_ns = 0;
}

static void switch_in(struct domain *d, uint64_t now)
{
    current = d;
    d->state = DOM_RUNNING;
    d->run_start = d->acct_start = now;
    d->stats.schedules++;
    need_resched = 0;
    resched_owed = 0;
    if (read_cr3() != d->cr3)
        write_cr3(d->cr3);
    gdt_load(d);
    idt_load_domain(d);
    fpu_load(d);
    time_publish(d);
}

static void switch_out(struct domain *d)
{
    if (d->kstack_canary != KSTACK_CANARY)
        panic("d%u %s: monitor stack overflow", d->id, d->name);
    account(d, now_ns());
    fpu_save(d);
    idt_unload_domain(d);
    /* The next domain's switch_in loads its own tables and GDT; until then
     * the monitor runs on these (the hole is in every address space).
     * Only a domain about to be reaped must let go of them now.  Under
     * QEMU TCG every MOV CR3 empties the software TLB. */
    if (d->state == DOM_DEAD) {
        gdt_load_idle();
        write_cr3(idle_cr3);
    }
    current = 0;
}

/* The eligible domain with the least virtual time; round robin among equals.
 * A domain that yielded goes last, once. */
static struct domain *pick(void)
{
    struct domain *best = 0;
    for (int pass = 0; pass < 2 && !best; pass++) {
        for (unsigned i = 0; i < domain_slots; i++) {
            unsigned j = rr_next + i; /* rr_next <= domain_slots */
            struct domain *d = &domains[j >= domain_slots ? j - domain_slots : j];
            if (!eligible(d) || (pass == 0 && d->yielded))
                continue;
            if (!best || d->vruntime < best->vruntime)
                best = d;
        }
    }
    for (unsigned i = 0; i < domain_slots; i++)
        domains[i].yielded = 0;
    if (best)
        rr_next = (unsigned)(best - domains) + 1;
    return best;
}

static int others_eligible(const struct domain *self)
{
    for (unsigned i = 0; i < domain_slots; i++)
        if (&domains[i] != self && eligible(&domains[i]))
            return 1;
    return 0;
}

static int any_alive(void)
{
    for (unsigned i = 0; i < domain_slots; i++)
        if (alive(&domains[i]))
            return 1;
    return 0;
}

static void reap(void)
{
    for (unsigned i = 0; i < domain_slots; i++) {
        struct domain *d = &domains[i];
        if (d->state != DOM_DEAD)
            continue;
        if (read_cr3() == d->cr3) { /* killed while not running: its tables may still be loaded */
            gdt_load_idle();
            write_cr3(idle_cr3);
        }
        domain_reap(d);
    }
}

static uint64_t earlier(uint64_t a, uint64_t b)
{
    return !a ? b : !b ? a : a < b ? a : b;
}

static uint64_t armed; /* the deadline the timer device is armed for, 0 = none */

/* The next moment the monitor must act: a guest timer or poll timeout, the
 * end of the running domain's quantum, or the end of a cap period. */
void timer_reprogram(void)
{
    uint64_t next = 0;
    int waiting_on_cap = 0;
    for (unsigned i = 0; i < domain_slots; i++) {
        struct domain *d = &domains[i];
        if (!alive(d))
            continue;
        next = earlier(next, d->timer_deadline);
        if (d->state == DOM_BLOCKED && d->polling)
            next = earlier(next, d->poll_deadline);
        if (d->state == DOM_RUNNABLE && capped(d))
            waiting_on_cap = 1;
    }
    if (current && (others_eligible(current) || current->cap || scrub_pending()))
        next = earlier(next, current->run_start + sched_quantum_ns);
    if (current && resched_owed)
        next = earlier(next, current->run_start + sched_ratelimit_ns);
    if (waiting_on_cap || (current && current->cap))
        next = earlier(next, period_start + CAP_PERIOD_NS);
    armed = next;
    timer_device_program(next); /* takes the time last: guest timers are not made late */
}

/* The timer must fire by t: arm it if what it is armed for is later.  An
 * armed deadline already past has its interrupt pending (the monitor runs
 * with IF = 0), and that interrupt reprograms it.  now is the caller's
 * now_ns(), a little old: only for a quantum's end, which may be late by
 * that much. */
static void timer_arm_by(uint64_t t, uint64_t now)
{
    if (!armed || t < armed) {
        armed = t;
        timer_device_program_at(t, now);
    }
}

static void make_runnable(struct domain *d);

/* The running domain gives the CPU back.  Unlike a yield it keeps its
 * place: the least virtual time still goes first, so the weights hold. */
static void preempt(void)
{
    current->state = DOM_RUNNABLE;
    swtch(&current->ctx, sched_ctx);
}

/* At the end of its quantum, when its cap is spent, or at its rate limit
 * when a woken domain is owed the CPU. */
static void check_preempt(uint64_t now)
{
    if (!current)
        return;
    int expired = now - current->run_start >= sched_quantum_ns;
    if (expired && scrub_pending())
        scrub_owed = 1;
    if (capped(current) || (expired && (others_eligible(current) || scrub_owed)) ||
        (resched_owed && now - current->run_start >= sched_ratelimit_ns))
        preempt();
}

/* On every return to a guest: a domain that woke with less virtual time
 * than the running one (it has used less than its share) runs at once
 * if the running one has had the CPU for the rate limit (make_runnable),
 * which is what keeps event and timer latency low without breaking the
 * weights (a domain that has used more than its share waits its turn). */
void sched_check_resched(void)
{
    if (need_resched && current) {
        need_resched = 0;
        preempt();
    }
}

/* The timer interrupt: fire what is due, preempt at the end of a quantum. */
/* Guest timers and poll timeouts that are due. */
static void fire_due(uint64_t now)
{
    for (unsigned i = 0; i < domain_slots; i++) {
        struct domain *d = &domains[i];
        if (!alive(d))
            continue;
        if (d->timer_deadline && d->timer_deadline <= now) {
            d->timer_deadline = 0;
            evtchn_send_virq(d, RV_VIRQ_TIMER);
        }
        if (d->state == DOM_BLOCKED && d->polling && d->poll_deadline && d->poll_deadline <= now) {
            d->poll_timed_out = 1;
            make_runnable(d);
        }
    }
}

void timer_interrupt(void)
{
    uint64_t now = now_ns();
    timer_device_ack();
    if (current)
        account(current, now);
    new_period(now);
    fire_due(now);
    timer_reprogram();
    check_preempt(now);
}

/* While scrubbing: fire due timers, and stop as soon as a domain can run
 * (once an owed slice is over). */
static int scrub_should_stop(void)
{
    uint64_t now = now_ns();
    fire_due(now);
    if (now < scrub_until)
        return 0;
    for (unsigned i = 0; i < domain_slots; i++)
        if (eligible(&domains[i]))
            return 1;
    return 0;
}

__attribute__((noreturn)) void sched_start(void)
{
    period_start = now_ns();
    for (;;) {
        reap();
        console_poll(); /* monitor lines that waited for a quiet point in the focus's stream */
        if (scrub_owed) {
            scrub_owed = 0;
            scrub_until = now_ns() + SCRUB_SLICE_NS;
        }
        if (any_alive() || scrub_needed()) /* a dead domain's memory, between picks */
            scrub_some(now_ns() < scrub_until ? ~0u : SCRUB_CHUNK, scrub_should_stop);
        uint64_t now = now_ns();
        new_period(now);
        fire_due(now); /* due timers, even if their interrupt is still pending */
        struct domain *d = pick();
        if (!d) {
            /* Nothing will run again: the frames need no scrub (scrub.c). */
            if (!any_alive() && !scrub_needed()) {
                if (scrub_pending())
                    mlog("%u KiB left unscrubbed: no domain is left to see them\n", scrub_frames_left() * 4);
                mlog("all domains stopped\n");
                outcome_exit(0);
            }
            if (scrub_pending()) {
                __asm__ volatile("sti; nop; cli"); /* let a pending interrupt in */
                continue;
            }
            timer_reprogram();
            sti_hlt(); /* idle until an interrupt; it may wake a domain */
            cli();
            continue;
        }
        switch_in(d, now);
        timer_reprogram();
        swtch(&sched_ctx, d->ctx);
        switch_out(d);
    }
}

void sched_yield(void)
{
    current->state = DOM_RUNNABLE;
    current->yielded = 1;
    swtch(&current->ctx, sched_ctx);
}

static void sleep(void)
{
    current->state = DOM_BLOCKED;
    swtch(&current->ctx, sched_ctx);
}

/* Sleeps unless an event is already pending; the virtual IF is left alone
 * (an event raised while masked still sets evtchn_upcall_pending). */
void sched_wait_event(void)
{
    if (!vcpu_info(current)->evtchn_upcall_pending)
        sleep();
}

/* SCHEDOP_block semantics: events on, sleep unless one is already pending. */
void sched_block(void)
{
    vcpu_info(current)->evtchn_upcall_mask = 0;
    sched_wait_event();
}

/* Sleeps until one of ports is pending or timeout (ns of system time) passes. */
int sched_poll(struct domain *d, const uint32_t *ports, uint32_t n, uint64_t timeout)
{
    for (uint32_t i = 0; i < n; i++)
        if (evtchn_is_pending(d, ports[i]))
            return 0;
    if (timeout && timeout <= now_ns())
        return -RV_ETIMEDOUT;
    memcpy(d->poll_ports, ports, n * sizeof(ports[0]));
    d->nr_poll = n;
    d->poll_deadline = timeout;
    d->poll_timed_out = 0;
    d->polling = 1;
    sleep();
    d->polling = 0;
    return d->poll_timed_out ? -RV_ETIMEDOUT : 0;
}

/* A sleeping domain becomes runnable without banking the CPU it did not
 * use: its virtual time is raised to one quantum behind the least of the
 * others'. */
static void make_runnable(struct domain *d)
{
    uint64_t least = ~0ull, now = 0;
    int competes = current && current != d;
    if (competes) {
        now = now_ns();
        account(current, now); /* its virtual time up to now, not its last tick */
    }
    for (unsigned i = 0; i < domain_slots; i++)
        if (&domains[i] != d && (domains[i].state == DOM_RUNNABLE || domains[i].state == DOM_RUNNING) &&
            domains[i].vruntime < least)
            least = domains[i].vruntime;
    if (least != ~0ull && least > sched_quantum_ns && d->vruntime < least - sched_quantum_ns)
        d->vruntime = least - sched_quantum_ns;
    d->polling = 0;
    d->state = DOM_RUNNABLE;
    if (competes) {
        if (d->vruntime < current->vruntime) {
            if (now - current->run_start >= sched_ratelimit_ns)
                need_resched = 1;
            else
                resched_owed = 1; /* timer_reprogram arms the end of the rate limit */
        }
        /* The running domain has a competitor now: arm the end of its
         * quantum, unless the timer fires sooner anyway (the whole
         * recomputation only when the rate limit is owed). */
        if (resched_owed)
            timer_reprogram();
        else
            timer_arm_by(current->run_start + sched_quantum_ns, now);
    }
}

/* An event for d: wakes it from block (a poller waits for its own ports). */
void sched_wake(struct domain *d)
{
    if (d->state == DOM_BLOCKED && !d->polling)
        make_runnable(d);
}

/* domctl UNPAUSE: back in the competition, without credit for the pause. */
void sched_unpause(struct domain *d)
{
    d->paused = 0;
    if (d->state == DOM_RUNNABLE)
        make_runnable(d);
    timer_reprogram();
}

void sched_poll_wake(struct domain *d, uint32_t port)
{
    if (d->state != DOM_BLOCKED || !d->polling)
        return;
    for (uint32_t i = 0; i < d->nr_poll; i++)
        if (d->poll_ports[i] == port) {
            make_runnable(d);
            return;
        }
}

__attribute__((noreturn)) void sched_leave_dead(void)
{
    swtch(&current->ctx, sched_ctx);
    panic("a dead domain was scheduled");
}

void sched_print_table(void)
{
    uint64_t total = 0;
    for (unsigned i = 0; i < domain_slots; i++)
        total += domains[i].cpu_ns;
    static const char *const st[] = { "free", "runnable", "running", "blocked", "dead" };
    kprintf("(rv) dom name                     state     weight cap  cpu ms    cpu %%\n");
    for (unsigned i = 0; i < domain_slots; i++) {
        const struct domain *d = &domains[i];
        if (!alive(d))
            continue;
        uint64_t ms = d->cpu_ns / 1000000u;
        uint32_t pct10 = total ? (uint32_t)(d->cpu_ns * 1000 / total) : 0;
        kprintf("(rv) d%-2u %-24s %-9s %6u %3u%% %8u %5u.%u\n", d->id, d->name, st[d->state], d->weight,
                d->cap, (uint32_t)ms, pct10 / 10, pct10 % 10);
    }
}
