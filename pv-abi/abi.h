/* SPDX-License-Identifier: MIT */
/*
 * pv-abi/abi.h: the ringvisor ABI version, the address-space layout every
 * guest shares with the monitor, the monitor's flat selectors and the
 * closed set of error codes hypercalls return.
 *
 * This header is the contract.  It holds no monitor internals: any guest
 * OS may include it (freestanding C, gcc -m32).  ABI.md explains it.
 */
#ifndef RV_ABI_H
#define RV_ABI_H

#define RV_ABI_MAJOR 1
#define RV_ABI_MINOR 6
#define RV_ABI_VERSION ((RV_ABI_MAJOR << 16) | RV_ABI_MINOR)
#define RV_ABI_VERSION_MAJOR(v) ((unsigned)(v) >> 16)
#define RV_ABI_VERSION_MINOR(v) ((unsigned)(v) & 0xffffu)

/*
 * The monitor hole.  The top 64 MiB of every address space belong to the
 * monitor.  No segment a guest can load reaches RV_HOLE_START (expand-up:
 * base + limit at most RV_HOLE_START - 1; expand-down: every valid offset
 * wraps below it), so ring 1 cannot reach the hole even though paging
 * treats ring 1 as a supervisor (SDM Vol. 3A 5.3, 4.6).
 */
#define RV_HOLE_START 0xFC000000u
#define RV_GUEST_VA_LIMIT (RV_HOLE_START - 1u) /* highest byte a guest may use */

#define RV_PAGE_SHIFT 12
#define RV_PAGE_SIZE 4096u

/*
 * The GDT.  Entries 0 .. RV_GDT_GUEST_ENTRIES-1 belong to the guest (entry 0
 * is the null descriptor); it fills them through set_gdt and
 * update_descriptor.  The monitor's entries follow.  Four of them are flat
 * segments the guest may use at once (base 0, limit RV_GUEST_VA_LIMIT):
 */
#define RV_GDT_GUEST_ENTRIES 256
#define RV_FLAT_RING1_CS 0x0819 /* entry 259, DPL 1, execute/read */
#define RV_FLAT_RING1_DS 0x0821 /* entry 260, DPL 1, read/write */
#define RV_FLAT_RING3_CS 0x082b /* entry 261, DPL 3, execute/read */
#define RV_FLAT_RING3_DS 0x0833 /* entry 262, DPL 3, read/write */

/* Hypercall vector: an interrupt gate with DPL 1 (ring 3 gets #GP). */
#define RV_HYPERCALL_VECTOR 0x82
/* The hypercall page: RV_HYPERCALL_STUB_SIZE bytes per hypercall number. */
#define RV_HYPERCALL_STUB_SIZE 32

/*
 * Error codes.  Hypercalls return a non-negative value on success and the
 * negation of one of these on failure (Linux errno numbering).
 */
#define RV_EPERM 1   /* operation not permitted to this domain */
#define RV_ENOENT 2  /* no such object */
#define RV_ESRCH 3   /* no such domain */
#define RV_E2BIG 7   /* count or size too large */
#define RV_EAGAIN 11 /* try again */
#define RV_ENOMEM 12 /* out of memory */
#define RV_EFAULT 14 /* a guest pointer is outside the guest or unmapped */
#define RV_EBUSY 16  /* object in use */
#define RV_EEXIST 17 /* object exists */
#define RV_EINVAL 22 /* invalid argument */
#define RV_ENOSPC 28 /* no space */
#define RV_ERANGE 34 /* value out of range */
#define RV_ENOSYS 38 /* unknown hypercall or sub-operation */
#define RV_ETIMEDOUT 110 /* a wait ran out of time */

#endif
