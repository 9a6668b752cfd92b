/* SPDX-License-Identifier: MIT */
/*
 * termtest: the guest side of tests/console_test.py, which drives the
 * monitor's console through a pipe (ABI.md "The console").
 *
 *   role=fg     writes a fixed byte string (colours, UTF-8, CR LF, a
 *               prompt with no newline), then echoes what it reads;
 *   role=bg     writes one line with control bytes in it, then a tick
 *               line (with an escape sequence) every 20 ms, and echoes
 *               what it reads;
 *   role=flood  after delay= ms, writes lines as fast as it can for
 *               ms= ms, then ends.
 * Echoing: each read becomes "got:HH HH ...\r\n".  Three inputs are
 * commands: "!split" writes an SGR sequence in two halves 250 ms apart
 * (the monitor must not put a line between them), "!exit" powers off.
 * With console=virtio on its module line the guest uses its virtio
 * console for both directions instead of console_io.
 */
#include <pvguest.h>

static struct rv_vcons vcons;
static int use_virtio;

static void out(const char *s, size_t n)
{
    if (use_virtio)
        rv_vcons_write(&vcons, s, n);
    else
        rv_console_write(s, n);
}

static void outs(const char *s)
{
    out(s, strlen(s));
}

static long in(char *buf, size_t n)
{
    return use_virtio ? rv_vcons_read(&vcons, buf, n) : rv_console_read(buf, n);
}

static unsigned cmdline_ms(const char *key, unsigned dflt)
{
    const char *v = rv_cmdline_value(key);
    unsigned n = 0;
    if (!v)
        return dflt;
    while (*v >= '0' && *v <= '9')
        n = n * 10 + (unsigned)(*v++ - '0');
    return n;
}

static void echo(const char *buf, long n)
{
    static const char hex[] = "0123456789abcdef";
    char line[8 + 3 * 64 + 2];
    unsigned k = 0;
    memcpy(line, "got:", 4);
    k = 4;
    for (long i = 0; i < n && i < 64; i++) {
        if (i)
            line[k++] = ' ';
        line[k++] = hex[(uint8_t)buf[i] >> 4];
        line[k++] = hex[buf[i] & 15];
    }
    line[k++] = '\r';
    line[k++] = '\n';
    out(line, k);
}

static int is(const char *buf, long n, const char *word)
{
    return n == (long)strlen(word) && memcmp(buf, word, (size_t)n) == 0;
}

/* Reads and echoes until "!exit"; bg also ticks every 20 ms. */
static _Noreturn void serve(int ticking)
{
    char buf[64];
    unsigned tick = 0, idle = 0;
    for (;;) {
        long n = in(buf, sizeof buf);
        if (n > 0) {
            if (is(buf, n, "!exit"))
                rv_shutdown(0);
            if (is(buf, n, "!split")) {
                outs("\x1b[3");
                rv_sleep_ns(250000000ull);
                outs("1mSPLIT\x1b[0m\r\n");
                continue;
            }
            echo(buf, n);
            continue;
        }
        rv_sleep_ns(2000000ull);
        if (ticking && ++idle == 10) {
            char line[32];
            int k = rv_snprintf(line, sizeof line, "tick %u \x1b[2m.\x1b[0m\n", tick++);
            out(line, (size_t)k);
            idle = 0;
        }
    }
}

static _Noreturn void flood(void)
{
    rv_sleep_ns(cmdline_ms("delay", 1000) * 1000000ull);
    uint64_t end = rv_time_ns() + cmdline_ms("ms", 2000) * 1000000ull;
    unsigned n = 0;
    while (rv_time_ns() < end) {
        char line[80];
        int k = rv_snprintf(line, sizeof line, "flood line %u with some text to fill it up\n", n++);
        out(line, (size_t)k);
    }
    rv_printf("flood: %u lines\n", n);
    rv_shutdown(0);
}

int guest_main(void)
{
    const char *role = rv_cmdline_value("role");
    use_virtio = rv_vcons_open(&vcons, 0) == 0;
    if (role && strncmp(role, "flood", 5) == 0)
        flood();
    if (role && strncmp(role, "fg", 2) == 0)
        outs("\x1b[1;31mred\x1b[0m caf\xc3\xa9 \xe2\x9c\x93\r\nprompt$ ");
    else
        outs("bg \x1b[31mline\x07 caf\xc3\xa9\n");
    serve(role && strncmp(role, "bg", 2) == 0);
    return 0;
}
