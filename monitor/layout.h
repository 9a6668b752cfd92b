/*
 * monitor/layout.h: where the monitor keeps things inside the hole and
 * which GDT slots it owns.  The guest-visible part of this (the hole's
 * start, the flat selectors) is defined in pv-abi/abi.h; this file adds
 * what only the monitor needs.
 *
 *  0xFC000000 - 0xFEFFFFFF  direct map of physical memory 0 - 48 MiB
 *                           (2 MiB global pages; the monitor image is at
 *                           physical 1 MiB, so it runs at 0xFC100000)
 *  0xFF000000 - 0xFFBFFFFF  frame window: 8 MiB for mapping module images,
 *                           4 MiB of single-frame slots (map_frame)
 *  0xFFC00000 - 0xFFDFFFFF  fixmap: device pages (the local APIC)
 *  0xFFE00000 - 0xFFFFFFFF  run window: up to 512 contiguous frames at
 *                           once (scrubbing and zeroing, paging.c)
 */
#ifndef MON_LAYOUT_H
#define MON_LAYOUT_H

#include "abi.h"

#define MON_VIRT_OFFSET RV_HOLE_START /* VA = PA + this, for PA < MON_DIRECT_END */
#define MON_DIRECT_END (48u << 20)
#define MON_DIRECT_FRAMES (MON_DIRECT_END >> 12)
#define MON_WINDOW_VA 0xFF000000u
#define MON_WINDOW_BULK_PAGES 2048u   /* 8 MiB for map_frames() */
#define MON_WINDOW_SLOT_PAGES 1024u   /* 4 MiB for map_frame() */
#define MON_WINDOW_L1S 6u             /* L1 tables behind the window */
#define MON_FIXMAP_VA 0xFFC00000u
#define MON_RUN_VA 0xFFE00000u
#define MON_RUN_PAGES 512u            /* one L1 table */

/* L2 slots (of the top GiB) that belong to the monitor: 0xFC000000 and up */
#define MON_L2_FIRST ((RV_HOLE_START - 0xC0000000u) >> 21) /* 480 */

/* GDT: guest entries 0-255, then the monitor's (pv-abi/abi.h RV_FLAT_*) */
#define GDT_MON_CS_IDX 256
#define GDT_MON_DS_IDX 257
#define GDT_TSS_IDX 258
#define GDT_RING1_CS_IDX 259
#define GDT_RING1_DS_IDX 260
#define GDT_RING3_CS_IDX 261
#define GDT_RING3_DS_IDX 262
#define GDT_DF_TSS_IDX 263
#define GDT_ENTRIES 264
#define MON_CS (GDT_MON_CS_IDX << 3)
#define MON_DS (GDT_MON_DS_IDX << 3)
#define MON_TSS_SEL (GDT_TSS_IDX << 3)
#define MON_DF_TSS_SEL (GDT_DF_TSS_IDX << 3)

#define PA2VA(pa) ((void *)((uint32_t)(pa) + MON_VIRT_OFFSET))
#define VA2PA(va) ((uint32_t)(va) - MON_VIRT_OFFSET)

#define KSTACK_SIZE 8192u

#endif
