/* SPDX-License-Identifier: MIT */
/*
 * pv-abi/start_info.h: what a guest finds when it starts.
 *
 * At its first instruction the guest runs in ring 1 with paging on, CS =
 * RV_FLAT_RING1_CS, DS = ES = FS = GS = SS = RV_FLAT_RING1_DS, EFLAGS.IF = 1
 * (virtual IF: events masked, see shared_info.h), ESP at the top of a boot
 * stack and %esi = VA of this page.  Its memory is one contiguous run of
 * machine frames [first_mfn, first_mfn + nr_pages); frame first_mfn + k is
 * mapped at virt_base + k * 4096 for every k < nr_mapped.  The mappings are
 * user-accessible and writable, except the page-table frames (read-only).
 * nr_mapped = nr_pages unless the run would reach the hole; shared_info is
 * mapped just above it, at virt_base + 4096 * nr_mapped; this page is the
 * frame at image_end.  The boot L3 (pt_base) is pinned and current.
 * Every field since 1.0 (mod_start/mod_len used since 1.2).
 */
#ifndef RV_START_INFO_H
#define RV_START_INFO_H

#include <stdint.h>

/* The version of this layout, not of the ABI: unchanged since 1.0 (fields
 * are only ever taken from reserved[]; ABI.md "Versions"). */
#define RV_START_INFO_MAGIC "ringvisor-1.0"
#define RV_CMDLINE_MAX 1024 /* bytes, including the terminating NUL */

/* start_info.flags */
#define RV_SIF_CONSOLE_FOCUS (1u << 0) /* the serial console's input starts with us */

struct rv_start_info {
    char magic[16];          /* RV_START_INFO_MAGIC, NUL padded */
    uint32_t abi_version;    /* the monitor's RV_ABI_VERSION */
    uint32_t flags;          /* RV_SIF_* */
    uint32_t domid;          /* this domain's id (1, 2, ...) */
    uint32_t nr_pages;       /* frames the domain owns */
    uint32_t first_mfn;      /* machine frame number of the first frame */
    uint32_t virt_base;      /* VA of frame first_mfn */
    uint32_t nr_mapped;      /* frames mapped from virt_base on */
    uint32_t shared_info;    /* VA of the shared_info page */
    uint32_t pt_base;        /* VA of the L3 page table (page directory pointer table) */
    uint32_t nr_pt_frames;   /* page-table frames, from pt_base on (read-only) */
    uint32_t image_end;      /* VA just past the loaded image (page aligned) */
    uint32_t free_start;     /* first VA after the start-of-day structures */
    uint32_t stack_top;      /* VA just past the boot stack */
    uint32_t mod_start;      /* VA of an extra module (initrd), 0 if none */
    uint32_t mod_len;        /* its length in bytes */
    uint32_t console_evtchn; /* event channel of console input (0 = none yet) */
    uint32_t reserved[14];   /* zero */
    char cmdline[RV_CMDLINE_MAX]; /* the guest command line, NUL terminated */
};

#endif
