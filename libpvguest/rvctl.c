/* SPDX-License-Identifier: MIT */
/*
 * libpvguest/rvctl.c: rvctl's commands: parsing a command line, the
 * domctl calls it makes and what it prints (pvguest/rvctl.h).  Nothing
 * here knows how the calls are made, so a libpvguest control guest and a
 * Linux rvctl (through its driver) share every word of it.
 */
#ifdef RVCTL_HOSTED
#include <string.h>
#else
#include <rvlib.h>
#endif
#include "abi.h"
#include "hypercall.h"
#include "pvguest/rvctl.h"

#define OPTS_MAX RV_DOMCTL_OPTIONS_MAX
#define P(...) ops->print(ops->ctx, __VA_ARGS__)

const char *rvctl_errname(long rc)
{
    switch (-rc) {
    case RV_EPERM: return "-EPERM (not a control domain)";
    case RV_ESRCH: return "-ESRCH (no such domain)";
    case RV_E2BIG: return "-E2BIG (too large)";
    case RV_ENOMEM: return "-ENOMEM (not enough free memory)";
    case RV_EFAULT: return "-EFAULT (bad buffer)";
    case RV_EBUSY: return "-EBUSY (already so)";
    case RV_EINVAL: return "-EINVAL (invalid argument)";
    case RV_ENOSPC: return "-ENOSPC (no room for another domain)";
    case RV_ENOSYS: return "-ENOSYS (unknown command)";
    default: return rc < 0 ? "-E? (error)" : "0";
    }
}

const char *rvctl_state_name(uint32_t state)
{
    static const char *const names[] = { "runnable", "blocked", "paused", "dead" };
    return state < 4 ? names[state] : "?";
}

int rvctl_split(char *line, char **argv, int max)
{
    int n = 0;
    while (*line && n < max) {
        while (*line == ' ' || *line == '\t' || *line == '\n')
            *line++ = 0;
        if (!*line)
            break;
        argv[n++] = line;
        while (*line && *line != ' ' && *line != '\t' && *line != '\n')
            line++;
    }
    return n;
}

static long ctl(const struct rvctl_ops *ops, unsigned cmd, unsigned dom, void *a1, unsigned long a2)
{
    return ops->domctl(ops->ctx, cmd, dom, (unsigned long)a1, a2);
}

static int is_number(const char *s, uint32_t *v)
{
    uint32_t n = 0;
    if (!*s)
        return 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || n > 100000000u)
            return 0;
        n = n * 10 + (uint32_t)(*s - '0');
    }
    *v = n;
    return 1;
}

/* DOM: an id, or the name of a domain that exists. */
static long domid(const struct rvctl_ops *ops, const char *s)
{
    static struct rv_domctl_info all[64];
    uint32_t id;
    if (is_number(s, &id))
        return id;
    long n = ctl(ops, RV_DOMCTL_LIST, 0, all, 64);
    for (long i = 0; i < n && i < 64; i++)
        if (strcmp(all[i].name, s) == 0)
            return all[i].domid;
    P("rvctl: no domain named %s\n", s);
    return -RV_ESRCH;
}

static void header(const struct rvctl_ops *ops)
{
    P("%-5s %-23s %-8s %9s %6s %4s %9s %9s %7s %s\n", "ID", "NAME", "STATE", "MEM(KiB)", "WEIGHT", "CAP",
      "CPU(ms)", "HCALLS", "TRAPS", "EXIT");
}

static void row(const struct rvctl_ops *ops, const struct rv_domctl_info *i)
{
    P("%-5u %-23s %-8s %9u %6u %3u%% %9u %9u %7u", i->domid, i->name, rvctl_state_name(i->state),
      i->nr_pages * 4, i->weight, i->cap, (uint32_t)(i->cpu_ns / 1000000u), i->hypercalls, i->traps);
    if (i->state == RV_DOMSTATE_DEAD)
        P(" %d/%d", (int)i->exit_reason, (int)i->exit_code);
    P("%s\n", i->flags & RV_DOMINFO_CONTROL ? " control" : "");
}

static long cmd_list(const struct rvctl_ops *ops)
{
    static struct rv_domctl_info all[64];
    long n = ctl(ops, RV_DOMCTL_LIST, 0, all, 64);
    if (n < 0)
        return n;
    header(ops);
    for (long i = 0; i < n && i < 64; i++)
        row(ops, &all[i]);
    return n;
}

static long cmd_info(const struct rvctl_ops *ops, long dom)
{
    struct rv_domctl_info i = { 0 };
    long r = ctl(ops, RV_DOMCTL_GETINFO, (unsigned)dom, &i, 0);
    if (r < 0)
        return r;
    header(ops);
    row(ops, &i);
    return 0;
}

/* "IMAGE word word -- cmdline" goes to the monitor as the module line would. */
static long cmd_create(const struct rvctl_ops *ops, int argc, char **argv)
{
    static char opts[OPTS_MAX + 1];
    char reason[RV_DOMCTL_REASON_MAX] = "";
    const void *data;
    uint32_t len = 0, used = 0;
    if (argc < 2)
        return -RV_EINVAL;
    if (!ops->image || ops->image(ops->ctx, argv[1], &data, &len)) {
        P("rvctl: create: no image %s\n", argv[1]);
        return -RV_EINVAL;
    }
    opts[0] = 0;
    for (int i = 1; i < argc; i++) {
        size_t n = strlen(argv[i]);
        if (used + n + 1 > OPTS_MAX) {
            P("rvctl: create: options longer than %u bytes\n", OPTS_MAX);
            return -RV_E2BIG;
        }
        if (used)
            opts[used++] = ' ';
        memcpy(opts + used, argv[i], n);
        used += (uint32_t)n;
        opts[used] = 0;
    }
    struct rv_domctl_create c = { .image = (uint32_t)(unsigned long)data, .image_len = len,
                                  .options = (uint32_t)(unsigned long)opts, .options_len = used,
                                  .reason = (uint32_t)(unsigned long)reason, .reason_len = sizeof(reason) };
    long r = ctl(ops, RV_DOMCTL_CREATE, 0, &c, 0);
    if (r < 0)
        P("rvctl: create %s: %s: %s\n", argv[1], reason[0] ? reason : "refused", rvctl_errname(r));
    else
        P("rvctl: created d%ld from %s\n", r, argv[1]);
    return r;
}

static long cmd_sched(const struct rvctl_ops *ops, long dom, int argc, char **argv)
{
    struct rv_domctl_info i = { 0 };
    long r = ctl(ops, RV_DOMCTL_GETINFO, (unsigned)dom, &i, 0);
    for (int k = 2; r >= 0 && k < argc; k++) {
        if (strncmp(argv[k], "weight=", 7) == 0 && is_number(argv[k] + 7, &i.weight))
            continue;
        if (strncmp(argv[k], "cap=", 4) == 0 && is_number(argv[k] + 4, &i.cap))
            continue;
        P("rvctl: sched: %s is not weight=W or cap=C\n", argv[k]);
        return -RV_EINVAL;
    }
    return r < 0 ? r : ctl(ops, RV_DOMCTL_SETSCHED, (unsigned)dom, (void *)(unsigned long)i.weight, i.cap);
}

static long cmd_console(const struct rvctl_ops *ops, long dom)
{
    static char buf[1024];
    struct rv_domctl_console io = { .buf = (uint32_t)(unsigned long)buf, .len = sizeof(buf) - 1 };
    long r, total = 0;
    do {
        if ((r = ctl(ops, RV_DOMCTL_CONSOLE_READ, (unsigned)dom, &io, 0)) < 0)
            return r;
        if (io.lost)
            P("rvctl: (%u bytes of d%ld's console were overwritten before they were read)\n", io.lost, dom);
        buf[r] = 0;
        P("%s", buf);
        total += r;
    } while (io.pending);
    return total;
}

static long cmd_send(const struct rvctl_ops *ops, long dom, int argc, char **argv)
{
    static char line[512];
    uint32_t n = 0;
    for (int k = 2; k < argc; k++) {
        size_t w = strlen(argv[k]);
        if (n + w + 2 > sizeof(line))
            return -RV_E2BIG;
        if (n)
            line[n++] = ' ';
        memcpy(line + n, argv[k], w);
        n += (uint32_t)w;
    }
    line[n++] = '\n';
    struct rv_domctl_console io = { .buf = (uint32_t)(unsigned long)line, .len = n };
    return ctl(ops, RV_DOMCTL_CONSOLE_WRITE, (unsigned)dom, &io, 0);
}

static long cmd_wait(const struct rvctl_ops *ops, long dom)
{
    static const char *const how[] = { "poweroff", "reboot", "crash" };
    struct rv_domctl_info i = { 0 };
    for (;;) {
        long r = ctl(ops, RV_DOMCTL_GETINFO, (unsigned)dom, &i, 0);
        if (r < 0)
            return r;
        if (i.state == RV_DOMSTATE_DEAD)
            break;
        ops->wait(ops->ctx);
    }
    ctl(ops, RV_DOMCTL_DESTROY, (unsigned)dom, 0, 0); /* the zombie goes: nothing more to learn */
    if (i.exit_reason >= 0 && i.exit_reason <= 2)
        P("rvctl: d%u %s: exit %s code %d\n", i.domid, i.name, how[i.exit_reason], (int)i.exit_code);
    else
        P("rvctl: d%u %s: %s\n", i.domid, i.name, i.exit_reason == RV_EXIT_KILLED ? "killed" : "destroyed");
    return i.exit_reason >= 0 && i.exit_reason <= 2 ? i.exit_code : 0x100 - i.exit_reason;
}

static long cmd_mem(const struct rvctl_ops *ops)
{
    struct rv_domctl_physinfo p = { 0 };
    long r = ctl(ops, RV_DOMCTL_PHYSINFO, 0, &p, 0);
    if (r >= 0)
        P("rvctl: %u frames (%u KiB) free%s, %u of %u domains\n", p.free_frames, p.free_frames * 4,
          p.scrubbing ? ", more being scrubbed" : "", p.nr_domains, p.max_domains);
    return r;
}

/* One table of top: what each domain did since the last LIST. */
static void top_table(const struct rvctl_ops *ops, const struct rv_domctl_info *was, long nwas,
                      const struct rv_domctl_info *now, long n, uint64_t dt_ns)
{
    P("%-5s %-23s %-8s %6s %9s %10s\n", "ID", "NAME", "STATE", "CPU%", "MEM(KiB)", "HCALLS/s");
    for (long k = 0; k < n; k++) {
        uint64_t cpu = 0, hc = 0;
        for (long j = 0; j < nwas; j++)
            if (was[j].domid == now[k].domid) {
                cpu = now[k].cpu_ns - was[j].cpu_ns;
                hc = now[k].hypercalls - was[j].hypercalls;
            }
        uint32_t pct10 = dt_ns ? (uint32_t)(cpu * 1000 / dt_ns) : 0;
        P("%-5u %-23s %-8s %4u.%u %9u %10u\n", now[k].domid, now[k].name, rvctl_state_name(now[k].state),
          pct10 / 10, pct10 % 10, now[k].nr_pages * 4, dt_ns ? (uint32_t)(hc * 1000000000ull / dt_ns) : 0);
    }
}

static long cmd_top(const struct rvctl_ops *ops, int argc, char **argv)
{
    static struct rv_domctl_info a[64], b[64];
    struct rv_domctl_info *was = a, *now = b, *t;
    uint32_t rounds = 1;
    if (argc > 1 && (!is_number(argv[1], &rounds) || rounds == 0))
        return -RV_EINVAL;
    if (!ops->now_ns || !ops->sleep_ms)
        return -RV_ENOSYS;
    long nwas = ctl(ops, RV_DOMCTL_LIST, 0, was, 64), n = nwas;
    uint64_t t0 = ops->now_ns(ops->ctx);
    for (uint32_t r = 0; r < rounds && nwas >= 0; r++) {
        ops->sleep_ms(ops->ctx, 1000);
        if ((n = ctl(ops, RV_DOMCTL_LIST, 0, now, 64)) < 0)
            return n;
        uint64_t t1 = ops->now_ns(ops->ctx);
        top_table(ops, was, nwas < 64 ? nwas : 64, now, n < 64 ? n : 64, t1 - t0);
        t = was, was = now, now = t;
        nwas = n;
        t0 = t1;
    }
    return n;
}

/* The commands that take just a DOM. */
static long one_dom(const struct rvctl_ops *ops, const char *cmd, long dom, int argc, char **argv)
{
    if (!strcmp(cmd, "info")) return cmd_info(ops, dom);
    if (!strcmp(cmd, "destroy")) return ctl(ops, RV_DOMCTL_DESTROY, (unsigned)dom, 0, 0);
    if (!strcmp(cmd, "pause")) return ctl(ops, RV_DOMCTL_PAUSE, (unsigned)dom, 0, 0);
    if (!strcmp(cmd, "unpause")) return ctl(ops, RV_DOMCTL_UNPAUSE, (unsigned)dom, 0, 0);
    if (!strcmp(cmd, "sched")) return cmd_sched(ops, dom, argc, argv);
    if (!strcmp(cmd, "console")) return cmd_console(ops, dom);
    if (!strcmp(cmd, "send")) return cmd_send(ops, dom, argc, argv);
    if (!strcmp(cmd, "wait")) return cmd_wait(ops, dom);
    P("rvctl: unknown command %s (list info create destroy pause unpause sched console send wait mem top)\n",
      cmd);
    return -RV_EINVAL;
}

long rvctl_run(const struct rvctl_ops *ops, int argc, char **argv)
{
    long r;
    if (argc < 1)
        return -RV_EINVAL;
    if (!strcmp(argv[0], "list"))
        r = cmd_list(ops);
    else if (!strcmp(argv[0], "create"))
        return cmd_create(ops, argc, argv); /* it says why itself */
    else if (!strcmp(argv[0], "mem"))
        r = cmd_mem(ops);
    else if (!strcmp(argv[0], "top"))
        r = cmd_top(ops, argc, argv);
    else if (argc < 2) {
        P("rvctl: %s needs a domain\n", argv[0]);
        return -RV_EINVAL;
    } else {
        long dom = domid(ops, argv[1]);
        if (dom < 0)
            return dom;
        r = one_dom(ops, argv[0], dom, argc, argv);
    }
    if (r < 0)
        P("rvctl: %s: %s\n", argv[0], rvctl_errname(r));
    return r;
}
