/*
 * monitor/hc_sched.c: sched_op: giving up the CPU, sleeping until an
 * event, and ending the domain.  A guest never executes HLT to idle
 * (it would trap): it blocks.
 */
#include "abi.h"
#include "domain.h"
#include "hypercall_table.h"

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
    default:
        return -RV_ENOSYS;
    }
}
