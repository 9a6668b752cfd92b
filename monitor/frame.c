/* SPDX-License-Identifier: MIT */
/*
 * monitor/frame.c: the physical frame allocator.
 *
 * One bit per 4 KiB frame below 4 GiB (a set bit means "in use"), 128 KiB
 * of bitmap in all.  Everything starts used; the Multiboot memory map frees
 * the RAM it reports and the monitor then reserves its own image and the
 * modules.  Frame 0 is never handed out, so 0 can mean "no frame" (it also
 * holds the real-mode IVT and BIOS data area).
 *
 * Two kinds of request: single frames for the monitor's own page tables
 * and structures, taken lowest first below a limit (so they stay inside
 * the monitor's direct map), and a contiguous run for a whole domain,
 * taken from the top of memory down, leaving low memory for the monitor.
 *
 * A second bitmap remembers which free frames are known to hold zeros
 * (the scrubber gives frames back with frames_free_zeroed), so building a
 * domain need not zero again what a dead one's scrub just zeroed.  A bit
 * is set only there and cleared by every other way a frame becomes free
 * (frames_free, and the boot-time map: RAM at boot holds whatever the
 * firmware, the boot loader or an earlier OS left), so right after an
 * allocation it tells the truth about the frame allocated.
 */
#include <stdint.h>
#include "abi.h"
#include "frame.h"

#define WORDS (FRAME_MAX / 32)

static uint32_t used[WORDS];
static uint32_t zeroed[WORDS];
static uint32_t nr_free;

static int is_used(uint32_t mfn)
{
    return (used[mfn / 32] >> (mfn % 32)) & 1;
}

static void mark_used(uint32_t mfn)
{
    if (!is_used(mfn)) {
        used[mfn / 32] |= 1u << (mfn % 32);
        nr_free--;
    }
}

/* Frame 0 stays used whatever the caller asks. */
static void mark_free(uint32_t mfn, int is_zero)
{
    if (mfn != 0 && is_used(mfn)) {
        used[mfn / 32] &= ~(1u << (mfn % 32));
        nr_free++;
        if (is_zero)
            zeroed[mfn / 32] |= 1u << (mfn % 32);
        else
            zeroed[mfn / 32] &= ~(1u << (mfn % 32));
    }
}

/* Clamps a frame number computed from a 64-bit byte address to FRAME_MAX. */
static uint32_t clamp_mfn(uint64_t mfn)
{
    return mfn < FRAME_MAX ? (uint32_t)mfn : FRAME_MAX;
}

void frames_init(void)
{
    for (uint32_t i = 0; i < WORDS; i++) {
        used[i] = ~0u;
        zeroed[i] = 0;
    }
    nr_free = 0;
}

void frames_add_free(uint64_t start, uint64_t end)
{
    /* Only whole frames inside the range are RAM we may use. */
    uint32_t first = clamp_mfn((start >> RV_PAGE_SHIFT) + ((start & (RV_PAGE_SIZE - 1)) != 0));
    uint32_t last = clamp_mfn(end >> RV_PAGE_SHIFT);

    for (uint32_t mfn = first; mfn < last; mfn++)
        mark_free(mfn, 0);
}

void frames_reserve(uint64_t start, uint64_t end)
{
    /* Every frame the range touches is taken, even partly. */
    uint32_t first = clamp_mfn(start >> RV_PAGE_SHIFT);
    uint32_t last = clamp_mfn((end >> RV_PAGE_SHIFT) + ((end & (RV_PAGE_SIZE - 1)) != 0));

    for (uint32_t mfn = first; mfn < last; mfn++)
        mark_used(mfn);
}

uint32_t frame_alloc_below(uint32_t limit_mfn)
{
    uint32_t limit = limit_mfn < FRAME_MAX ? limit_mfn : FRAME_MAX;

    for (uint32_t w = 0; w * 32 < limit; w++) {
        if (used[w] == ~0u)
            continue;
        for (uint32_t mfn = w * 32; mfn < w * 32 + 32 && mfn < limit; mfn++) {
            if (!is_used(mfn)) {
                mark_used(mfn);
                return mfn;
            }
        }
    }
    return 0;
}

/*
 * Walks down from the top frame counting free frames in a row; the first
 * time the count reaches n, [mfn, mfn + n) is the highest run that fits.
 * Whole words that are all used or all free are stepped over at once.
 */
uint32_t frames_alloc_contig(uint32_t n)
{
    uint32_t run = 0, mfn = FRAME_MAX;

    if (n == 0 || n > nr_free)
        return 0;
    while (mfn > 0) {
        uint32_t word = used[(mfn - 1) / 32];
        if (mfn % 32 == 0 && word == ~0u) {
            run = 0;
            mfn -= 32;
        } else if (mfn % 32 == 0 && word == 0 && run + 32 < n) {
            run += 32;
            mfn -= 32;
        } else {
            mfn--;
            run = is_used(mfn) ? 0 : run + 1;
            if (run == n)
                break;
        }
    }
    if (run != n)
        return 0;
    for (uint32_t i = 0; i < n; i++)
        mark_used(mfn + i);
    return mfn;
}

uint32_t frames_alloc_contig_below(uint32_t n, uint32_t limit_mfn)
{
    uint32_t limit = limit_mfn < FRAME_MAX ? limit_mfn : FRAME_MAX, run = 0;

    for (uint32_t mfn = 1; n && mfn < limit; mfn++) {
        run = is_used(mfn) ? 0 : run + 1;
        if (run == n) {
            for (uint32_t i = 0; i < n; i++)
                mark_used(mfn + 1 - n + i);
            return mfn + 1 - n;
        }
    }
    return 0;
}

static void free_run(uint32_t mfn, uint32_t n, int is_zero)
{
    /* Freeing a free frame is ignored, so a double free cannot inflate the count. */
    for (uint32_t i = 0; i < n && mfn + i < FRAME_MAX && mfn + i >= mfn; i++)
        mark_free(mfn + i, is_zero);
}

void frames_free(uint32_t mfn, uint32_t n)
{
    free_run(mfn, n, 0);
}

void frames_free_zeroed(uint32_t mfn, uint32_t n)
{
    free_run(mfn, n, 1);
}

int frame_is_zeroed(uint32_t mfn)
{
    return mfn < FRAME_MAX && ((zeroed[mfn / 32] >> (mfn % 32)) & 1);
}

uint32_t frames_zeroed_run(uint32_t mfn, uint32_t n, int is_zero)
{
    uint32_t k = 0;
    while (k < n && mfn + k < FRAME_MAX) {
        uint32_t m = mfn + k, w = zeroed[m / 32];
        if (m % 32 == 0 && n - k >= 32 && w == (is_zero ? ~0u : 0u)) {
            k += 32; /* a whole word alike */
            continue;
        }
        if (((w >> (m % 32)) & 1) != (uint32_t)is_zero)
            break;
        k++;
    }
    return k;
}

uint32_t frames_free_count(void)
{
    return nr_free;
}

int frame_is_free(uint32_t mfn)
{
    return mfn < FRAME_MAX && !is_used(mfn);
}
