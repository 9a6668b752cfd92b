/*
 * monitor/mm.h: the frame table and direct-paging validation (Xen's
 * type/reference counting, single CPU).
 */
#ifndef MON_MM_H
#define MON_MM_H

#include <stdint.h>

struct domain;

enum pgt { PGT_NONE, PGT_WRITABLE, PGT_L1, PGT_L2, PGT_L2_TOP, PGT_L3 };

struct frame_info {
    uint16_t owner;      /* domain id, 0 = nobody's (the monitor's or free) */
    uint8_t type;        /* enum pgt: meaningful while type_count > 0 */
    uint8_t flags;       /* FI_* */
    uint32_t type_count; /* references that need the type: mappings, pins, base */
    uint32_t ref_count;  /* every reference: typed ones and read-only mappings */
    uint32_t present;    /* while a table: bit g set if slots 16g..16g+15 may hold a
                          * present entry (never clear when one does: mm.c) */
};
#define FI_PINNED 1
#define FI_VALIDATING 2

void mm_init(uint32_t max_mfn);
struct frame_info *frame_info(uint32_t mfn);
void mm_assign(struct domain *d, uint32_t mfn, uint32_t n);
void mm_assign_shared(struct domain *d, uint32_t mfn);
void mm_release(uint32_t mfn, uint32_t n);
/* Makes root (an L3 the domain builder wrote) d's pinned, current base. */
int mm_install_base(struct domain *d, uint32_t root_mfn);
/* Counts for the console and memory_op. */
void mm_count(struct domain *d, uint32_t *pt, uint32_t *pinned, uint32_t *writable);

int mm_update_entry(struct domain *d, uint64_t ptr, uint64_t val);
int mm_update_va(struct domain *d, uint32_t va, uint64_t val);
void mm_update_done(void);   /* after mm_update_entry calls: releases its mapping */
int mm_pin(struct domain *d, uint32_t mfn, enum pgt type);
int mm_unpin(struct domain *d, uint32_t mfn);
int mm_new_base(struct domain *d, uint32_t mfn);
void mm_flush_tlb(void);

#endif
