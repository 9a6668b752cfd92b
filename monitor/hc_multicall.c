/*
 * monitor/hc_multicall.c: several hypercalls for the price of one trap.
 * Entries run in order; each result is written back.  iret and multicall
 * itself cannot be batched (-RV_EINVAL in that entry's result).
 */
#include "abi.h"
#include "domain.h"
#include "hypercall_table.h"
#include "uaccess.h"

int32_t hc_multicall(struct domain *d, const uint32_t a[5])
{
    uint32_t count = a[1];
    if (count > RV_MULTICALL_MAX)
        return -RV_E2BIG;
    if (!guest_range_ok(a[0], count * sizeof(struct rv_multicall_entry)))
        return -RV_EFAULT;
    for (uint32_t i = 0; i < count; i++) {
        struct rv_multicall_entry e;
        uint32_t va = a[0] + i * sizeof(e);
        if (copy_from_guest(&e, va, sizeof(e)))
            return -RV_EFAULT;
        if (e.op == RV_HC_iret || e.op == RV_HC_multicall)
            e.result = -RV_EINVAL;
        else
            e.result = hypercall_call(d, e.op, e.args);
        if (copy_to_guest(va + 4, &e.result, sizeof(e.result)))
            return -RV_EFAULT;
    }
    return 0;
}
