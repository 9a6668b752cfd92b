/*
 * monitor/outcome.c: how a run ends, told to whatever runs the machine.
 *
 * A script that boots ringvisor under an emulator wants one number back:
 * did every guest end well, and if not, what was the first thing that went
 * wrong.  This file keeps that outcome and, with `autoexit`, leaves the
 * emulator with it.  QEMU's isa-debug-exit device (I/O port 0xf4) exits
 * QEMU with status (v << 1) | 1 for a byte v written there, so the status
 * is odd and 0 cannot be said; v is (README.md, tests/PROTOCOL.md):
 *
 *   0        every domain ended "exit poweroff code 0", no module refused
 *   1 .. 98  the first domain to end otherwise did "exit poweroff code N"
 *   99       ... "exit poweroff code N" with N 99 or more, or negative
 *   100      the first failure was a domain killed by the monitor
 *   101      ... a domain that shut down with RV_SHUTDOWN_CRASH
 *   102      ... a domain that shut down with reboot and was not restarted
 *   103      ... a module refused
 *   104      no module at all
 *   120      the monitor panicked
 *
 * "First" is in time: refusals come at boot, before any domain runs.
 * Bochs has no such device: "Shutdown" written to port 0x8900 ends it, and
 * the outcome is only on the console, in the `(rv) outcome:` line.  With
 * neither device the writes go nowhere; we say so and halt rather than
 * leave a script waiting for an exit that will not come.
 */
#include "abi.h"
#include "console.h"
#include "domain.h"
#include "modline.h"
#include "outcome.h"
#include "rvlib.h"
#include "serial.h"
#include "x86.h"

static int autoexit;
static unsigned status;     /* v above; 0 until something goes wrong */
static char why[80] = "every domain exited poweroff code 0";

void outcome_set_autoexit(int on)
{
    autoexit = on;
}

static void first(unsigned v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void first(unsigned v, const char *fmt, ...)
{
    va_list ap;
    if (status)
        return;
    status = v;
    va_start(ap, fmt);
    rv_vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
}

void outcome_refused(int index)
{
    first(OUTCOME_REFUSED, "module %d refused", index);
}

void outcome_domain_end(const struct domain *d)
{
    if (d->exit_reason < 0)
        first(OUTCOME_KILLED, "d%u %s killed", d->id, d->name);
    else if (d->exit_reason == RV_SHUTDOWN_CRASH)
        first(OUTCOME_CRASH, "d%u %s exit crash code %d", d->id, d->name, d->exit_code);
    else if (d->exit_reason == RV_SHUTDOWN_REBOOT && d->restart == RESTART_NEVER)
        first(OUTCOME_REBOOT, "d%u %s exit reboot, not restarted", d->id, d->name);
    else if (d->exit_reason == RV_SHUTDOWN_POWEROFF && d->exit_code != 0)
        first(d->exit_code > 0 && d->exit_code < OUTCOME_CODE_MAX ? (unsigned)d->exit_code
                                                                   : OUTCOME_CODE_MAX,
              "d%u %s exit poweroff code %d", d->id, d->name, d->exit_code);
}

void outcome_nothing(void)
{
    first(OUTCOME_NOTHING, "no guest module given");
}

int outcome_failed(void)
{
    return status != 0;
}

/* Every domain has stopped (or the monitor panicked): leave the emulator. */
__attribute__((noreturn)) void outcome_exit(int panicked)
{
    if (panicked)
        status = OUTCOME_PANIC, strlcpy(why, "monitor panic", sizeof why);
    kprintf("(rv) outcome: %u (%s)\n", status, why);
    if (autoexit) {
        serial_drain();
        outb(0xf4, (uint8_t)status);   /* QEMU isa-debug-exit: exits with (status << 1) | 1 */
        for (const char *s = "Shutdown"; *s; s++)
            outb(0x8900, (uint8_t)*s);  /* Bochs: leave the simulation */
        /* Still here: neither device exists on this machine. */
        kprintf("(rv) autoexit: no exit device: QEMU needs -device isa-debug-exit,iobase=0xf4,iosize=0x04"
                " (Bochs: port 0x8900); halted\n");
        serial_drain();
    }
    cli();
    for (;;)
        hlt();
}
