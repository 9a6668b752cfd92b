/*
 * monitor/uaccess.c: copying to and from the running guest.  Guest memory
 * is reached through the guest's own page tables (its CR3 is loaded while
 * it is in the monitor), so the monitor sees exactly what the guest may
 * see; CR0.WP makes read-only guest pages read-only for ring 0 too (SDM
 * Vol. 3A 4.6.1), so a guest cannot ask the monitor to write its page
 * tables for it.
 */
#include "uaccess.h"
#include "abi.h"
#include "trap.h"

int guest_range_ok(uint32_t va, uint32_t len)
{
    return va < RV_HOLE_START && len <= RV_HOLE_START - va;
}

int copy_from_guest(void *dst, uint32_t va, uint32_t len)
{
    if (!guest_range_ok(va, len))
        return -RV_EFAULT;
    return guest_copy_raw(dst, (const void *)va, len);
}

int copy_to_guest(uint32_t va, const void *src, uint32_t len)
{
    if (!guest_range_ok(va, len))
        return -RV_EFAULT;
    return guest_copy_raw((void *)va, src, len);
}
