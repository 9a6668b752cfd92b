/* SPDX-License-Identifier: MIT */
/*
 * libpvguest/guest.c: the guest's command line and the ways to stop.
 * (crt0.asm sets rv_start_info and rv_shared_info before guest_main.)
 */
#include <pvguest.h>

/* The "key=value" or bare "key" word in the command line, or NULL. */
static const char *find_word(const char *key)
{
    const char *p = rv_start_info->cmdline;
    size_t klen = strlen(key);

    while (*p) {
        while (*p == ' ')
            p++;
        if (strncmp(p, key, klen) == 0 && (p[klen] == '=' || p[klen] == ' ' || p[klen] == 0))
            return p;
        while (*p && *p != ' ')
            p++;
    }
    return 0;
}

const char *rv_cmdline_value(const char *key)
{
    const char *w = find_word(key);

    return w && w[strlen(key)] == '=' ? w + strlen(key) + 1 : 0;
}

int rv_cmdline_has(const char *key)
{
    return find_word(key) != 0;
}

long rv_cmdline_int(const char *key, long dflt)
{
    const char *p = rv_cmdline_value(key);
    unsigned long v = 0, base = 10;
    int neg = 0, digits = 0;

    if (!p)
        return dflt;
    if (*p == '-')
        neg = 1, p++;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
        base = 16, p += 2;
    for (;; p++, digits++) {
        unsigned d;

        if (*p >= '0' && *p <= '9')
            d = (unsigned)(*p - '0');
        else if (base == 16 && *p >= 'a' && *p <= 'f')
            d = (unsigned)(*p - 'a' + 10);
        else if (base == 16 && *p >= 'A' && *p <= 'F')
            d = (unsigned)(*p - 'A' + 10);
        else
            break;
        v = v * base + d;
    }
    if (!digits || (*p && *p != ' '))
        return dflt;
    return neg ? -(long)v : (long)v;
}

void rv_shutdown_reason(unsigned reason, int code)
{
    rv_console_flush();
    rv_hc_sched_op(RV_SCHED_SHUTDOWN, reason, (unsigned long)code);
    /* shutdown never returns; if it does, the monitor is broken: say so. */
    rv_printf("libpvguest: sched_op shutdown returned\n");
    rv_hc_sched_op(RV_SCHED_SHUTDOWN, RV_SHUTDOWN_CRASH, (unsigned long)code);
    for (;;)
        rv_hc_sched_op(RV_SCHED_YIELD, 0, 0);
}

void rv_shutdown(int code)
{
    rv_shutdown_reason(RV_SHUTDOWN_POWEROFF, code);
}

void rv_reboot(void)
{
    rv_shutdown_reason(RV_SHUTDOWN_REBOOT, 0);
}

void rv_crash(void)
{
    rv_shutdown_reason(RV_SHUTDOWN_CRASH, 0);
}

void rv_yield(void)
{
    rv_hc_sched_op(RV_SCHED_YIELD, 0, 0);
}
