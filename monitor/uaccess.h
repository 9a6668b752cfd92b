/*
 * monitor/uaccess.h: the one checked path for guest pointers (xv6's
 * argptr/copyin idea).  A guest pointer is a linear address in the running
 * domain's address space; it must lie wholly below RV_HOLE_START, and the
 * copy itself may still fault on a missing or read-only page, which turns
 * into -RV_EFAULT instead of a monitor fault (entry.asm guest_copy_raw).
 */
#ifndef MON_UACCESS_H
#define MON_UACCESS_H
#include <stdint.h>
int guest_range_ok(uint32_t va, uint32_t len);
int copy_from_guest(void *dst, uint32_t va, uint32_t len);      /* 0 or -RV_EFAULT */
int copy_to_guest(uint32_t va, const void *src, uint32_t len);  /* 0 or -RV_EFAULT */
int guest_writable(uint32_t va, uint32_t len);                  /* every page of it, 1 or 0 */
int guest_readable(uint32_t va, uint32_t len);                  /* every page of it, 1 or 0 */
#endif
