/* SPDX-License-Identifier: MIT */
/* tests/conformance/ctl/ctlkit.c: see ctlkit.h. */
#include "ctlkit.h"

char ctl_reason[RV_DOMCTL_REASON_MAX];
static uint32_t state_port;

long ctl(unsigned cmd, unsigned dom, const void *a1, unsigned long a2)
{
    return rv_hc_domctl(cmd, dom, (unsigned long)a1, a2);
}

uint32_t ctl_state_port(void)
{
    if (!state_port) {
        long p = rv_evtchn_bind_virq(RV_VIRQ_DOM_STATE, 0, 0);
        if (p <= 0)
            rvt_error("bind RV_VIRQ_DOM_STATE: %s", rv_errname(p));
        state_port = (uint32_t)p;
    }
    return state_port;
}

void ctl_wait_event(uint32_t ms)
{
    ctl_state_port();
    struct rv_sched_poll p = { .ports = (uint32_t)&state_port, .nr_ports = 1,
                               .timeout = rv_time_ns() + ms * 1000000ull };
    rv_hc_sched_op(RV_SCHED_POLL, (unsigned long)&p, 0);
    rv_evtchn_test_and_clear(state_port);
}

static long ops_domctl(void *ctx, unsigned cmd, unsigned dom, unsigned long a1, unsigned long a2)
{
    (void)ctx;
    return rv_hc_domctl(cmd, dom, a1, a2);
}

static int ops_print(void *ctx, const char *fmt, ...)
{
    va_list ap;
    (void)ctx;
    va_start(ap, fmt);
    int n = rv_vprintf(fmt, ap);
    va_end(ap);
    return n;
}

static int ops_image(void *ctx, const char *name, const void **data, uint32_t *len)
{
    (void)ctx;
    if (strcmp(name, "child") == 0) {
        *data = ctlchild_start;
        *len = CHILD_LEN;
        return 0;
    }
    if (strcmp(name, "notelf") == 0) { /* its own start_info: readable, not an image */
        *data = rv_start_info;
        *len = 4096;
        return 0;
    }
    return -1;
}

static void ops_wait(void *ctx)
{
    (void)ctx;
    ctl_wait_event(50);
}

static uint64_t ops_now(void *ctx)
{
    (void)ctx;
    return rv_time_ns();
}

static void ops_sleep(void *ctx, uint32_t ms)
{
    (void)ctx;
    rv_sleep_ns(ms * 1000000ull);
}

const struct rvctl_ops ctl_ops = { ops_domctl, ops_print, ops_image, ops_wait, ops_now, ops_sleep, 0 };

long ctl_create(uint32_t image, uint32_t len, const char *options)
{
    ctl_reason[0] = 0;
    struct rv_domctl_create c = { .image = image, .image_len = len, .options = (uint32_t)options,
                                  .options_len = options ? (uint32_t)strlen(options) : 0,
                                  .reason = (uint32_t)ctl_reason, .reason_len = sizeof(ctl_reason) };
    return ctl(RV_DOMCTL_CREATE, 0, &c, 0);
}

long ctl_rvctl(const char *line)
{
    static char copy[256];
    char *argv[32];
    strlcpy(copy, line, sizeof(copy));
    rv_printf("$ rvctl %s\n", line);
    return rvctl_run(&ctl_ops, rvctl_split(copy, argv, 32), argv);
}

int ctl_contains(const char *s, const char *text)
{
    size_t n = strlen(s), k = strlen(text);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(s + i, text, k) == 0)
            return 1;
    return 0;
}

static int contains(const char *hay, uint32_t n, const char *needle)
{
    uint32_t k = (uint32_t)strlen(needle);
    for (uint32_t i = 0; i + k <= n; i++)
        if (memcmp(hay + i, needle, k) == 0)
            return 1;
    return 0;
}

int ctl_console_until(uint32_t dom, const char *text, uint32_t ms)
{
    static char seen[8192];
    static uint32_t n;
    uint64_t end = rv_time_ns() + ms * 1000000ull;
    n = 0;
    do {
        uint32_t room = sizeof(seen) - 1 - n;
        struct rv_domctl_console io = { .buf = (uint32_t)(seen + n),
                                        .len = room < RV_CONSOLE_MAX ? room : RV_CONSOLE_MAX };
        long r = ctl(RV_DOMCTL_CONSOLE_READ, dom, &io, 0);
        if (r < 0)
            return 0;
        n += (uint32_t)r;
        if (contains(seen, n, text))
            return 1;
        if (n > sizeof(seen) / 2) { /* keep the tail */
            memcpy(seen, seen + n - 256, 256);
            n = 256;
        }
        rv_yield();
    } while (rv_time_ns() < end);
    return 0;
}

int ctl_wait_dead(uint32_t dom, struct rv_domctl_info *info, uint32_t ms)
{
    uint64_t end = rv_time_ns() + ms * 1000000ull;
    for (;;) {
        if (ctl(RV_DOMCTL_GETINFO, dom, info, 0) < 0)
            return 0;
        if (info->state == RV_DOMSTATE_DEAD)
            return 1;
        if (rv_time_ns() >= end)
            return 0;
        ctl_wait_event(20);
    }
}

uint32_t ctl_free_frames_settled(void)
{
    struct rv_domctl_physinfo p;
    for (;;) {
        if (ctl(RV_DOMCTL_PHYSINFO, 0, &p, 0) < 0)
            rvt_error("PHYSINFO failed");
        if (!p.scrubbing)
            return p.free_frames;
        rv_yield();
    }
}
