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

/*
 * Whether every page of [va, va + len) may be written by the guest: each
 * page's first byte in the range is read and written back.  For a call
 * that may end up writing nothing (a console read with no input waiting)
 * but must still refuse a bad buffer.  Safe on one CPU: the guest is not
 * running while the monitor is.
 */
int guest_writable(uint32_t va, uint32_t len)
{
    if (!guest_range_ok(va, len))
        return 0;
    for (uint32_t p = va; len && p - va < len; p = (p & ~4095u) + 4096) {
        uint8_t b;
        if (guest_copy_raw(&b, (const void *)p, 1) || guest_copy_raw((void *)p, &b, 1))
            return 0;
    }
    return 1;
}

/*
 * Whether every page of [va, va + len) can be read now (one byte of each
 * is).  domctl CREATE reads a control domain's image in place after this
 * check: the caller cannot change its mappings while the monitor runs
 * (one CPU, and the monitor does not switch away during the read).
 */
int guest_readable(uint32_t va, uint32_t len)
{
    if (!guest_range_ok(va, len))
        return 0;
    for (uint32_t p = va; len && p - va < len; p = (p & ~4095u) + 4096) {
        uint8_t b;
        if (guest_copy_raw(&b, (const void *)p, 1))
            return 0;
    }
    return 1;
}
