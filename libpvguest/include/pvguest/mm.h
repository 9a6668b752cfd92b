/* SPDX-License-Identifier: MIT */
/*
 * pvguest/mm.h: the guest's memory: frame numbers, a frame allocator,
 * batched page-table updates, and address spaces for ring-3 processes.
 *
 * Direct paging (ABI.md "Direct paging"): our page tables are real PAE
 * tables in our own frames, mapped read-only while they are tables; we
 * change them only through mmu_update / mmuext_op, which the monitor
 * validates.  Three pieces, after Xen's Mini-OS and Linux:
 *
 *   frames.c  an allocator of free frames (pfn <-> mfn <-> va: inline, below);
 *   mmu.c     a queue of page-table updates sent in as few hypercalls as
 *             possible (Linux's "lazy MMU mode"), and memory statistics;
 *   aspace.c  address spaces: a PAE tree per process that shares the
 *             kernel's mappings, supervisor-only.
 */
#ifndef PVGUEST_MM_H
#define PVGUEST_MM_H

#include <stdint.h>
#include <ringvisor.h>
#include "guest.h"

/* ---- frame numbers (frames.c) ------------------------------------------------
 *
 * pfn: the domain's own frame number, 0 .. nr_pages-1.  mfn: the machine
 * frame number, what page-table entries hold: first_mfn + pfn (a domain's
 * memory is one contiguous run).  Frame pfn is mapped at virt_base +
 * pfn * 4096 when pfn < nr_mapped (the "linear map"; with libpvguest's
 * image at 4 MiB, this is also where the image itself lives).
 */
static inline uint32_t rv_pfn_to_mfn(uint32_t pfn) { return rv_start_info->first_mfn + pfn; }
static inline uint32_t rv_mfn_to_pfn(uint32_t mfn) { return mfn - rv_start_info->first_mfn; }
static inline void *rv_pfn_to_virt(uint32_t pfn)
{
    return (void *)(rv_start_info->virt_base + (pfn << RV_PAGE_SHIFT));
}
static inline uint32_t rv_virt_to_pfn(const void *va)
{
    return ((uint32_t)va - rv_start_info->virt_base) >> RV_PAGE_SHIFT;
}
static inline void *rv_mfn_to_virt(uint32_t mfn) { return rv_pfn_to_virt(rv_mfn_to_pfn(mfn)); }
static inline uint32_t rv_virt_to_mfn(const void *va) { return rv_pfn_to_mfn(rv_virt_to_pfn(va)); }
/* The machine address of a byte in the linear map (a page-table entry, for mmu_update). */
static inline uint64_t rv_virt_to_maddr(const void *va)
{
    return ((uint64_t)rv_virt_to_mfn(va) << RV_PAGE_SHIFT) | ((uint32_t)va & (RV_PAGE_SIZE - 1));
}
/* Whether mfn is one of ours and mapped in the linear map. */
static inline int rv_mfn_mapped(uint32_t mfn)
{
    return mfn - rv_start_info->first_mfn < rv_start_info->nr_mapped &&
           mfn - rv_start_info->first_mfn < rv_start_info->nr_pages;
}

/*
 * The frame allocator owns every mapped frame from start_info.free_start
 * on (the image, start_info, the start-of-day page tables and the boot
 * stack come before it).  Its bitmap takes the first of those frames.
 * rv_frame_alloc returns the linear-map address of a zeroed frame, or NULL
 * when none is left.  A frame given back must be an ordinary writable page
 * again (not a page table, not mapped read-only in the linear map).
 */
void *rv_frame_alloc(void);
void rv_frame_free(void *page);
unsigned rv_frames_available(void);

/* ---- batched updates (mmu.c) --------------------------------------------------
 *
 * Requests are queued and sent together when rv_mmu_flush() is called or
 * a buffer fills: consecutive mmu_update requests share one mmu_update
 * call, consecutive mmuext ops one mmuext_op call, and when both kinds are
 * pending the calls go in one multicall, in the order they were queued.
 * Nothing reaches the monitor before a flush: a caller that reads a table
 * it changed, or relies on a mapping, flushes first.
 *
 * Errors are sticky: when a flush fails (its failing request is printed),
 * everything queued after that is dropped until the caller's own
 * rv_mmu_flush() returns the error, so a caller may check only the flush
 * that ends its batch.  In a multicall the later calls still run after a
 * failed one (multicall does not stop); the monitor's rules keep that
 * safe, and the error is still reported.
 */
#define RV_MMU_QUEUE_UPDATES 128 /* rv_mmu_update requests held before a flush */
#define RV_MMU_QUEUE_EXT 32      /* mmuext ops held before a flush */

long rv_mmu_queue(uint64_t ptr, uint64_t val);      /* ptr = machine address of the entry */
long rv_mmuext_queue(unsigned cmd, uint32_t arg);   /* RV_MMUEXT_* */
long rv_mmu_flush(void);                            /* 0 or the first error since the last flush */

/* Queue making the linear mapping of page (a linear-map address) read-only or writable. */
long rv_mmu_queue_readonly(const void *page);
long rv_mmu_queue_writable(const void *page);

/* memory_op(RV_MEMOP_STATS): one console line "memory (label): ...";
 * fills *st when st is not NULL.  Returns the hypercall's result. */
long rv_mem_stats_print(const char *label, struct rv_mem_stats *st);

/* ---- address spaces (aspace.c) ------------------------------------------------
 *
 * An address space is a PAE tree: an L3 (PDPT), an L2 per GiB in use and
 * the L1s below.  A new space shares the kernel's mappings: each of its
 * L2s starts as a copy of the kernel's L2 for that GiB with U/S cleared,
 * so it points at the kernel's own L1s (the image, the linear map,
 * shared_info) but only ring 1 may use them (U/S is the AND of the levels,
 * SDM Vol. 3A 4.6.1).  The top L2 (GiB 3) exists in every space; its
 * slots RV_L2_HOLE_FIRST.. are the monitor's, which fills them.
 * Consequence: kernel mappings are those of the start-of-day L2s when the
 * space is created; leaf changes in the kernel's L1s show everywhere.
 *
 * A space is built with plain writes while its tables are ordinary
 * frames (no hypercall at all); rv_as_pin makes them read-only and pins
 * the L3 (one hypercall), after which changes go through the queue.
 */
struct rv_as {
    uint32_t l3_mfn; /* the root: what NEW_BASEPTR loads */
    int pinned;      /* validated by the monitor: change it only through mmu_update */
};

/* Software bit (AVAIL bit 9) in our entries: the space owns the frame the
 * entry points at (a table it allocated, or a page mapped with this flag)
 * and frees it in rv_as_destroy. */
#define RV_PTE_OWNED 0x200ull

/* The start-of-day space (start_info.pt_base), pinned by the monitor. */
struct rv_as *rv_as_kernel(void);
/* The space loaded now (the kernel's until rv_as_activate says otherwise). */
struct rv_as *rv_as_current(void);

/* A new space sharing the kernel's mappings.  0 or -RV_ENOMEM. */
long rv_as_create(struct rv_as *as);
/*
 * Maps machine frame mfn at va (page aligned, below the hole) with flags
 * (RV_PTE_RW, RV_PTE_US, ..., RV_PTE_OWNED; P is added), allocating an L2
 * or L1 as needed.  -RV_EINVAL for a bad va or flags, -RV_EEXIST if va
 * is mapped already, -RV_EPERM for a va inside the kernel's shared
 * mappings (in a space other than the kernel's), -RV_ENOMEM.  On a pinned space the
 * entry is queued: rv_mmu_flush() (or rv_as_activate) sends it.
 */
long rv_as_map(struct rv_as *as, uint32_t va, uint32_t mfn, uint64_t flags);
/* The L1 entry for va in as (0 if no L1), and its machine address (0 if none). */
uint64_t rv_as_pte(const struct rv_as *as, uint32_t va);
uint64_t rv_as_pte_maddr(const struct rv_as *as, uint32_t va);
/* Makes the tables read-only and pins the L3 (validating the tree).  No-op when pinned. */
long rv_as_pin(struct rv_as *as);
/* Pins if needed, then loads as (NEW_BASEPTR).  Flushes the queue. */
long rv_as_activate(struct rv_as *as);
/*
 * Switches to the kernel's space if as is current, unpins, makes the
 * tables writable again and frees them with every RV_PTE_OWNED page.
 * Not the kernel's space (-RV_EINVAL).
 */
long rv_as_destroy(struct rv_as *as);

#endif
