/*
 * drivers/memdisk.c: in-memory disks.  The disk's bytes are a base (a
 * Multiboot module the boot loader put in memory, or nothing, which reads
 * as zeros) seen through private frames: the first write to a 4 KiB page
 * of the disk copies that page of the base into a frame of its own
 * (copy-on-write), and later reads and writes of the page use that frame.
 * The module is never changed, so a domain that restarts from its module
 * finds its disk as it was at boot; every write is lost when the domain
 * ends (the console says so when the disk is made).  Private frames are
 * taken one at a time from the free frames when first written (a write
 * that finds none fails with IOERR; see new_frame), are the monitor's (no domain owns
 * them, so no guest can map them), and are scrubbed when they go back.
 * The page map (one frame number per disk page) lives in the monitor's
 * direct map: 1 KiB of map per MiB of disk.
 */
#include "disk.h"
#include "frame.h"
#include "layout.h"
#include "paging.h"
#include "rvlib.h"
#include "scrub.h"
#include "vdev.h"

#define SECTOR RV_VIRTIO_BLK_SECTOR

#define SPARE_RUN 64

static uint8_t bounce[4096];

int memdisk_init(struct disk *dk, uint32_t base_pa, uint32_t base_len, uint64_t sectors, const char **why)
{
    uint64_t pages = (sectors + 7) / 8;
    uint32_t frames = (uint32_t)((pages * sizeof(uint32_t) + 4095) / 4096);
    if (pages > (1ull << 20)) {
        *why = "an in-memory disk is at most 4 GiB";
        return -1;
    }
    uint32_t mfn = frames_alloc_contig_below(frames, MON_DIRECT_FRAMES);
    if (!mfn) {
        *why = "no monitor memory left for the disk's page map";
        return -1;
    }
    memset(PA2VA(mfn << 12), 0, frames * 4096);
    dk->kind = DISK_MEM;
    dk->sectors = sectors;
    dk->base_pa = base_pa;
    dk->base_len = base_len;
    dk->cow = PA2VA(mfn << 12);
    dk->map_mfn = mfn;
    dk->map_frames = frames;
    dk->nr_cow = 0;
    dk->spare_n = 0;
    return 0;
}

/* Page `page` of the base into buf: the module's bytes (it need not be page aligned), zeros after them. */
static void base_page(const struct disk *dk, uint32_t page, uint8_t *buf)
{
    uint32_t off = page << 12;
    memset(buf, 0, 4096);
    if (off >= dk->base_len)
        return;
    uint32_t left = dk->base_len - off < 4096 ? dk->base_len - off : 4096, pa = dk->base_pa + off;
    while (left) {
        uint32_t po = pa & 4095, n = 4096 - po < left ? 4096 - po : left;
        const uint8_t *src = map_frame(pa >> 12);
        memcpy(buf, src + po, n);
        unmap_frame((void *)src);
        buf += n;
        pa += n;
        left -= n;
    }
}

/*
 * A free frame for a private page.  Frames are taken from the allocator
 * SPARE_RUN at a time (one search of its bitmap instead of one per page:
 * a first write is otherwise mostly that search) and handed out one by
 * one; each goes back on its own when the disk is destroyed.
 */
static uint32_t new_frame(struct disk *dk)
{
    if (!dk->spare_n) {
        uint32_t n = SPARE_RUN;
        while (n && !(dk->spare_mfn = frames_alloc_contig(n)))
            n /= 2;
        dk->spare_n = n;
    }
    if (!dk->spare_n)
        return 0;
    dk->spare_n--;
    return dk->spare_mfn++;
}

/* The page's private frame, made from the base on first use; 0 when memory has run out. */
static uint32_t private_frame(struct disk *dk, uint32_t page)
{
    if (dk->cow[page])
        return dk->cow[page];
    uint32_t mfn = new_frame(dk);
    if (!mfn)
        return 0;
    uint8_t *p = map_frame(mfn);
    base_page(dk, page, p);
    unmap_frame(p);
    dk->cow[page] = mfn;
    dk->nr_cow++;
    return mfn;
}

/* Bytes from pos to the end of its page or to end, whichever comes first. */
static uint32_t piece(uint64_t pos, uint64_t end)
{
    uint32_t room = 4096 - ((uint32_t)pos & 4095);
    return end - pos < room ? (uint32_t)(end - pos) : room;
}

int memdisk_read(struct disk *dk, uint64_t sector, uint32_t n, struct vdev *v, const struct chain *c, uint32_t off)
{
    for (uint64_t pos = sector * SECTOR, end = pos + (uint64_t)n * SECTOR; pos < end;) {
        uint32_t page = (uint32_t)(pos >> 12), po = (uint32_t)pos & 4095, len = piece(pos, end);
        int rc;
        if (dk->cow[page]) {
            uint8_t *p = map_frame(dk->cow[page]);
            rc = chain_write(v, c, off, p + po, len);
            unmap_frame(p);
        } else {
            base_page(dk, page, bounce);
            rc = chain_write(v, c, off, bounce + po, len);
        }
        if (rc)
            return -1;
        pos += len;
        off += len;
    }
    return 0;
}

int memdisk_write(struct disk *dk, uint64_t sector, uint32_t n, struct vdev *v, const struct chain *c, uint32_t off)
{
    for (uint64_t pos = sector * SECTOR, end = pos + (uint64_t)n * SECTOR; pos < end;) {
        uint32_t page = (uint32_t)(pos >> 12), po = (uint32_t)pos & 4095, len = piece(pos, end);
        uint32_t mfn = private_frame(dk, page);
        if (!mfn)
            return -1;
        uint8_t *p = map_frame(mfn);
        int rc = chain_read(v, c, off, p + po, len);
        unmap_frame(p);
        if (rc)
            return -1;
        pos += len;
        off += len;
    }
    return 0;
}

/* The private frames hold the guest's data: they go back through the
 * scrubber (monitor/scrub.c), in slices, like the domain's own frames, and
 * the page map with them; frames never written need no zeroing. */
void memdisk_destroy(struct disk *dk)
{
    uint32_t pages = (uint32_t)((dk->sectors + 7) / 8);
    frames_free(dk->spare_mfn, dk->spare_n);
    dk->spare_n = 0;
    if (dk->nr_cow)
        scrub_add_list(dk->cow, pages, dk->nr_cow, dk->map_mfn, dk->map_frames);
    else
        frames_free(dk->map_mfn, dk->map_frames);
    dk->nr_cow = 0;
}
