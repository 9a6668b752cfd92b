/*
 * monitor/domctl.c: the control plane (ABI.md "Control domains", 1.6).
 *
 * The monitor keeps the mechanism, a control domain (module option
 * `control`) the policy: it asks for domains to be created from images in
 * its own memory, paused, re-weighted, destroyed, and reads their consoles.
 * Every command checks the caller first: any other domain gets -RV_EPERM
 * and nothing changes.  A control domain hands over copies and reads back
 * copies; it never gets a mapping of another domain's frames, and every
 * pointer it gives goes through uaccess.c like any guest's.
 *
 * CREATE shares all its checking with the boot path: modline.c parses the
 * options, domain_build.c's domain_create() checks the image (elf.c) and
 * builds.  Domain ids are never reused within a boot (domain_build.c), so
 * a tool that names an old id gets -RV_ESRCH or, for a domain that ended
 * lately, its exit record here, never another domain.
 */
#include "abi.h"
#include "console.h"
#include "domain.h"
#include "evtchn.h"
#include "frame.h"
#include "hypercall_table.h"
#include "modline.h"
#include "rvlib.h"
#include "scrub.h"
#include "uaccess.h"

extern uint32_t nr_boot_modules;

/* The sizes ABI.md gives: the structures are the contract. */
_Static_assert(sizeof(struct rv_domctl_create) == 32, "rv_domctl_create is 32 bytes");
_Static_assert(sizeof(struct rv_domctl_info) == 72, "rv_domctl_info is 72 bytes");
_Static_assert(sizeof(struct rv_domctl_console) == 16, "rv_domctl_console is 16 bytes");
_Static_assert(sizeof(struct rv_domctl_physinfo) == 16, "rv_domctl_physinfo is 16 bytes");

/* How the last few reaped domains ended, for GETINFO after the fact. */
#define EXIT_RECORDS 32
static struct rv_domctl_info exits[EXIT_RECORDS];
static uint32_t nr_exits;

static int alive(const struct domain *d)
{
    return d && d->state != DOM_FREE && d->state != DOM_DEAD;
}

static void fill_info(const struct domain *d, struct rv_domctl_info *i)
{
    memset(i, 0, sizeof(*i));
    i->domid = d->id;
    i->state = d->state == DOM_DEAD      ? RV_DOMSTATE_DEAD
               : d->paused               ? RV_DOMSTATE_PAUSED
               : d->state == DOM_BLOCKED ? RV_DOMSTATE_BLOCKED
                                         : RV_DOMSTATE_RUNNABLE;
    i->flags = d->control ? RV_DOMINFO_CONTROL : 0;
    i->nr_pages = d->state == DOM_DEAD ? 0 : d->nr_pages;
    i->weight = d->weight;
    i->cap = d->cap;
    i->cpu_ns = d->cpu_ns;
    i->hypercalls = d->stats.hypercalls;
    i->traps = d->stats.traps_bounced;
    if (d->state == DOM_DEAD) {
        i->exit_reason = d->exit_reason;
        i->exit_code = d->exit_code;
    }
    strlcpy(i->name, d->name, sizeof(i->name));
}

void domctl_domain_gone(const struct domain *d)
{
    fill_info(d, &exits[nr_exits++ % EXIT_RECORDS]);
}

/* A domain CREATE made stays, once dead, a zombie (state DEAD, its exit
 * code and console still readable) until a control domain destroys it,
 * or until its creator is gone. */
int domctl_keep(const struct domain *d)
{
    const struct domain *c = domain_by_id(d->creator);
    return d->keep && alive(c);
}

/* A control domain is reaped: the zombies it left go with it. */
void domctl_creator_gone(const struct domain *d)
{
    for (uint32_t i = 0; d->control && i < MAX_DOMAINS; i++)
        if (domains[i].released && domains[i].creator == d->id)
            domain_destroy(&domains[i], -1);
}

/* RV_VIRQ_DOM_STATE in every live control domain. */
void domctl_notify(void)
{
    for (uint32_t i = 0; i < MAX_DOMAINS; i++)
        if (domains[i].control && alive(&domains[i]))
            evtchn_send_virq(&domains[i], RV_VIRQ_DOM_STATE);
}

/* ---- CREATE ----------------------------------------------------------------- */

/* What only the boot line may do, or what needs a boot module. */
static int32_t boot_only(const struct modline *ml, const char **why)
{
    if (ml->control) {
        *why = "control: only the boot line makes a control domain";
        return -RV_EPERM;
    }
    if (ml->initrd_next) {
        *why = "initrd=next is for boot modules (give the initrd to CREATE)";
        return -RV_EINVAL;
    }
    for (uint32_t i = 0; i < ml->nr_devs; i++)
        if (ml->devs[i].kind == MLDEV_DISK_NEXT) {
            *why = "disk=next is for boot modules";
            return -RV_EINVAL;
        }
    return 0;
}

/* The caller's buffers: sizes first, then every page readable. */
static int32_t check_buffers(const struct rv_domctl_create *cr, const char **why)
{
    if (cr->image_len == 0) {
        *why = "empty image";
        return -RV_EINVAL;
    }
    if (cr->image_len > RV_DOMCTL_IMAGE_MAX || cr->initrd_len > RV_DOMCTL_IMAGE_MAX ||
        cr->options_len > RV_DOMCTL_OPTIONS_MAX) {
        *why = "image, initrd or options larger than CREATE takes";
        return -RV_E2BIG;
    }
    if (!guest_readable(cr->image, cr->image_len) ||
        (cr->initrd_len && !guest_readable(cr->initrd, cr->initrd_len))) {
        *why = "image or initrd not readable in the caller";
        return -RV_EFAULT;
    }
    return 0;
}

/*
 * Frames of ended domains are zeroed a chunk at a time (scrub.c); a
 * creation waits until they are all back, so free memory is what it
 * seems and the scrub queue never grows past the domains that exist
 * (a control domain looping on CREATE and DESTROY cannot fill it).
 * Other domains run between chunks.
 */
static void wait_for_scrub(void)
{
    while (scrub_pending()) {
        scrub_some(SCRUB_CHUNK, 0);
        sched_yield();
    }
}

static int32_t create(struct domain *c, const struct rv_domctl_create *cr, char *why_buf,
                      uint32_t why_len, const char **why)
{
    static char opts[RV_DOMCTL_OPTIONS_MAX + 1];
    static struct modline ml; /* big: off the stack */
    int32_t r;
    if (cr->options_len > RV_DOMCTL_OPTIONS_MAX) {
        *why = "options longer than CREATE takes";
        return -RV_E2BIG;
    }
    if (cr->options_len && copy_from_guest(opts, cr->options, cr->options_len)) {
        *why = "options not readable in the caller";
        return -RV_EFAULT;
    }
    opts[cr->options_len] = 0;
    if (strlen(opts) != cr->options_len) {
        *why = "a NUL inside the options";
        return -RV_EINVAL;
    }
    if (modline_parse(opts, &ml, why))
        return -RV_EINVAL;
    if ((r = boot_only(&ml, why)) || (r = check_buffers(cr, why)))
        return r;
    struct build_src src = { .img = (const uint8_t *)cr->image, .img_len = cr->image_len,
                             .initrd_va = cr->initrd_len ? (const uint8_t *)cr->initrd : 0,
                             .initrd_len = cr->initrd_len, .module = -1,
                             .next_module = nr_boot_modules };
    struct domain *d;
    if ((r = domain_create(&ml, &src, &d, why_buf, why_len, why)))
        return r;
    d->creator = c->id;
    d->keep = 1;
    dlog(d, "created by d%u %s\n", c->id, c->name);
    domctl_notify();
    return (int32_t)d->id;
}

static int32_t ctl_create(struct domain *c, uint32_t arg)
{
    static char why_buf[RV_DOMCTL_REASON_MAX];
    struct rv_domctl_create cr;
    const char *why = "";
    /* First, while nothing is read yet: other domains (another control
     * domain's CREATE too) run while it waits, and what follows uses
     * static buffers and must not yield. */
    wait_for_scrub();
    if (copy_from_guest(&cr, arg, sizeof(cr)))
        return -RV_EFAULT;
    if (cr.reason_len && !guest_writable(cr.reason, cr.reason_len))
        return -RV_EFAULT; /* nowhere to say why: refuse before doing anything */
    int32_t r = create(c, &cr, why_buf, sizeof(why_buf), &why);
    if (r >= 0)
        return r;
    dlog(c, "domctl create refused: %s\n", why);
    if (cr.reason_len) {
        char line[RV_DOMCTL_REASON_MAX];
        uint32_t n = cr.reason_len < sizeof(line) ? cr.reason_len : sizeof(line);
        strlcpy(line, why, n);
        if (copy_to_guest(cr.reason, line, strlen(line) + 1))
            return -RV_EFAULT;
    }
    return r;
}

/* ---- the other commands ----------------------------------------------------- */

/* A live domain other than the caller (DESTROY, PAUSE, UNPAUSE). */
static int32_t other(struct domain *c, uint32_t id, struct domain **t)
{
    *t = domain_by_id(id);
    if (!alive(*t))
        return -RV_ESRCH;
    return *t == c ? -RV_EINVAL : 0;
}

/* A live domain ends now and goes with its memory; a zombie goes. */
static int32_t ctl_destroy(struct domain *c, uint32_t id)
{
    struct domain *t = domain_by_id(id);
    if (!t)
        return -RV_ESRCH;
    if (t == c)
        return -RV_EINVAL;
    if (alive(t)) {
        char by[8 + DOM_NAME_MAX];
        rv_snprintf(by, sizeof(by), "d%u %s", c->id, c->name);
        domain_destroyed(t, by); /* the scheduler reaps it before its next pick */
        return 0;
    }
    if (!t->keep)
        return -RV_ESRCH; /* on its way out already */
    t->keep = 0;
    if (t->released)
        domain_destroy(t, -1); /* else the scheduler's reaping finishes it */
    return 0;
}

static int32_t ctl_pause(struct domain *c, uint32_t id, int pause)
{
    struct domain *t;
    int32_t r = other(c, id, &t);
    if (r)
        return r;
    if (pause == t->paused)
        return pause ? -RV_EBUSY : -RV_EINVAL;
    if (pause)
        t->paused = 1;
    else
        sched_unpause(t);
    dlog(t, "%s by d%u %s\n", pause ? "paused" : "unpaused", c->id, c->name);
    domctl_notify();
    return 0;
}

static int32_t ctl_getinfo(uint32_t id, uint32_t arg)
{
    struct rv_domctl_info info;
    struct domain *t = domain_by_id(id);
    if (t)
        fill_info(t, &info);
    else {
        uint32_t i = 0, n = nr_exits < EXIT_RECORDS ? nr_exits : EXIT_RECORDS;
        while (i < n && exits[i].domid != id) /* ids start at 1: 0 is never found */
            i++;
        if (i == n)
            return guest_writable(arg, sizeof(info)) ? -RV_ESRCH : -RV_EFAULT;
        info = exits[i];
    }
    return copy_to_guest(arg, &info, sizeof(info));
}

static int32_t ctl_list(uint32_t arg, uint32_t max)
{
    struct rv_domctl_info info;
    uint32_t n = 0;
    if (max > MAX_DOMAINS * 64)
        return -RV_E2BIG;
    if (max && !guest_writable(arg, max * (uint32_t)sizeof(info)))
        return -RV_EFAULT;
    for (uint32_t i = 0; i < MAX_DOMAINS; i++) {
        if (domains[i].state == DOM_FREE)
            continue;
        if (n < max) {
            fill_info(&domains[i], &info);
            if (copy_to_guest(arg + n * (uint32_t)sizeof(info), &info, sizeof(info)))
                return -RV_EFAULT;
        }
        n++;
    }
    return (int32_t)n;
}

static int32_t ctl_setsched(uint32_t id, uint32_t weight, uint32_t cap)
{
    struct domain *t = domain_by_id(id);
    if (!alive(t))
        return -RV_ESRCH;
    if (weight < 1 || weight > 65535 || cap > 100)
        return -RV_EINVAL;
    t->weight = weight;
    t->cap = cap;
    timer_reprogram(); /* a new cap may end the running domain's turn sooner */
    return 0;
}

static int32_t ctl_console(uint32_t id, uint32_t arg, int write)
{
    static char buf[RV_CONSOLE_MAX];
    struct rv_domctl_console io;
    struct domain *t = domain_by_id(id);
    if (copy_from_guest(&io, arg, sizeof(io)))
        return -RV_EFAULT;
    if (!t || (write && !alive(t)))
        return -RV_ESRCH;
    if (io.len > RV_CONSOLE_MAX)
        return -RV_E2BIG;
    if (write) {
        if (copy_from_guest(buf, io.buf, io.len))
            return -RV_EFAULT;
        return (int32_t)console_inject(t, buf, io.len);
    }
    if (!guest_writable(io.buf, io.len) || !guest_writable(arg, sizeof(io)))
        return -RV_EFAULT; /* checked first: a read that fails loses nothing */
    uint32_t n = console_hist_read(t, buf, io.len, &io.lost, &io.pending);
    if (copy_to_guest(io.buf, buf, n) || copy_to_guest(arg, &io, sizeof(io)))
        return -RV_EFAULT;
    return (int32_t)n;
}

static int32_t ctl_physinfo(uint32_t arg)
{
    struct rv_domctl_physinfo p = { .free_frames = frames_free_count(),
                                    .scrubbing = (uint32_t)scrub_pending(),
                                    .max_domains = MAX_DOMAINS };
    for (uint32_t i = 0; i < MAX_DOMAINS; i++) {
        p.nr_domains += domains[i].state != DOM_FREE;
        if (domains[i].state == DOM_DEAD && !domains[i].released)
            p.scrubbing = 1; /* dead, not yet reaped: its frames are on their way */
    }
    return copy_to_guest(arg, &p, sizeof(p));
}

/* Ctrl-A l: every domain, zombies too, as GETINFO sees it. */
void domctl_print_list(void)
{
    static const char *const st[] = { "runnable", "blocked", "paused", "dead" };
    struct rv_domctl_info i;
    for (uint32_t k = 0; k < MAX_DOMAINS; k++) {
        if (domains[k].state == DOM_FREE)
            continue;
        fill_info(&domains[k], &i);
        mlog("d%u %s: %s, %u KiB, cpu %u ms, %u hypercalls, %u traps", i.domid, i.name, st[i.state],
             i.nr_pages * 4, (uint32_t)(i.cpu_ns / 1000000u), i.hypercalls, i.traps);
        if (i.state == RV_DOMSTATE_DEAD)
            kprintf(", exit reason %d code %d", (int)i.exit_reason, (int)i.exit_code);
        kprintf("%s\n", i.flags & RV_DOMINFO_CONTROL ? ", control" : "");
    }
}

/* domctl(cmd, dom, arg1, arg2) */
int32_t hc_domctl(struct domain *d, const uint32_t a[5])
{
    if (!d->control)
        return -RV_EPERM; /* before anything is read or looked up */
    switch (a[0]) {
    case RV_DOMCTL_CREATE: return ctl_create(d, a[2]);
    case RV_DOMCTL_DESTROY: return ctl_destroy(d, a[1]);
    case RV_DOMCTL_PAUSE: return ctl_pause(d, a[1], 1);
    case RV_DOMCTL_UNPAUSE: return ctl_pause(d, a[1], 0);
    case RV_DOMCTL_GETINFO: return ctl_getinfo(a[1], a[2]);
    case RV_DOMCTL_LIST: return ctl_list(a[2], a[3]);
    case RV_DOMCTL_SETSCHED: return ctl_setsched(a[1], a[2], a[3]);
    case RV_DOMCTL_CONSOLE_READ: return ctl_console(a[1], a[2], 0);
    case RV_DOMCTL_CONSOLE_WRITE: return ctl_console(a[1], a[2], 1);
    case RV_DOMCTL_PHYSINFO: return ctl_physinfo(a[2]);
    default: return -RV_ENOSYS;
    }
}
