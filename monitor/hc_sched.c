/*
 * monitor/hc_sched.c: sched_op: giving up the CPU, sleeping until an
 * event, and ending the domain.  A guest never executes HLT to idle
 * (it would trap): it blocks, or polls a few ports with a timeout.
 */
#include "abi.h"
#include "domain.h"
#include "hypercall_table.h"
#include "time.h"
#include "uaccess.h"

static int32_t poll(struct domain *d, uint32_t arg)
{
    struct rv_sched_poll p;
    uint32_t ports[RV_POLL_MAX];
    if (copy_from_guest(&p, arg, sizeof(p)))
        return -RV_EFAULT;
    if (p.nr_ports == 0)
        return -RV_EINVAL;
    if (p.nr_ports > RV_POLL_MAX)
        return -RV_E2BIG;
    if (copy_from_guest(ports, p.ports, p.nr_ports * sizeof(ports[0])))
        return -RV_EFAULT;
    for (uint32_t i = 0; i < p.nr_ports; i++)
        if (ports[i] == 0 || ports[i] >= RV_NR_EVTCHN)
            return -RV_EINVAL;
    return sched_poll(d, ports, p.nr_ports, p.timeout);
}

/* set_timer_op(deadline_lo, deadline_hi): one-shot, RV_VIRQ_TIMER when due. */
int32_t hc_set_timer_op(struct domain *d, const uint32_t a[5])
{
    d->timer_deadline = ((uint64_t)a[1] << 32) | a[0];
    if (d->timer_deadline && d->timer_deadline <= now_ns()) {
        d->timer_deadline = 0;
        evtchn_send_virq(d, RV_VIRQ_TIMER);
    }
    timer_reprogram();
    return 0;
}

int32_t hc_sched_op(struct domain *d, const uint32_t a[5])
{
    switch (a[0]) {
    case RV_SCHED_YIELD:
        sched_yield();
        return 0;
    case RV_SCHED_BLOCK:
        sched_block();
        return 0;
    case RV_SCHED_SHUTDOWN:
        if (a[1] > RV_SHUTDOWN_CRASH)
            return -RV_EINVAL;
        domain_exit(d, (int)a[1], (int)a[2]);
        sched_leave_dead();
    case RV_SCHED_POLL:
        return poll(d, a[1]);
    default:
        return -RV_ENOSYS;
    }
}
