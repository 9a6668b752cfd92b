/* SPDX-License-Identifier: MIT */
/*
 * pvguest/events.h: event channels, the guest's interrupts.
 *
 * A port (1 .. RV_NR_EVTCHN-1) is bound to a virtual IRQ (the one-shot
 * timer, console input) or to a port of another domain (pv-abi/event.h).
 * When one of our ports becomes pending and is not masked, the monitor
 * enters rv_evtchn_callback (evtentry.asm) with an exception-like frame
 * and events masked; rv_evtchn_do_upcall() (events.c) then runs the
 * handler of each pending unmasked port, exactly in the order ABI.md
 * ("Events and time") prescribes.  Handlers run with events masked, on
 * the interrupted ring-1 stack (or the stack_switch stack if ring 3 was
 * interrupted), and may send events but should not block.
 *
 * The virtual IF itself (rv_events_enable/disable) is pvguest/irq.h.
 */
#ifndef PVGUEST_EVENTS_H
#define PVGUEST_EVENTS_H

#include <stdint.h>
#include <ringvisor.h>
#include "guest.h"
#include "traps.h"

/* f: the interrupted context (a struct rv_trap_frame; vector RV_EVTCHN_VECTOR). */
typedef void (*rv_evtchn_handler)(uint32_t port, struct rv_trap_frame *f, void *arg);

/* The vector field of an event callback's frame: no real vector has it. */
#define RV_EVTCHN_VECTOR 0x100u

/*
 * Installs the event callback (set_callbacks) and masks every port, so
 * only ports given a handler (below) reach it.  Returns the hypercall's
 * result.  Events stay masked (the virtual IF) until the guest enables
 * them.
 */
long rv_events_init(void);

/* Each returns the new local port (> 0), or -RV_E*.  The port is unmasked
 * once its handler is in place; an event already pending is delivered. */
long rv_evtchn_bind_virq(uint32_t virq, rv_evtchn_handler fn, void *arg);
long rv_evtchn_alloc_unbound(uint32_t remote_dom);           /* stays masked, no handler */
long rv_evtchn_bind_interdomain(uint32_t remote_dom, uint32_t remote_port,
                                rv_evtchn_handler fn, void *arg);

/* Gives an open port (e.g. one from alloc_unbound) a handler and unmasks it;
 * fn = NULL masks it and drops the handler.  -RV_EINVAL for a bad port. */
long rv_evtchn_set_handler(uint32_t port, rv_evtchn_handler fn, void *arg);

long rv_evtchn_send(uint32_t port);
long rv_evtchn_close(uint32_t port);       /* also masks it and drops the handler */
long rv_evtchn_status(uint32_t port, struct rv_evtchn_status *st);

/* Mask bits: a masked port still becomes pending but raises no upcall. */
void rv_evtchn_mask(uint32_t port);
void rv_evtchn_unmask(uint32_t port);      /* delivers it if it is pending */
int rv_evtchn_is_pending(uint32_t port);
int rv_events_ready(void);  /* rv_events_init() has installed the event callback */
int rv_evtchn_is_masked(uint32_t port);
int rv_evtchn_test_and_clear(uint32_t port); /* 1 if it was pending */

/* How many times the callback was entered, and handlers run (all ports). */
extern volatile uint32_t rv_evtchn_upcalls, rv_evtchn_handled;

/* The entry point given to set_callbacks (evtentry.asm). */
void rv_evtchn_callback(void);

/* The C half of the callback (evtentry.asm calls it with the frame). */
void rv_evtchn_do_upcall(struct rv_trap_frame *f);

/* Atomic bit operations on the shared bitmaps (the monitor may run between
 * any two of our instructions, so read-modify-write needs LOCK). */
static inline int rv_test_and_clear_bit(volatile uint32_t *map, uint32_t bit)
{
    unsigned char old;
    __asm__ volatile("lock btrl %2, %1\n\tsetc %0"
                     : "=q"(old), "+m"(map[bit / 32])
                     : "Ir"(bit % 32)
                     : "memory", "cc");
    return old;
}

static inline int rv_test_and_set_bit(volatile uint32_t *map, uint32_t bit)
{
    unsigned char old;
    __asm__ volatile("lock btsl %2, %1\n\tsetc %0"
                     : "=q"(old), "+m"(map[bit / 32])
                     : "Ir"(bit % 32)
                     : "memory", "cc");
    return old;
}

static inline uint32_t rv_xchg32(volatile uint32_t *p, uint32_t v)
{
    __asm__ volatile("xchgl %0, %1" : "+r"(v), "+m"(*p) : : "memory");
    return v;
}

#endif
