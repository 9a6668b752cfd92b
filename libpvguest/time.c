/* SPDX-License-Identifier: MIT */
/*
 * libpvguest/time.c: reading system time and the wall clock from the
 * shared page, the one-shot timer, and sleeping (pvguest/time.h).
 *
 * The guest cannot read the PIT, RTC or local APIC (port I/O and the APIC
 * page are the monitor's), so time is pvclock style: the monitor publishes
 * (tsc_timestamp, system_time, tsc_to_system_mul, tsc_shift) and we
 * extrapolate with our own RDTSC, which does not trap (CR4.TSD is clear;
 * SDM Vol. 2B RDTSC).  The record is written while we are not running,
 * but a read can straddle a switch, hence the version loop.
 */
#include <pvguest.h>

volatile uint32_t rv_timer_fired;
static uint32_t timer_port;
static rv_evtchn_handler timer_fn;
static void *timer_arg;

/* (delta * mul) >> 32 without losing the top: delta may exceed 32 bits
 * when we have run a long time since the monitor last published. */
static uint64_t scale(uint64_t delta, uint32_t mul, int8_t shift)
{
    delta = shift >= 0 ? delta << shift : delta >> -shift;
    return (((delta & 0xffffffffu) * mul) >> 32) + (delta >> 32) * mul;
}

uint64_t rv_time_ns(void)
{
    volatile struct rv_vcpu_time_info *t = &rv_vcpu()->time;
    uint32_t version;
    uint64_t ns;

    do {
        version = t->version;   /* odd: being updated */
        rv_barrier();           /* x86 keeps loads in order (SDM Vol. 3A 8.2.2); the compiler must too */
        ns = t->system_time + scale(rv_rdtsc() - t->tsc_timestamp, t->tsc_to_system_mul, t->tsc_shift);
        rv_barrier();
    } while ((version & 1) || version != t->version);
    return ns;
}

uint64_t rv_tsc_to_ns(uint64_t ticks)
{
    volatile struct rv_vcpu_time_info *t = &rv_vcpu()->time;

    return scale(ticks, t->tsc_to_system_mul, t->tsc_shift);
}

uint64_t rv_wallclock(void)
{
    volatile struct rv_shared_info *s = rv_shared_info;
    uint32_t version, sec, nsec;

    do {
        version = s->wc_version;
        rv_barrier();
        sec = s->wc_sec;
        nsec = s->wc_nsec;
        rv_barrier();
    } while ((version & 1) || version != s->wc_version);
    return sec * RV_NS_PER_SEC + nsec + rv_time_ns();
}

long rv_timer_set(uint64_t deadline_ns)
{
    return rv_hc_set_timer_op(deadline_ns);
}

static void timer_event(uint32_t port, struct rv_trap_frame *f, void *arg)
{
    (void)arg;
    rv_timer_fired++;
    if (timer_fn)
        timer_fn(port, f, timer_arg);
}

long rv_timer_bind(rv_evtchn_handler fn, void *arg)
{
    timer_arg = arg;
    rv_barrier();
    timer_fn = fn;
    if (!timer_port) {
        long p = rv_evtchn_bind_virq(RV_VIRQ_TIMER, timer_event, 0);

        if (p < 0)
            return p;
        timer_port = (uint32_t)p;
    }
    return timer_port;
}

long rv_block(void)
{
    return rv_hc_sched_op(RV_SCHED_BLOCK, 0, 0);
}

/*
 * The check of the time and the block must not race with the timer: with
 * events masked, a timer that fires in between leaves
 * evtchn_upcall_pending set, and block returns at once (ABI.md, sched_op).
 */
void rv_sleep_until(uint64_t deadline_ns)
{
    unsigned was_masked = rv_vcpu()->evtchn_upcall_mask;

    if (!timer_port)
        rv_timer_bind(0, 0);
    if (!rv_events_ready()) {
        /* No event callback: nothing would ever clear evtchn_upcall_pending,
         * and block would return at once for good.  Poll the timer port. */
        while (rv_time_ns() < deadline_ns) {
            struct rv_sched_poll p = { .ports = (uint32_t)&timer_port, .nr_ports = 1,
                                       .timeout = deadline_ns };
            rv_hc_sched_op(RV_SCHED_POLL, (unsigned long)&p, 0);
            rv_evtchn_test_and_clear(timer_port);
        }
        return;
    }
    for (;;) {
        rv_events_disable();
        if (rv_time_ns() >= deadline_ns)
            break;
        rv_timer_set(deadline_ns);
        rv_block();
    }
    rv_events_restore(was_masked);
}

void rv_sleep_ns(uint64_t ns)
{
    rv_sleep_until(rv_time_ns() + ns);
}
