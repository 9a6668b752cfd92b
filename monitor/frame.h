/*
 * monitor/frame.h: the physical frame allocator.  One bit per 4 KiB frame
 * below 4 GiB, fed by the Multiboot memory map.  Frames below
 * MON_DIRECTMAP_END are the monitor's pool (always mapped in the hole);
 * domains get contiguous runs, preferably above it.  Pure logic over a
 * static bitmap: host-testable.
 */
#ifndef MON_FRAME_H
#define MON_FRAME_H

#include <stdint.h>

#define FRAME_MAX (1u << 20) /* frames below 4 GiB */

void frames_init(void);                              /* everything used */
void frames_add_free(uint64_t start, uint64_t end);  /* byte range [start, end), rounded inward */
void frames_reserve(uint64_t start, uint64_t end);   /* byte range, rounded outward */
/* One frame below limit_mfn (lowest first); returns the mfn or 0 when none. */
uint32_t frame_alloc_below(uint32_t limit_mfn);
/* n contiguous frames, highest address range first; returns the first mfn or 0. */
uint32_t frames_alloc_contig(uint32_t n);
/* n contiguous frames below limit_mfn, lowest first (monitor tables); the first mfn or 0. */
uint32_t frames_alloc_contig_below(uint32_t n, uint32_t limit_mfn);
void frames_free(uint32_t mfn, uint32_t n);          /* frames already free, frame 0, and frames past FRAME_MAX are left alone */
/* The same for frames the caller has zeroed (the scrubber). */
void frames_free_zeroed(uint32_t mfn, uint32_t n);
/* For a frame just allocated: 1 if it is known to hold zeros (it went back
 * through frames_free_zeroed, not frames_free, and nobody had it since). */
int frame_is_zeroed(uint32_t mfn);
/* How many frames from mfn (at most n) in a row are (is_zero 1) or are not
 * (0) known to hold zeros, by frame_is_zeroed. */
uint32_t frames_zeroed_run(uint32_t mfn, uint32_t n, int is_zero);
uint32_t frames_free_count(void);
int frame_is_free(uint32_t mfn);

#endif
