/* SPDX-License-Identifier: MIT */
/*
 * pvguest/time.h: system time, the wall clock, the one-shot timer, and
 * sleeping.
 *
 * System time is nanoseconds since the monitor started, read without a
 * trap from vcpu_info[0].time (a pvclock record the monitor refreshes
 * whenever it switches us in) and the TSC.  The timer is the monitor's
 * set_timer_op: one deadline per domain, raising RV_VIRQ_TIMER when system
 * time passes it.  Sleeping arms it and blocks (sched_op block), so a
 * sleeping guest uses no CPU.  ABI.md "Events and time".
 */
#ifndef PVGUEST_TIME_H
#define PVGUEST_TIME_H

#include <stdint.h>
#include "events.h"

static inline uint64_t rv_rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

#define RV_NS_PER_SEC 1000000000ull
#define RV_NS_PER_MS 1000000ull
#define RV_NS_PER_US 1000ull

/* System time in ns (the pvclock formula of ABI.md, with its version loop). */
uint64_t rv_time_ns(void);

/* TSC ticks to ns at the monitor's published rate (for measurements). */
uint64_t rv_tsc_to_ns(uint64_t ticks);

/* The wall clock now: ns since 1970-01-01 UTC (wc_* + system time). */
uint64_t rv_wallclock(void);

/* set_timer_op: RV_VIRQ_TIMER when system time reaches deadline; 0 disarms. */
long rv_timer_set(uint64_t deadline_ns);

/*
 * Binds RV_VIRQ_TIMER (once) to libpvguest's handler, which counts into
 * rv_timer_fired and then calls fn(port, frame, arg) if fn is not NULL.
 * Returns the port or -RV_E*.  Needs rv_events_init() first.
 */
long rv_timer_bind(rv_evtchn_handler fn, void *arg);
extern volatile uint32_t rv_timer_fired;

/* sched_op(RV_SCHED_BLOCK): turns the virtual IF on and sleeps until an
 * event is pending (at once if one is); its handler has run on return. */
long rv_block(void);

/*
 * Sleep until system time reaches deadline (or for ns): arms the timer
 * (replacing any deadline set before) and blocks until it has passed;
 * other events are handled meanwhile.  The virtual IF is as before on
 * return.  Binds the timer with rv_timer_bind(NULL, NULL) if nobody has.
 */
void rv_sleep_until(uint64_t deadline_ns);
void rv_sleep_ns(uint64_t ns);

#endif
