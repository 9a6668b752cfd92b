/*
 * monitor/console_input.c: the serial line's input and the console focus.
 *
 * One domain at a time has the focus: every byte typed goes to it (its
 * virtio console if its driver is ready, else console_io's queue and a
 * RV_VIRQ_CONSOLE event), control characters included, except Ctrl-A,
 * which starts a monitor command: Ctrl-A n moves the focus to the next
 * live domain, Ctrl-A l lists the domains, Ctrl-A k destroys the one with
 * the focus (a machine with no control domain), Ctrl-A Ctrl-A sends one
 * Ctrl-A.  No other domain ever sees
 * input.  When the focused domain ends, the focus moves on by itself.  In
 * the terminal view (console.c) the domain with the focus also owns the
 * output stream.
 */
#include "console.h"
#include "devices.h"
#include "domain.h"
#include "evtchn.h"
#include "serial.h"

static struct domain *focus;
static int escape; /* the previous byte was Ctrl-A */

static int alive(const struct domain *d)
{
    return d && d->state != DOM_FREE && d->state != DOM_DEAD;
}

/* The next live domain after `from` (in id order). */
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

static void set_focus(struct domain *d)
{
    focus = d;
    if (d)
        console_focus_changed(d);
}

struct domain *console_focus_peek(void)
{
    return alive(focus) ? focus : 0;
}

struct domain *console_focus(void)
{
    if (!alive(focus)) {
        struct domain *d = next_focus(focus);
        if (d != focus)
            set_focus(d);
    }
    return console_focus_peek();
}

static void deliver(char c)
{
    struct domain *d = console_focus();
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
    case 'n': {
        struct domain *d = next_focus(console_focus());
        if (d && console_mode() == CONSOLE_LINES)
            mlog("console input now goes to d%u %s\n", d->id, d->name);
        set_focus(d);
        break;
    }
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
    case 'l':
        domctl_print_list();
        break;
    case 'k': {
        struct domain *d = console_focus();
        if (d)
            domain_destroyed(d, "the serial console"); /* if it is running, trap_dispatch leaves it */
        break;
    }
    case 0x01:
        deliver(c);
        break;
    default:
        mlog("Ctrl-A then: n = next domain gets the console, t = CPU table, m = memory, "
             "s = network switch, l = list domains, k = destroy the domain with the focus, "
             "Ctrl-A = send Ctrl-A\n");
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

/*
 * A control domain's bytes for d (domctl CONSOLE_WRITE): they reach d as
 * typed bytes would if it had the focus, through their own queue, so they
 * never mix with the serial line's and need no focus.  Returns how many
 * were taken (a full queue takes no more: the caller tries again).
 */
uint32_t console_inject(struct domain *d, const char *buf, uint32_t n)
{
    uint32_t i = 0;
    for (; i < n; i++) {
        if (virtio_console_input(d, buf[i]))
            continue;
        if (d->ctl_in_head - d->ctl_in_tail >= sizeof(d->ctl_in))
            break;
        d->ctl_in[d->ctl_in_head++ % sizeof(d->ctl_in)] = buf[i];
    }
    if (d->ctl_in_head != d->ctl_in_tail)
        evtchn_send_virq(d, RV_VIRQ_CONSOLE);
    return i;
}

uint32_t console_read(struct domain *d, char *buf, uint32_t n)
{
    uint32_t i = 0;
    while (i < n && d->ctl_in_tail != d->ctl_in_head)
        buf[i++] = d->ctl_in[d->ctl_in_tail++ % sizeof(d->ctl_in)];
    if (d != console_focus())
        return i;
    while (i < n && d->in_tail != d->in_head)
        buf[i++] = d->in_ring[d->in_tail++ % sizeof(d->in_ring)];
    return i;
}
