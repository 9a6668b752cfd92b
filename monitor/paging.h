/*
 * monitor/paging.h: PAE page tables (SDM Vol. 3A 4.4): the monitor's own
 * mappings in the hole and a window through which it reaches any frame.
 */
#ifndef MON_PAGING_H
#define MON_PAGING_H

#include <stdint.h>

typedef uint64_t pte_t;

#define PG_P 0x001ull
#define PG_RW 0x002ull
#define PG_US 0x004ull
#define PG_PWT 0x008ull
#define PG_PCD 0x010ull
#define PG_A 0x020ull
#define PG_D 0x040ull
#define PG_PS 0x080ull
#define PG_G 0x100ull
#define PG_NX (1ull << 63)
#define PTE_ADDR(e) ((uint32_t)((e) & 0x000ffffffffff000ull))

extern pte_t boot_pdpt[512];   /* the monitor's own L3, used when no guest runs */
extern pte_t mon_l2_top[512];  /* L2 of the top GiB: slots MON_L2_FIRST.. are the hole */
extern uint32_t idle_cr3;

void paging_init(void);
/* Maps one frame at a free slot; unmap_frame releases it (any order). */
void *map_frame(uint32_t mfn);
void unmap_frame(void *va);
/* Maps n contiguous frames (module images); all released by unmap_frames(). */
void *map_frames(uint32_t mfn, uint32_t n);
void unmap_frames(void);
/* Maps a device page at fixmap slot `slot` (FIXMAP_*). */
void *fixmap(unsigned slot, uint32_t pa);
#define FIXMAP_LAPIC 0
#define FIXMAP_NIC 1      /* slots 1 .. the NIC's MMIO pages (drivers/e1000.c) */
#define FIXMAP_IOAPIC 511 /* the I/O APIC's registers (irq.c) */
/* Zeroes frame mfn through the window. */
void zero_frame(uint32_t mfn);
/* Maps a run of frames from mfn (up to n, at most MON_RUN_PAGES) at the run
 * window, or finds mfn already there; returns its address and sets *mapped
 * to the frames mapped from mfn on.  Valid until the next call. */
void *map_run(uint32_t mfn, uint32_t n, uint32_t *mapped);
/* Maps frames mfns[0..n) (n <= MON_RUN_PAGES) at the run window, in order. */
void *map_list(const uint32_t *mfns, uint32_t n);
/* Zeroes n whole pages from va (page-aligned). */
void zero_pages(void *va, uint32_t n);

#endif
