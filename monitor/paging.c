/*
 * monitor/paging.c: the monitor's page tables.
 *
 * The hole (RV_HOLE_START and up) is the same in every address space: its
 * L2 slots in the top GiB point at the monitor's own 2 MiB direct-map pages
 * and window L1 tables, and every guest's top L2 carries copies of them
 * (domain_build.c).  They are marked global (CR4.PGE, SDM Vol. 3A 4.10.2.4)
 * so switching CR3 between guests does not flush them.  They are
 * supervisor pages, which ring 1 could reach: the segment limits, not
 * paging, keep a guest out of the hole.
 *
 * The window maps frames outside the direct map (guest memory, modules):
 * a bump region for whole module images and a set of single-frame slots.
 */
#include "paging.h"
#include "console.h"
#include "layout.h"
#include "frame.h"
#include "rvlib.h"
#include "x86.h"

pte_t boot_pdpt[512] __attribute__((aligned(4096), section(".bss.pagetables")));
pte_t boot_l2_low[512] __attribute__((aligned(4096), section(".bss.pagetables")));
pte_t mon_l2_top[512] __attribute__((aligned(4096), section(".bss.pagetables")));
static pte_t window_l1[MON_WINDOW_L1S * 512] __attribute__((aligned(4096)));
static pte_t fixmap_l1[512] __attribute__((aligned(4096)));
static pte_t run_l1[MON_RUN_PAGES] __attribute__((aligned(4096)));
uint32_t idle_cr3;

static uint32_t bulk_used;                 /* pages used in the bulk region */
static uint32_t slot_used[MON_WINDOW_SLOT_PAGES / 32];

static pte_t *window_pte(uint32_t page) { return &window_l1[page]; }
static uint32_t window_va(uint32_t page) { return MON_WINDOW_VA + (page << 12); }

void paging_init(void)
{
    /* Point the window's L2 slots at its L1 tables (L2 index 504 on). */
    uint32_t first = (MON_WINDOW_VA - 0xC0000000u) >> 21;
    for (uint32_t i = 0; i < MON_WINDOW_L1S; i++)
        mon_l2_top[first + i] = VA2PA(&window_l1[i * 512]) | PG_P | PG_RW;
    mon_l2_top[(MON_FIXMAP_VA - 0xC0000000u) >> 21] = VA2PA(fixmap_l1) | PG_P | PG_RW;
    mon_l2_top[(MON_RUN_VA - 0xC0000000u) >> 21] = VA2PA(run_l1) | PG_P | PG_RW;
    /* Drop the identity map the boot code needed; turn on global pages. */
    boot_pdpt[0] = 0;
    write_cr4(read_cr4() | CR4_PGE);
    idle_cr3 = VA2PA(boot_pdpt);
    write_cr3(idle_cr3);
}

static void window_set(uint32_t page, uint32_t mfn)
{
    *window_pte(page) = ((pte_t)mfn << 12) | PG_P | PG_RW | PG_A | PG_D;
    invlpg(window_va(page));
}

static void window_clear(uint32_t page)
{
    *window_pte(page) = 0;
    invlpg(window_va(page));
}

/*
 * A slot keeps its mapping after unmap_frame, so mapping the same frame
 * again soon (the L1 of a batch of mmu_update requests, 512 times over)
 * costs no PTE write and no INVLPG; a slot is remapped, with INVLPG, only
 * when it is reused for another frame.  Under QEMU TCG the INVLPG and the
 * TLB refill after it cost more than the rest of a page-table update.
 * hint: by frame number, the slot that last mapped it (+ 1, 0 = none).
 */
#define HINTS 64
static uint32_t slot_mfn[MON_WINDOW_SLOT_PAGES]; /* the frame a slot maps, + 1 */
static uint16_t hint[HINTS];
static uint32_t slot_next;                       /* where the search for a free slot starts */

static int slot_busy(uint32_t i)
{
    return slot_used[i / 32] & (1u << (i % 32));
}

static void *slot_take(uint32_t i)
{
    slot_used[i / 32] |= 1u << (i % 32);
    return (void *)window_va(MON_WINDOW_BULK_PAGES + i);
}

void *map_frame(uint32_t mfn)
{
    uint32_t h = hint[mfn % HINTS];
    if (h && slot_mfn[h - 1] == mfn + 1 && !slot_busy(h - 1))
        return slot_take(h - 1);
    for (uint32_t k = 0; k < MON_WINDOW_SLOT_PAGES; k++) {
        uint32_t i = (slot_next + k) % MON_WINDOW_SLOT_PAGES;
        if (slot_busy(i))
            continue;
        slot_next = i + 1;
        slot_mfn[i] = mfn + 1;
        hint[mfn % HINTS] = (uint16_t)(i + 1);
        window_set(MON_WINDOW_BULK_PAGES + i, mfn);
        return slot_take(i);
    }
    panic("map_frame: all %u window slots in use", MON_WINDOW_SLOT_PAGES);
}

void unmap_frame(void *va)
{
    uint32_t i = (((uint32_t)va - MON_WINDOW_VA) >> 12) - MON_WINDOW_BULK_PAGES;
    if (i >= MON_WINDOW_SLOT_PAGES)
        panic("unmap_frame: %p is not a window slot", va);
    slot_used[i / 32] &= ~(1u << (i % 32));
}

void *map_frames(uint32_t mfn, uint32_t n)
{
    if (n > MON_WINDOW_BULK_PAGES - bulk_used)
        return 0;
    uint32_t start = bulk_used;
    for (uint32_t i = 0; i < n; i++)
        window_set(start + i, mfn + i);
    bulk_used += n;
    return (void *)window_va(start);
}

void unmap_frames(void)
{
    for (uint32_t i = 0; i < bulk_used; i++)
        window_clear(i);
    bulk_used = 0;
}

void zero_frame(uint32_t mfn)
{
    void *p = map_frame(mfn);
    zero_pages(p, 1);
    unmap_frame(p);
}

/*
 * The run window maps up to 512 contiguous frames with one TLB flush for
 * all of them, where map_frame costs an INVLPG each.  Its entries are not
 * global, so one MOV to CR3 drops every stale translation of the window
 * (SDM Vol. 3A 4.10.4.1); the other address spaces see the same L1 (their
 * top L2 copies mon_l2_top) and switching to them reloads CR3 anyway.
 * Under QEMU TCG this matters more than on hardware: an INVLPG of an
 * address in the range QEMU has seen 2 MiB pages in (the direct map is
 * next door) flushes its whole TLB, and after a big guest that TLB has
 * grown to hundreds of thousands of entries, so a flush per frame cost
 * milliseconds.  Exactly the frames asked for are mapped (nothing past the
 * run, which may not be RAM).
 */
static uint32_t run_mfn, run_n; /* what the window maps now */

void *map_run(uint32_t mfn, uint32_t n, uint32_t *mapped)
{
    if (mfn < run_mfn || mfn >= run_mfn + run_n) {
        if (n > MON_RUN_PAGES)
            n = MON_RUN_PAGES;
        for (uint32_t i = 0; i < MON_RUN_PAGES; i++)
            run_l1[i] = i < n ? ((pte_t)(mfn + i) << 12) | PG_P | PG_RW | PG_A | PG_D : 0;
        write_cr3(read_cr3());
        run_mfn = mfn;
        run_n = n;
    }
    *mapped = run_mfn + run_n - mfn;
    return (void *)(MON_RUN_VA + ((mfn - run_mfn) << 12));
}

/* Any n frames (n <= MON_RUN_PAGES) at the run window, in list order. */
void *map_list(const uint32_t *mfns, uint32_t n)
{
    for (uint32_t i = 0; i < MON_RUN_PAGES; i++)
        run_l1[i] = i < n ? ((pte_t)mfns[i] << 12) | PG_P | PG_RW | PG_A | PG_D : 0;
    write_cr3(read_cr3());
    run_n = 0; /* not a run: the next map_run maps afresh */
    return (void *)MON_RUN_VA;
}

/*
 * Zeroes n pages at va with plain 32-bit stores, 64 bytes a loop.  Not
 * REP STOSD: QEMU TCG runs a REP string instruction one element per pass
 * through its translated block; measured here (512 MiB scrubs, TCG, wall)
 * REP STOSD made 1400-2000 MiB/s, this loop 2000-3200.  On hardware both
 * go at memory speed (fast strings, SDM Vol. 1 7.3.9.3).  No SSE: the
 * monitor must not touch the guests' FPU/SSE registers (Makefile).
 */
void zero_pages(void *va, uint32_t n)
{
    uint32_t loops = n * 64, *p = va;
    __asm__ volatile("1:\n\t"
                     "movl %%eax, 0(%0); movl %%eax, 4(%0); movl %%eax, 8(%0); movl %%eax, 12(%0)\n\t"
                     "movl %%eax, 16(%0); movl %%eax, 20(%0); movl %%eax, 24(%0); movl %%eax, 28(%0)\n\t"
                     "movl %%eax, 32(%0); movl %%eax, 36(%0); movl %%eax, 40(%0); movl %%eax, 44(%0)\n\t"
                     "movl %%eax, 48(%0); movl %%eax, 52(%0); movl %%eax, 56(%0); movl %%eax, 60(%0)\n\t"
                     "addl $64, %0\n\t"
                     "decl %1\n\t"
                     "jnz 1b"
                     : "+r"(p), "+r"(loops)
                     : "a"(0)
                     : "memory", "cc");
}

/* A device page (memory-mapped I/O) at a fixed VA, uncached (SDM Vol. 3A 11.3). */
void *fixmap(unsigned slot, uint32_t pa)
{
    fixmap_l1[slot] = (pte_t)(pa & ~4095u) | PG_P | PG_RW | PG_PCD | PG_PWT | PG_G;
    invlpg(MON_FIXMAP_VA + slot * 4096);
    return (void *)(MON_FIXMAP_VA + slot * 4096 + (pa & 4095));
}
