/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/mm/mmtest.h: what the direct-paging tests share.
 *
 * The tests call hypercalls 11-14 through the generic rv_hypercall() path
 * (no typed wrappers: the library's own are being written) and need a few
 * facts about their address space:
 *   - frame k of the domain is mfn first_mfn + k, mapped at virt_base +
 *     k * 4096 (start_info), so an own frame's VA and mfn convert both ways;
 *   - the page tables are readable (mapped read-only), so the machine
 *     address of the L1 entry behind any VA is found by walking them from
 *     the current base (memory_op STATS gives its mfn);
 *   - free frames start at free_start: mt_alloc() hands them out zeroed
 *     and mapped writable, and runs dry with an error;
 *   - the L1 that maps shared_info has unused entries after it: "scratch"
 *     VAs where a test can map what it likes (mt_scratch).
 * Every helper that sets something up checks its own result and calls
 * rvt_error when that fails, so a verdict is never built on a guess.
 */
#ifndef MMTEST_H
#define MMTEST_H

#include "rvtest.h"

typedef uint64_t mt_pte_t;

/* Leaf entries as the start of day builds them (SDM Vol. 3A 4.4.2, table 4-19). */
#define MT_RO (RV_PTE_P | RV_PTE_US | RV_PTE_A | RV_PTE_D)
#define MT_RW (MT_RO | RV_PTE_RW)
/* Table entries (L2 -> L1, L3 slot): */
#define MT_L2E (RV_PTE_P | RV_PTE_RW | RV_PTE_US | RV_PTE_A)
#define MT_L3E RV_PTE_P

#define MT_PTE_G 0x100ull      /* global: not allowed */
#define MT_PTE_PAT 0x080ull    /* L1 PAT / L2 PS: not allowed */
#define MT_PTE_NX (1ull << 63) /* execute-disable: not allowed */

/* A frame the monitor's own image occupies (it is loaded at 1 MiB). */
#define MT_MONITOR_MFN 0x100u
/* A VA whose L2 slot is empty at the start of day (GiB 0, slot 256). */
#define MT_FREE_L2_VA 0x20000000u
/* A VA in a GiB with no L2 at the start of day (GiB 1). */
#define MT_NO_L2_VA 0x40000000u

static inline mt_pte_t mt_pte(uint32_t mfn, uint64_t flags)
{
    return ((uint64_t)mfn << 12) | flags;
}

static inline uint32_t mt_pte_mfn(mt_pte_t e)
{
    return (uint32_t)((e & RV_PTE_ADDR) >> 12);
}

/* Machine address of slot `slot` of table frame `mfn` (an mmu_update ptr). */
static inline uint64_t mt_slot(uint32_t mfn, unsigned slot)
{
    return ((uint64_t)mfn << 12) | (slot * 8u);
}

static inline uint64_t mt_rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* 64-bit equality: entries do not fit the framework's long comparisons. */
#define MT_EXPECT_EQ64(actual, expected, what)                                       \
    do {                                                                             \
        uint64_t a64_ = (actual), e64_ = (expected);                                 \
        if (a64_ != e64_)                                                            \
            rvt_failure("%s: got 0x%llx, expected 0x%llx at %s:%d", (what),         \
                        (unsigned long long)a64_, (unsigned long long)e64_,          \
                        __FILE__, __LINE__);                                         \
    } while (0)

/* ---- the hypercalls (generic path) --------------------------------------- */

long mt_mmu(const struct rv_mmu_update *reqs, uint32_t count, uint32_t *done);
long mt_mmu1(uint64_t ptr, uint64_t val);
long mt_ext(const struct rv_mmuext_op *ops, uint32_t count, uint32_t *done);
long mt_ext1(uint32_t cmd, uint32_t arg);
long mt_uvm(uint32_t va, mt_pte_t val, uint32_t flags);
long mt_memop(uint32_t cmd, void *arg);

/* memory_op STATS, rvt_error if it fails. */
struct rv_mem_stats mt_stats(void);

/* ---- the domain's frames ------------------------------------------------- */

uint32_t mt_first_mfn(void);
uint32_t mt_nr_pages(void);
int mt_owns(uint32_t mfn);
/* The mfn of an own start-of-day VA (rvt_error if va is not one). */
uint32_t mt_mfn_of(uint32_t va);
/* The start-of-day VA of an own frame (rvt_error if it has none). */
uint32_t mt_va_of(uint32_t mfn);
/* The shared_info frame (read from the L1 entry that maps it). */
uint32_t mt_shared_mfn(void);
/* The frames of the start-of-day tables. */
uint32_t mt_l3_mfn(void);     /* the start-of-day L3 (pt_base) */
uint32_t mt_base_mfn(void);   /* the current base, from memory_op */
uint32_t mt_l2_mfn(unsigned gib); /* current base's L2 for a GiB, 0 if none */

/* Reads slot `slot` of an own table frame through its read-only mapping. */
mt_pte_t mt_read_slot(uint32_t mfn, unsigned slot);

/* Machine address of the L1 entry that maps va in the current tables, 0 if
 * no L2 or L1 is present for it. */
uint64_t mt_l1e(uint32_t va);
/* The L1 entry that maps va (0 when there is none). */
mt_pte_t mt_get_pte(uint32_t va);

/* A free frame, zeroed, mapped writable at its start-of-day VA: returns the VA. */
uint32_t mt_alloc(void);
/* Frames mt_alloc can still hand out. */
uint32_t mt_frames_left(void);

/* Remaps an own start-of-day VA read-only / writable (INVLPG); rvt_error on failure. */
void mt_make_ro(uint32_t va);
void mt_make_rw(uint32_t va);
/* A fresh zeroed frame, already read-only: ready to become a table. */
uint32_t mt_alloc_ro(void);

/* Scratch VA number i (0 ..): no mapping yet, but an L1 present for it. */
uint32_t mt_scratch(unsigned i);
/* Points scratch-like va at mfn with flags via update_va_mapping (rvt_error on failure). */
void mt_map(uint32_t va, uint32_t mfn, uint64_t flags);
void mt_unmap(uint32_t va);

/* TLB: mmuext_op TLB_FLUSH and INVLPG (rvt_error on failure). */
void mt_flush(void);
void mt_invlpg(uint32_t va);

/* Pin / unpin (rvt_error on failure). */
void mt_pin(uint32_t cmd, uint32_t mfn);
void mt_unpin(uint32_t mfn);

/* ---- probes (an expected #PF decides) ------------------------------------ */

int mt_readable(uint32_t va);
int mt_writable(uint32_t va);   /* writes back the byte already there */

/* A 32-bit word at va, read (the caller has checked it is mapped). */
static inline uint32_t mt_peek(uint32_t va)
{
    return *(volatile uint32_t *)va;
}

static inline void mt_poke(uint32_t va, uint32_t v)
{
    *(volatile uint32_t *)va = v;
}

/* Call once at the start: checks the layout assumptions above. */
void mt_init(void);

#endif
