/* SPDX-License-Identifier: MIT */
/*
 * pvguest/irq.h: the virtual interrupt flag.
 *
 * Ring 1 cannot use CLI/STI (they trap) and POPF silently leaves IF alone
 * (SDM Vol. 2B, POPF), so "interrupts" are events and their flag is the
 * byte vcpu_info[0].evtchn_upcall_mask in the shared page (1 = masked).
 * Plain writes, no hypercall, except to flush an event that arrived while
 * masked.
 */
#ifndef PVGUEST_IRQ_H
#define PVGUEST_IRQ_H

#include <ringvisor.h>
#include "guest.h"

#define rv_barrier() __asm__ volatile("" : : : "memory")

static inline volatile struct rv_vcpu_info *rv_vcpu(void)
{
    return &rv_shared_info->vcpu_info[0];
}

static inline void rv_events_disable(void)
{
    rv_vcpu()->evtchn_upcall_mask = 1;
    rv_barrier();
}

void rv_events_force_delivery(void);

static inline void rv_events_enable(void)
{
    rv_barrier();
    rv_vcpu()->evtchn_upcall_mask = 0;
    rv_barrier();
    if (rv_vcpu()->evtchn_upcall_pending)
        rv_events_force_delivery();
}

static inline int rv_events_enabled(void)
{
    return !rv_vcpu()->evtchn_upcall_mask;
}

/* Like local_irq_save: returns the mask (1 = was disabled) and disables. */
static inline unsigned rv_events_save(void)
{
    unsigned mask = rv_vcpu()->evtchn_upcall_mask;
    rv_events_disable();
    return mask;
}

/* Puts back what rv_events_save() returned. */
static inline void rv_events_restore(unsigned mask)
{
    if (mask)
        rv_events_disable();
    else
        rv_events_enable();
}

#endif
