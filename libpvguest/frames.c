/* SPDX-License-Identifier: MIT */
/*
 * libpvguest/frames.c: the allocator of the guest's free frames.
 *
 * The domain's memory is one run of frames; everything before
 * start_info.free_start is in use (image, start_info, start-of-day page
 * tables, boot stack), everything after is ours to hand out.  As in
 * Mini-OS, the bitmap (one bit per frame, 1 = in use) lives in the first
 * free frames, so it grows with the domain and costs no .bss.  Only frames
 * in the linear map are handed out: they must be zeroed, and later written
 * as page tables, through it.
 */
#include <pvguest.h>

static uint32_t *bitmap;     /* NULL until the first call */
static uint32_t nr_frames;   /* frames the bitmap covers (pfn 0 .. nr_frames-1) */
static uint32_t first_pfn;   /* the first frame the allocator may hand out */
static uint32_t nr_free;
static uint32_t next_pfn;    /* where the next search starts */

static int in_use(uint32_t pfn)
{
    return (bitmap[pfn / 32] >> (pfn % 32)) & 1;
}

static void mark(uint32_t pfn, int used)
{
    if (used)
        bitmap[pfn / 32] |= 1u << (pfn % 32);
    else
        bitmap[pfn / 32] &= ~(1u << (pfn % 32));
}

static void frames_init(void)
{
    const struct rv_start_info *si = rv_start_info;
    uint32_t first_free = (si->free_start - si->virt_base) >> RV_PAGE_SHIFT;
    uint32_t map_pages;

    nr_frames = si->nr_pages < si->nr_mapped ? si->nr_pages : si->nr_mapped;
    map_pages = (nr_frames + 8 * RV_PAGE_SIZE - 1) / (8 * RV_PAGE_SIZE);
    if (first_free + map_pages > nr_frames) { /* no free memory at all */
        static uint32_t none;
        bitmap = &none;
        nr_frames = 0;
        return;
    }
    bitmap = rv_pfn_to_virt(first_free);
    /* The monitor zeroed every frame: mark the used ones, the bitmap's own included. */
    for (uint32_t pfn = 0; pfn < first_free + map_pages; pfn++)
        mark(pfn, 1);
    first_pfn = next_pfn = first_free + map_pages;
    nr_free = nr_frames - first_pfn;
}

void *rv_frame_alloc(void)
{
    if (!bitmap)
        frames_init();
    if (!nr_free)
        return 0;
    for (uint32_t n = 0; n < nr_frames; n++) {
        uint32_t pfn = (next_pfn + n) % nr_frames;
        if (!in_use(pfn)) {
            void *page = rv_pfn_to_virt(pfn);

            mark(pfn, 1);
            nr_free--;
            next_pfn = pfn + 1;
            memset(page, 0, RV_PAGE_SIZE);
            return page;
        }
    }
    return 0;
}

void rv_frame_free(void *page)
{
    uint32_t pfn = rv_virt_to_pfn(page);

    if (!bitmap || pfn < first_pfn || pfn >= nr_frames || !in_use(pfn) || ((uint32_t)page & (RV_PAGE_SIZE - 1))) {
        rv_printf("libpvguest: rv_frame_free(%p): not an allocated frame\n", page);
        return;
    }
    mark(pfn, 0);
    nr_free++;
}

unsigned rv_frames_available(void)
{
    if (!bitmap)
        frames_init();
    return nr_free;
}
