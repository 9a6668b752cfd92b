/*
 * monitor/console.c: everything the monitor prints.  Monitor lines start
 * with "(rv) "; a guest's output is cut into lines, each prefixed with
 * "[d<ID> <NAME>] ", and kept whole: several guests print at once and a
 * test runner must be able to tell their lines apart (tests/PROTOCOL.md).
 */
#include "console.h"
#include "devices.h"
#include "domain.h"
#include "evtchn.h"
#include "rvlib.h"
#include "serial.h"
#include "x86.h"

static void put(void *ctx, char c)
{
    (void)ctx;
    serial_putc(c);
}

void kvprintf(const char *fmt, va_list ap) { rv_vformat(put, 0, fmt, ap); }

void kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
}

void mlog(const char *fmt, ...)
{
    va_list ap;
    kprintf("(rv) ");
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
}

void dlog(const struct domain *d, const char *fmt, ...)
{
    va_list ap;
    kprintf("(rv) d%u %s: ", d->id, d->name);
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
}

void console_guest_flush(struct domain *d)
{
    if (d->line_len == 0)
        return;
    kprintf("[d%u %s] %.*s\n", d->id, d->name, (int)d->line_len, d->line);
    d->line_len = 0;
}

/* Control characters other than tab are shown as '?': a guest must not be
 * able to move the cursor over another guest's lines or the monitor's. */
void console_guest_write(struct domain *d, const char *buf, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        char c = buf[i];
        if (c == '\n') {
            console_guest_flush(d);
            continue;
        }
        if (c == '\r')
            continue;
        if ((unsigned char)c < 0x20 && c != '\t')
            c = '?';
        if (d->line_len == CONSOLE_LINE_MAX)
            console_guest_flush(d); /* a long line continues on the next one */
        d->line[d->line_len++] = c;
    }
}

/* ---- input and the console focus ------------------------------------------ */

static struct domain *focus;
static int escape; /* the previous byte was Ctrl-A */

static int alive(const struct domain *d)
{
    return d && d->state != DOM_FREE && d->state != DOM_DEAD;
}

/* The focus moves to the next live domain after `from` (in id order). */
static struct domain *next_focus(struct domain *from)
{
    unsigned start = from ? (unsigned)(from - domains) + 1 : 0;
    for (unsigned i = 0; i < MAX_DOMAINS; i++) {
        struct domain *d = &domains[(start + i) % MAX_DOMAINS];
        if (alive(d))
            return d;
    }
    return 0;
}

static struct domain *focus_domain(void)
{
    if (!alive(focus))
        focus = next_focus(focus);
    return focus;
}

static void deliver(char c)
{
    struct domain *d = focus_domain();
    if (d && virtio_console_input(d, c))
        return; /* its virtio console is ready: the byte went into a receive buffer */
    if (!d || d->in_head - d->in_tail >= sizeof(d->in_ring))
        return; /* nobody listens, or it does not read: drop, as a UART overrun would */
    d->in_ring[d->in_head++ % sizeof(d->in_ring)] = c;
    evtchn_send_virq(d, RV_VIRQ_CONSOLE);
}

static void command(char c)
{
    switch (c) {
    case 'n':
        focus = next_focus(focus_domain());
        if (focus)
            mlog("console input now goes to d%u %s\n", focus->id, focus->name);
        break;
    case 't':
        sched_print_table();
        break;
    case 'm':
        for (unsigned i = 0; i < MAX_DOMAINS; i++)
            if (alive(&domains[i]))
                domain_print_memory(&domains[i]);
        break;
    case 's':
        switch_print();
        break;
    case 0x01:
        deliver(c);
        break;
    default:
        mlog("Ctrl-A then: n = next domain gets the console, t = CPU table, m = memory, "
             "s = network switch, Ctrl-A = send Ctrl-A\n");
    }
}

void console_input(void)
{
    int c;
    while ((c = serial_getc()) >= 0) {
        if (escape)
            command((char)c);
        else if (c != 0x01)
            deliver((char)c);
        escape = !escape && c == 0x01;
    }
}

uint32_t console_read(struct domain *d, char *buf, uint32_t n)
{
    uint32_t i = 0;
    if (d != focus_domain())
        return 0;
    while (i < n && d->in_tail != d->in_head)
        buf[i++] = d->in_ring[d->in_tail++ % sizeof(d->in_ring)];
    return i;
}

void monitor_exit(int failed);

__attribute__((noreturn)) void panic(const char *fmt, ...)
{
    va_list ap;
    cli();
    kprintf("\n(rv) PANIC: ");
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
    kprintf("\n");
    monitor_exit(1);
    for (;;)
        hlt();
}
