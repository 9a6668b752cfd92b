/* SPDX-License-Identifier: MIT */
/*
 * pv-abi/event.h: events, time and timers (everything here since 1.2,
 * except RV_EVTCHNSTAT_DEVICE, since 1.3).
 *
 * Defaults: the monitor never sets a mask bit (evtchn_mask is the guest's;
 * all clear at start of day), so a newly bound port is unmasked unless the
 * guest masked it before.  A virtual IRQ raised while it is bound to no
 * port is dropped: a timer that fires while RV_VIRQ_TIMER is unbound is
 * lost.
 *
 * An event channel is a port (1 .. RV_NR_EVTCHN-1; port 0 is never used)
 * with a pending bit and a mask bit in shared_info.  A port is bound to a
 * virtual IRQ of the monitor (timer, console input) or to a port of
 * another domain.  When a port's pending bit goes from 0 to 1 and its mask
 * bit is clear, the monitor sets the port's word in
 * vcpu_info.evtchn_pending_sel and vcpu_info.evtchn_upcall_pending, and if
 * the virtual IF is on (evtchn_upcall_mask == 0) it enters the guest's
 * event callback (set_callbacks) with events masked, on the guest's ring-1
 * stack, with the frame of an exception without error code.  The callback
 * clears evtchn_upcall_pending, then takes and clears
 * evtchn_pending_sel with an atomic exchange, then for each set bit the
 * unmasked pending ports of that word, clearing each pending bit before
 * handling it; it returns with the iret hypercall (which restores the
 * virtual IF from the frame).
 *
 * Turning the virtual IF on without losing an event (the irq-enable path):
 *     vcpu_info.evtchn_upcall_mask = 0;     (compiler barrier)
 *     if (vcpu_info.evtchn_upcall_pending)
 *         rv_hc_version(RV_VERSION_ABI, 0); (any hypercall delivers it)
 * An event that arrives before the write is delivered by the hypercall; one
 * that arrives after it is delivered at once, because the monitor checks
 * on every return to the guest.
 */
#ifndef RV_EVENT_H
#define RV_EVENT_H

#include <stdint.h>

/* event_channel_op(cmd, arg) */
#define RV_EVTCHNOP_BIND_VIRQ 0        /* arg = struct rv_evtchn_bind_virq * */
#define RV_EVTCHNOP_ALLOC_UNBOUND 1    /* arg = struct rv_evtchn_alloc_unbound * */
#define RV_EVTCHNOP_BIND_INTERDOMAIN 2 /* arg = struct rv_evtchn_bind_interdomain * */
#define RV_EVTCHNOP_SEND 3             /* arg = port */
#define RV_EVTCHNOP_CLOSE 4            /* arg = port */
#define RV_EVTCHNOP_STATUS 5           /* arg = struct rv_evtchn_status * */
#define RV_EVTCHNOP_UNMASK 6           /* arg = port: clear its mask, deliver if pending */

/* Virtual IRQs */
#define RV_VIRQ_TIMER 0    /* the one-shot timer of set_timer_op fired */
#define RV_VIRQ_CONSOLE 1  /* serial input arrived for this domain (console_io read) */
#define RV_VIRQ_DOM_STATE 2 /* a domain was created, paused, unpaused or ended (control domains, ABI 1.6) */
#define RV_NR_VIRQS 3

struct rv_evtchn_bind_virq {
    uint32_t virq;        /* in: RV_VIRQ_* */
    uint32_t port;        /* out */
};

struct rv_evtchn_alloc_unbound {
    uint32_t remote_dom;  /* in: the domain allowed to bind to it */
    uint32_t port;        /* out */
};

struct rv_evtchn_bind_interdomain {
    uint32_t remote_dom;  /* in */
    uint32_t remote_port; /* in: an unbound port of remote_dom offered to us */
    uint32_t local_port;  /* out */
};

#define RV_EVTCHNSTAT_CLOSED 0
#define RV_EVTCHNSTAT_UNBOUND 1
#define RV_EVTCHNSTAT_INTERDOMAIN 2
#define RV_EVTCHNSTAT_VIRQ 3
#define RV_EVTCHNSTAT_DEVICE 4  /* bound by the monitor to a virtio device (remote_port = device) */

struct rv_evtchn_status {
    uint32_t port;        /* in */
    uint32_t status;      /* out: RV_EVTCHNSTAT_* */
    uint32_t remote_dom;  /* out: unbound / interdomain */
    uint32_t remote_port; /* out: interdomain; for a VIRQ the virq number */
};

/* set_callbacks(cs, address): the event callback (a ring-1 code selector and
 * an address; address 0 = none, events then stay pending). */

/*
 * set_timer_op(deadline_lo, deadline_hi): one-shot timer.  When system time
 * (ns, vcpu_info.time) reaches the deadline the monitor raises RV_VIRQ_TIMER.
 * A deadline in the past fires at once; 0 cancels.
 */

/* sched_op(RV_SCHED_POLL, arg) */
struct rv_sched_poll {
    uint32_t ports;       /* VA of an array of uint32_t ports */
    uint32_t nr_ports;    /* at most RV_POLL_MAX */
    uint64_t timeout;     /* system time (ns) to give up at; 0 = never */
};
#define RV_POLL_MAX 128

#endif
