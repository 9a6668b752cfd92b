/* SPDX-License-Identifier: MIT */
/*
 * libpvguest/irq.c: the one part of the virtual IF (pvguest/irq.h) that
 * needs the monitor.
 */
#include <pvguest.h>

/*
 * An event arrived while events were masked (evtchn_upcall_pending is
 * set) and rv_events_enable() has just cleared the mask.  The monitor
 * checks for deliverable events on every return to a guest, so any
 * hypercall delivers it; version(RV_VERSION_ABI) is the cheapest, with no
 * other effect (ABI.md "Events and time": turning the virtual IF on).
 */
void rv_events_force_delivery(void)
{
    rv_hc_version(RV_VERSION_ABI, 0);
}
