/* SPDX-License-Identifier: MIT */
/*
 * libpvguest/irq.c: the one part of the virtual IF (pvguest/irq.h) that
 * needs the monitor.
 */
#include <pvguest.h>

/*
 * An event arrived while events were masked.  TODO(issue 4, events): ask
 * the monitor to deliver it with a dedicated cheap hypercall; for now any
 * hypercall returns through the monitor's delivery check, and yield is
 * the cheapest one with no other effect.
 */
void rv_events_force_delivery(void)
{
    rv_hc_sched_op(RV_SCHED_YIELD, 0, 0);
}
