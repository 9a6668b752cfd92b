/* SPDX-License-Identifier: MIT */
/*
 * pv-abi/memory.h: direct paging (everything here since 1.1).
 *
 * A guest's page tables are real PAE page tables in frames it owns.  It
 * reads them (mapped read-only) but changes them only through mmu_update,
 * update_va_mapping and mmuext_op, which the monitor validates.  Machine
 * frame numbers are the guest's own: frame k of the domain is
 * start_info.first_mfn + k (its memory is contiguous).  Page-table entries
 * hold machine addresses.
 *
 * Frame types (as in Xen): a frame is at any time at most one of "mapped
 * writable", "L1 table", "L2 table", "top L2 table" (the L2 of the top GiB,
 * which holds the monitor's hole entries) or "L3 table".  A frame in use as
 * a page table can only be mapped read-only; a frame mapped writable cannot
 * become a page table.
 */
#ifndef RV_MEMORY_H
#define RV_MEMORY_H

#include <stdint.h>

/* mmu_update(reqs, count, done): each request writes one page-table entry. */
struct rv_mmu_update {
    uint64_t ptr;  /* machine address of the entry (8-byte aligned) | RV_MMU_* command */
    uint64_t val;  /* the new entry */
};
#define RV_MMU_NORMAL_PT_UPDATE 0 /* low 2 bits of ptr */
#define RV_MMU_UPDATE_MAX 4096    /* requests per call (-RV_E2BIG above) */

/* Entry bits a guest may set (PAE, SDM Vol. 3A 4.4.2). */
#define RV_PTE_P 0x001ull
#define RV_PTE_RW 0x002ull
#define RV_PTE_US 0x004ull
#define RV_PTE_PWT 0x008ull
#define RV_PTE_PCD 0x010ull
#define RV_PTE_A 0x020ull
#define RV_PTE_D 0x040ull
#define RV_PTE_AVAIL 0xe00ull  /* bits 9-11: free for the guest */
#define RV_PTE_ADDR 0x0000000ffffff000ull /* frame address (36-bit physical) */
/* Allowed bits per level; any other bit set in a present entry is -RV_EINVAL. */
#define RV_L1_ALLOWED (RV_PTE_ADDR | RV_PTE_AVAIL | 0x7f) /* no PAT, no G, no NX */
#define RV_L2_ALLOWED (RV_PTE_ADDR | RV_PTE_AVAIL | 0x7f) /* no PS (2 MiB pages); D is ignored */
#define RV_L3_ALLOWED (RV_PTE_ADDR | RV_PTE_AVAIL | 0x19) /* P, PWT, PCD only */

/* The L2 slots of the top GiB that belong to the monitor (0xFC000000 up). */
#define RV_L2_HOLE_FIRST 480

/* update_va_mapping(va, val_lo, val_hi, flags) */
#define RV_UVMF_NONE 0        /* no flush */
#define RV_UVMF_INVLPG 1      /* invalidate va */
#define RV_UVMF_TLB_FLUSH 2   /* flush the whole TLB */

/* mmuext_op(ops, count, done) */
struct rv_mmuext_op {
    uint32_t cmd;  /* RV_MMUEXT_* */
    uint32_t arg;  /* machine frame number, or a linear address */
};
#define RV_MMUEXT_PIN_L1_TABLE 0  /* arg = mfn: validate as L1 and hold it */
#define RV_MMUEXT_PIN_L2_TABLE 1
#define RV_MMUEXT_PIN_L3_TABLE 2
#define RV_MMUEXT_UNPIN_TABLE 3   /* arg = mfn */
#define RV_MMUEXT_NEW_BASEPTR 4   /* arg = mfn of an L3: load it (CR3) */
#define RV_MMUEXT_TLB_FLUSH 5     /* arg ignored */
#define RV_MMUEXT_INVLPG 6        /* arg = linear address */
#define RV_MMUEXT_MAX 4096

/* memory_op(cmd, arg) */
#define RV_MEMOP_STATS 0          /* arg = struct rv_mem_stats * */
struct rv_mem_stats {
    uint32_t nr_pages;        /* frames the domain owns */
    uint32_t pt_frames;       /* of them, in use as page tables */
    uint32_t pinned;          /* page tables pinned */
    uint32_t writable;        /* frames mapped writable at least once */
    uint32_t base_mfn;        /* the current L3 */
};

#endif
