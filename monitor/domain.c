/*
 * monitor/domain.c: the end of a domain's life.  Whatever way a guest goes
 * (a clean shutdown, a crash it reports, or a kill for breaking the
 * rules), it leaves one line on the console, and its frames are scrubbed
 * before they go back to the allocator, so the next domain never sees them.
 */
#include "abi.h"
#include "console.h"
#include "desc.h"
#include "devices.h"
#include "domain.h"
#include "emulate.h"
#include "evtchn.h"
#include "modline.h"
#include "multiboot.h"
#include "outcome.h"
#include "frame.h"
#include "layout.h"
#include "mm.h"
#include "paging.h"
#include "scrub.h"
#include "rvlib.h"


void domain_print_memory(struct domain *d)
{
    uint32_t pt, pinned, writable;
    mm_count(d, &pt, &pinned, &writable);
    dlog(d, "memory: %u frames (%u KiB), %u page-table frames (%u pinned), %u mapped writable\n",
         d->nr_pages, d->nr_pages * 4, pt, pinned, writable);
}

static void print_counts(struct domain *d)
{
    dlog(d, "emulated");
    for (int i = 0; i < EMUL_COUNT; i++)
        kprintf(" %s=%u", emul_names[i], d->emulated[i]);
    kprintf("; hypercalls %u, exceptions bounced %u, events %u raised %u delivered",
            d->stats.hypercalls, d->stats.traps_bounced, d->events_raised, d->events_delivered);
    if (d->returns_finished)
        kprintf(" (%u after finishing a return)", d->returns_finished);
    kprintf("\n");
}

/* Per-hypercall and per-vector counts: where a guest spends its traps. */
static void print_profile(struct domain *d)
{
#define HC_NAME(nr, name, nargs) [nr] = #name,
    static const char *const hc_names[RV_NR_HYPERCALLS] = { RV_HYPERCALLS(HC_NAME) };
#undef HC_NAME
    dlog(d, "profile:");
    for (int i = 0; i < RV_NR_HYPERCALLS; i++)
        if (d->hc_count[i])
            kprintf(" %s=%u", hc_names[i], d->hc_count[i]);
    for (int v = 0; v < 32; v++)
        if (d->trap_count[v])
            kprintf(" vec%d=%u", v, d->trap_count[v]);
    /* #GPs the monitor resolved itself have names of their own (ABI.md "Profile counters") */
    if (d->softint_count)
        kprintf(" softint=%u", d->softint_count);
    for (int i = 0; i < EMUL_COUNT; i++)
        if (d->emulated[i])
            kprintf(" %s=%u", emul_names[i], d->emulated[i]);
    if (d->segfix.count)
        kprintf(" segfix=%u", d->segfix.count);
    /* what the memory hypercalls did: entries written, operations by kind */
    static const char *const ext_names[8] = { "pin_l1", "pin_l2", "pin_l3", "unpin", "new_baseptr",
                                              "tlb_flush", "invlpg", "ext7" };
    if (d->mmu_entries)
        kprintf(" mmu_entries=%u", d->mmu_entries);
    for (int i = 0; i < 8; i++)
        if (d->mmuext_count[i])
            kprintf(" ext_%s=%u", ext_names[i], d->mmuext_count[i]);
    kprintf("\n");
}

static void release(struct domain *d, int restart_module);

static void end(struct domain *d)
{
    evtchn_close_all(d); /* peers see their ports unbound at once */
    d->timer_deadline = 0;
    console_guest_flush(d);
    print_counts(d);
    emulate_print_sites(d);
    print_profile(d);
    domain_print_memory(d);
    d->state = DOM_DEAD;
    domctl_notify(); /* control domains learn of it (RV_VIRQ_DOM_STATE) */
}

/* domctl DESTROY or Ctrl-A k: like a kill, but wanted, so not a failure.
 * by: "d<ID> <NAME>" of a control domain, or "the serial console". */
void domain_destroyed(struct domain *d, const char *by)
{
    console_guest_flush(d);
    dlog(d, "destroyed by %s\n", by);
    d->keep = 0; /* no zombie: whoever destroyed it has seen it go */
    d->exit_reason = RV_EXIT_DESTROYED;
    end(d);
}

/* The domain with this id, if it exists (ids are never reused: domctl.c). */
struct domain *domain_by_id(uint32_t id)
{
    if (id && id <= MAX_DOMAINS && domains[id - 1].state != DOM_FREE && domains[id - 1].id == id)
        return &domains[id - 1]; /* where it usually is: boot-time domains, numbered in slot order */
    for (uint32_t i = 0; id && i < domain_slots; i++) /* every send looks its peer up */
        if (domains[i].state != DOM_FREE && domains[i].id == id)
            return &domains[i];
    return 0;
}

/* How it ended counts for the run's outcome (outcome.c), unless a control
 * domain created it: that one has its exit code (domctl GETINFO). */
static void domain_outcome(const struct domain *d)
{
    if (!d->creator)
        outcome_domain_end(d);
}

void domain_kill(struct domain *d, const char *fmt, ...)
{
    va_list ap;
    console_guest_flush(d);
    dlog(d, "killed: ");
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
    kprintf("\n");
    d->exit_reason = RV_EXIT_KILLED;
    domain_outcome(d);
    end(d);
}

void domain_exit(struct domain *d, int reason, int code)
{
    static const char *const names[] = { "poweroff", "reboot", "crash" };
    console_guest_flush(d);
    dlog(d, "exit %s code %d\n", names[reason], code);
    d->exit_reason = reason;
    d->exit_code = code;
    domain_outcome(d);
    end(d);
}

const struct multiboot_module *boot_modules;
uint32_t nr_boot_modules;
static uint32_t restarts[MAX_DOMAINS * 4];    /* per module: restarts after a crash */

static int wants_restart(const struct domain *d)
{
    if (d->exit_reason == RV_EXIT_DESTROYED)
        return 0; /* destroyed on purpose: it stays gone */
    if (d->restart == RESTART_REBOOT || d->restart == RESTART_ALWAYS)
        if (d->exit_reason == RV_SHUTDOWN_REBOOT)
            return 1;
    if (d->restart != RESTART_ALWAYS || (uint32_t)d->module >= sizeof(restarts) / sizeof(restarts[0]))
        return 0;
    return restarts[d->module]++ < 5;
}

/* A dead domain's resources go back; its module may start again.  One
 * that domctl created stays as a zombie (its slot and console history,
 * not its memory) until a control domain destroys it (domctl.c). */
void domain_reap(struct domain *d)
{
    if (d->released)
        return; /* a zombie: reaped already */
    if (domctl_keep(d)) {
        release(d, -1);
        return;
    }
    int again = wants_restart(d);
    if (again)
        mlog("d%u %s: restarting from module %d once its memory is scrubbed\n", d->id, d->name, d->module);
    domctl_creator_gone(d);
    domain_destroy(d, again ? d->module : -1);
}

/* Its frames (scrubbed in the background, scrub.c, before they can be
 * reused), its shared_info page and its devices go back. */
static void release(struct domain *d, int restart_module)
{
    virtio_domain_destroy(d); /* before its frames go: no device may touch them after */
    scrub_add(d, restart_module);
    memset(d->shared, 0, 4096);
    mm_release(d->shared_mfn, 1);
    frames_free(d->shared_mfn, 1);
    d->shared = 0;
    d->released = 1;
}

/* Runs in the scheduler (or for a zombie, in domctl), never on the dead
 * domain's own stack. */
void domain_destroy(struct domain *d, int restart_module)
{
    if (d->state == DOM_DEAD)
        domctl_domain_gone(d); /* GETINFO still tells how it ended */
    if (!d->released)
        release(d, restart_module);
    memset(d, 0, sizeof(*d));
    d->state = DOM_FREE;
}

/* The base of a segment selector the guest uses (LDTs are not supported). */
uint32_t seg_base(struct domain *d, uint32_t sel, int *ok)
{
    uint32_t idx = (sel & 0xffff) >> 3;
    *ok = 1;
    if (idx >= GDT_MON_CS_IDX && idx < GDT_ENTRIES)
        return 0; /* the monitor's flat segments */
    if ((sel & 4) || idx == 0 || idx >= RV_GDT_GUEST_ENTRIES) {
        *ok = 0;
        return 0;
    }
    return desc_base((uint32_t)d->gdt[idx], (uint32_t)(d->gdt[idx] >> 32));
}
