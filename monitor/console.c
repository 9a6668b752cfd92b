/*
 * monitor/console.c: everything the monitor prints.  Monitor lines start
 * with "(rv) "; a guest's output is cut into lines, each prefixed with
 * "[d<ID> <NAME>] ", and kept whole: several guests print at once and a
 * test runner must be able to tell their lines apart (tests/PROTOCOL.md).
 */
#include "console.h"
#include "domain.h"
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
