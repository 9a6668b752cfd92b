/*
 * monitor/console.c: everything the monitor prints on the serial line, and
 * what becomes of each domain's console output.
 *
 * Two views share the one line (ABI.md "The console"):
 *   - the line view: a guest's output cut into lines, each prefixed with
 *     "[d<ID> <NAME>] " and cleaned (termtext.c), so several guests can
 *     print at once, none can move the cursor over another's lines, and a
 *     runner can tell whose line is whose and that "(rv) " lines are the
 *     monitor's (tests/PROTOCOL.md).  Every domain gets it with
 *     console=lines (the test runners), and so does every domain without
 *     the focus in the terminal view, at most CONSOLE_FLOOD_BURST lines at
 *     once and CONSOLE_FLOOD_RATE a second after that (a flood cannot hold
 *     the line; what it hides stays in its history);
 *   - the terminal view (console=terminal, the default): the domain with
 *     the console focus (console_input.c) writes to the line byte for byte,
 *     at once, as a guest on a real serial port would.  The monitor's own
 *     lines and other domains' lines wait for a quiet point in its stream
 *     (not inside an escape or UTF-8 sequence, or CONSOLE_QUIET_NS after
 *     its last byte), start on a fresh line, and when they are done the
 *     focused domain's unfinished line (its prompt) is written again.
 * Every byte a domain writes also goes into its history ring
 * (CONSOLE_HIST_SIZE bytes; the oldest are overwritten); a switch of the
 * focus in the terminal view replays it, so nothing a background domain
 * printed is lost up to that size.
 *
 * Several CPUs may print: console_lock (lock.h has the discipline) guards
 * the serial line and all of this file's state.  Every public entry point
 * takes it, and it nests on the CPU that holds it, so a whole mlog/dlog
 * line goes out in one piece and code in here may call mlog itself.
 */
#include "console.h"
#include "domain.h"
#include "lock.h"
#include "smp.h"
#include "rvlib.h"
#include "outcome.h"
#include "serial.h"
#include "termtext.h"
#include "time.h"
#include "x86.h"

#define CONSOLE_QUIET_NS 500000000ull  /* 500 ms with no byte from the focus is a quiet point */
#define CONSOLE_RESTORE_MAX 256        /* at most this much of the focus's line is written again */
#define PENDING_MAX 4096               /* monitor text waiting for a quiet point */
#define CONSOLE_FLOOD_BURST 100        /* a background domain's lines shown at once... */
#define CONSOLE_FLOOD_RATE 20          /* ...and per second after that (terminal view) */

static struct {
    enum console_mode mode;
    struct term_track track;   /* the focused domain's stream */
    int fg_col0;               /* its last byte was '\n' (or it wrote nothing yet) */
    uint64_t fg_last_ns;       /* when it last wrote */
    int mon_owns;              /* monitor text went out since: its line was broken */
    int mon_col0;              /* the monitor's last byte was '\n' */
    int forced;                /* a panic: print at once */
    uint32_t pend_len;
    char pend[PENDING_MAX];
} term = { .mode = CONSOLE_TERMINAL, .fg_col0 = 1, .mon_col0 = 1 };

/* ---- the lock --------------------------------------------------------------- */

static spinlock_t console_spin = SPINLOCK_INIT;
static volatile uint32_t console_owner = ~0u; /* the holding CPU's index */
static uint32_t console_depth;

static void console_lock(void)
{
    uint32_t me = this_cpu()->index;
    if (console_owner == me) {
        console_depth++;
        return;
    }
    spin_lock(&console_spin);
    console_owner = me;
    console_depth = 1;
}

static void console_unlock(void)
{
    if (--console_depth)
        return;
    console_owner = ~0u;
    spin_unlock(&console_spin);
}

/* A panic prints even if another CPU holds the line and never lets go. */
static void console_lock_panic(void)
{
    uint32_t me = this_cpu()->index;
    uint64_t end = now_ns() + 100000000ull;
    if (console_owner != me)
        while (!spin_trylock(&console_spin) && now_ns() < end)
            cpu_relax();
    console_owner = me;
    console_depth = 1;
}

void console_set_mode(enum console_mode m) { term.mode = m; }
enum console_mode console_mode(void) { return term.mode; }

static void raw(const char *s, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        serial_putc_raw(s[i]);
}

/* ---- history -------------------------------------------------------------- */

static void hist_append(struct domain *d, const char *buf, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        d->hist[d->hist_head++ % CONSOLE_HIST_SIZE] = buf[i];
}

static char hist_at(const struct domain *d, uint64_t pos)
{
    return d->hist[pos % CONSOLE_HIST_SIZE];
}

/* Where the kept history starts. */
static uint64_t hist_first(const struct domain *d)
{
    return d->hist_head > CONSOLE_HIST_SIZE ? d->hist_head - CONSOLE_HIST_SIZE : 0;
}

/* Writes history from pos to the end, raw. */
static void hist_write(const struct domain *d, uint64_t pos)
{
    for (; pos < d->hist_head; pos++)
        serial_putc_raw(hist_at(d, pos));
}

/*
 * domctl CONSOLE_READ: the oldest bytes of d's history a control domain
 * has not read (d->ctl_read counts what it has).  Bytes overwritten before
 * they were read are skipped and counted in *lost.
 */
uint32_t console_hist_read(struct domain *d, char *buf, uint32_t n, uint32_t *lost, uint32_t *pending)
{
    uint64_t first = hist_first(d);
    *lost = 0;
    if (d->ctl_read < first) {
        *lost = (uint32_t)(first - d->ctl_read);
        d->ctl_read = first;
    }
    uint32_t i = 0;
    for (; i < n && d->ctl_read < d->hist_head; i++)
        buf[i] = hist_at(d, d->ctl_read++);
    *pending = (uint32_t)(d->hist_head - d->ctl_read);
    return i;
}

/* ---- the terminal view: the focus's stream and the monitor's text ---------------- */

static int holding(void)
{
    if (term.mode != CONSOLE_TERMINAL || term.forced || !console_focus_peek())
        return 0;
    return !term_track_quiet(&term.track) && now_ns() - term.fg_last_ns < CONSOLE_QUIET_NS;
}

/* Monitor text begins on a line of its own. */
static void mon_emit(char c)
{
    if (term.mode == CONSOLE_TERMINAL && !term.mon_owns) {
        if (!term.fg_col0)
            raw("\r\n", 2);
        term.mon_owns = 1;
    }
    serial_putc(c);
    term.mon_col0 = c == '\n';
}

static void flush_pending(void)
{
    uint32_t n = term.pend_len;
    term.pend_len = 0;
    for (uint32_t i = 0; i < n; i++)
        mon_emit(term.pend[i]);
}

static void mon_putc(void *ctx, char c)
{
    (void)ctx;
    if (holding() && term.pend_len < PENDING_MAX) {
        term.pend[term.pend_len++] = c;
        return;
    }
    flush_pending();
    mon_emit(c);
}

/* After monitor text: the focus's unfinished line again, so its prompt shows. */
static void restore_fg_line(struct domain *d)
{
    if (!term.mon_owns)
        return;
    term.mon_owns = 0;
    if (!term.mon_col0)
        raw("\r\n", 2);
    term.mon_col0 = 1;
    if (term.fg_col0)
        return;
    uint64_t start = d->hist_head, low = hist_first(d);
    while (start > low && d->hist_head - start < CONSOLE_RESTORE_MAX && hist_at(d, start - 1) != '\n')
        start--;
    hist_write(d, start);
}

static void fg_write(struct domain *d, const char *buf, uint32_t n)
{
    restore_fg_line(d);
    for (uint32_t i = 0; i < n; i++) {
        serial_putc_raw(buf[i]);
        term_track_byte(&term.track, (uint8_t)buf[i]);
    }
    if (n) {
        term.fg_col0 = buf[n - 1] == '\n';
        term.fg_last_ns = now_ns();
    }
}

void console_poll(void)
{
    console_lock();
    struct domain *f = console_focus();
    if (term.pend_len && !holding())
        flush_pending();
    if (f && !term.pend_len && term.mon_col0)
        restore_fg_line(f);
    console_unlock();
}

/* The terminal view's focus moved to d: its history, from a line start. */
void console_focus_changed(struct domain *d)
{
    if (term.mode != CONSOLE_TERMINAL)
        return;
    console_lock();
    uint64_t first = hist_first(d), pos = first;
    if (first > 0)
        while (pos < d->hist_head && hist_at(d, pos++) != '\n')
            ;
    if (pos == d->hist_head)
        mlog("console: d%u %s has the focus (Ctrl-A n: the next domain)\n", d->id, d->name);
    else
        mlog("console: d%u %s has the focus; its last %u bytes follow (%u earlier not kept)\n",
             d->id, d->name, (uint32_t)(d->hist_head - pos), (uint32_t)pos);
    flush_pending();
    term.mon_owns = 0;
    term.track = (struct term_track){ 0 };
    for (uint64_t p = pos; p < d->hist_head; p++)
        term_track_byte(&term.track, (uint8_t)hist_at(d, p));
    hist_write(d, pos);
    term.fg_col0 = pos == d->hist_head || hist_at(d, d->hist_head - 1) == '\n';
    term.fg_last_ns = now_ns();
    d->flood_hidden = 0;
    console_unlock();
}

/* ---- the line view ------------------------------------------------------------- */

/* A token bucket per domain, kept as the tokens spent (0: a full bucket):
 * may another of its lines go out now? */
static int flood_ok(struct domain *d)
{
    uint64_t now = now_ns();
    uint64_t earned = (now - d->flood_ns) * CONSOLE_FLOOD_RATE / 1000000000ull;
    if (earned) {
        d->flood_spent = earned >= d->flood_spent ? 0 : d->flood_spent - (uint32_t)earned;
        d->flood_ns = now;
    }
    if (d->flood_spent >= CONSOLE_FLOOD_BURST)
        return 0;
    d->flood_spent++;
    return 1;
}

static void line_out(struct domain *d)
{
    if (term.mode == CONSOLE_TERMINAL && !flood_ok(d)) {
        d->flood_hidden++;
        return;
    }
    if (d->flood_hidden) {
        dlog(d, "%u console lines not shown (a flood; Ctrl-A n shows its history)\n", d->flood_hidden);
        d->flood_hidden = 0;
    }
    kprintf("[d%u %s] %.*s\n", d->id, d->name, (int)d->line_len, d->line);
}

static void line_end(struct domain *d)
{
    uint8_t out[LINE_CLEAN_MAX_OUT];
    unsigned k = line_clean_end(&d->clean, out);
    memcpy(d->line + d->line_len, out, k); /* line_put left room for it */
    d->line_len += k;
    if (d->line_len)
        line_out(d);
    d->line_len = 0;
}

static void line_put(struct domain *d, char c)
{
    uint8_t out[LINE_CLEAN_MAX_OUT];
    if (c == '\n') {
        line_end(d);
        return;
    }
    unsigned k = line_clean_byte(&d->clean, (uint8_t)c, out);
    if (d->line_len + k + LINE_CLEAN_MAX_OUT > CONSOLE_LINE_MAX) {
        line_out(d); /* a long line continues on the next one */
        d->line_len = 0;
    }
    memcpy(d->line + d->line_len, out, k);
    d->line_len += k;
}

/* ---- what domains write -------------------------------------------------------- */

void console_guest_write(struct domain *d, const char *buf, uint32_t n)
{
    console_lock();
    int focused = term.mode == CONSOLE_TERMINAL && d == console_focus();
    if (focused)
        fg_write(d, buf, n);
    hist_append(d, buf, n);
    if (!focused)
        for (uint32_t i = 0; i < n; i++)
            line_put(d, buf[i]);
    console_poll();
    console_unlock();
}

/* d writes no more (it ended): its last line goes out, the next starts fresh. */
void console_guest_flush(struct domain *d)
{
    console_lock();
    if (term.mode == CONSOLE_TERMINAL && d == console_focus_peek()) {
        if (!term.fg_col0)
            raw("\r\n", 2);
        term.fg_col0 = 1;
        term.track = (struct term_track){ 0 };
    } else {
        line_end(d);
    }
    console_unlock();
}

/* ---- the monitor's own text ---------------------------------------------------- */

void kvprintf(const char *fmt, va_list ap)
{
    console_lock();
    rv_vformat(mon_putc, 0, fmt, ap);
    console_unlock();
}

void kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
}

void mlog(const char *fmt, ...)
{
    console_lock();
    va_list ap;
    kprintf("(rv) ");
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
    console_unlock();
}

void dlog(const struct domain *d, const char *fmt, ...)
{
    console_lock();
    va_list ap;
    kprintf("(rv) d%u %s: ", d->id, d->name);
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
    console_unlock();
}


__attribute__((noreturn)) void panic(const char *fmt, ...)
{
    va_list ap;
    cli();
    console_lock_panic();
    term.forced = 1;
    kprintf("\n(rv) PANIC: ");
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
    kprintf("\n");
    outcome_exit(1);
    for (;;)
        hlt();
}
