/* SPDX-License-Identifier: MIT */
/*
 * libpvguest/console.c: rv_printf and friends over console_io.
 *
 * One line, one hypercall: characters gather in a buffer that goes to
 * the monitor at '\n' or when full.  The monitor prefixes each guest line
 * with "[d<ID> <NAME>]", so whole lines keep two guests' output apart.
 */
#include <pvguest.h>

static char line[RV_CONSOLE_LINE];
static unsigned line_len;

/* Returns the bytes written, or the first error if none were. */
static long write_all(const char *p, size_t n)
{
    long done = 0;

    while (n > 0) {
        unsigned chunk = n > RV_CONSOLE_MAX ? RV_CONSOLE_MAX : (unsigned)n;
        long r = rv_hc_console_io(RV_CONSOLE_WRITE, chunk, p);

        if (r <= 0)
            return done ? done : r;
        p += r;
        n -= (size_t)r;
        done += r;
    }
    return done;
}

void rv_console_flush(void)
{
    unsigned n = line_len;

    line_len = 0;
    write_all(line, n);
}

void rv_putchar(char c)
{
    if (line_len >= sizeof(line))
        rv_console_flush();
    line[line_len++] = c;
    if (c == '\n' || line_len == sizeof(line))
        rv_console_flush();
}

static void put(void *ctx, char c)
{
    (void)ctx;
    rv_putchar(c);
}

int rv_vprintf(const char *fmt, va_list ap)
{
    return rv_vformat(put, 0, fmt, ap);
}

int rv_printf(const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = rv_vprintf(fmt, ap);
    va_end(ap);
    return n;
}

int rv_puts(const char *s)
{
    while (*s)
        rv_putchar(*s++);
    rv_putchar('\n');
    return 0;
}

long rv_console_write(const void *buf, size_t n)
{
    rv_console_flush();
    return write_all(buf, n);
}

long rv_console_read(void *buf, size_t n)
{
    if (n > RV_CONSOLE_MAX)
        n = RV_CONSOLE_MAX;
    return rv_hc_console_io(RV_CONSOLE_READ, (unsigned)n, buf);
}
