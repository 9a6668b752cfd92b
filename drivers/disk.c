/*
 * drivers/disk.c: the disk a virtio-blk device stands on (disk.h): the
 * dispatch between in-memory disks (memdisk.c) and regions of an ATA disk,
 * and the ATA region itself.  A region is START .. START+COUNT-1 of the
 * drive, named on the module line; sector s of the guest's disk is sector
 * START + s of the drive, so a guest can reach nothing outside its region.
 *
 * Data moves by bus-master DMA straight between the drive and the guest's
 * descriptor chain when the drive can (ata.c): the chain's frames, checked
 * as for a copy (chain_each_maddr: the domain's own, not a page table in
 * use for a read), become the descriptor table (prd.c), up to dma_max
 * sectors per command.  The transfer is over before ata_dma returns, in
 * the same hypercall, so the frames stay the domain's throughout; a domain
 * that dies afterwards has no transfer left to finish before its frames
 * are scrubbed (disk_destroy still makes sure: ata_quiesce).  A piece the
 * controller cannot move (an odd address or length) sends that command's
 * sectors, and a drive without DMA all of them, through a bounce buffer
 * of ATA_MAX_XFER sectors by PIO.
 */
#include "disk.h"
#include "ata.h"
#include "prd.h"
#include "rvlib.h"
#include "vdev.h"

static uint8_t bounce[ATA_MAX_XFER * ATA_SECTOR];

int atadisk_init(struct disk *dk, uint8_t drive, uint64_t start, uint64_t sectors, const char **why)
{
    static char why_buf[96];
    const struct ata_info *info = ata_probe(drive);
    if (!info) {
        rv_snprintf(why_buf, sizeof(why_buf), "disk=ata%u: no ATA disk there", drive);
        *why = why_buf;
        return -1;
    }
    if (start > info->sectors || sectors > info->sectors - start) {
        rv_snprintf(why_buf, sizeof(why_buf), "disk=ata%u:%llu+%llu: beyond the end of the disk (%llu sectors)",
                    drive, (unsigned long long)start, (unsigned long long)sectors,
                    (unsigned long long)info->sectors);
        *why = why_buf;
        return -1;
    }
    dk->kind = DISK_ATA;
    dk->drive = drive;
    dk->start = start;
    dk->sectors = sectors;
    return 0;
}

/* k sectors by PIO through the bounce buffer, between the drive and byte off of the chain's part. */
static int region_pio(struct disk *dk, uint64_t sector, uint32_t k, struct vdev *v, const struct chain *c,
                      uint32_t off, int write)
{
    while (k) {
        uint32_t n = k < ATA_MAX_XFER ? k : ATA_MAX_XFER, bytes = n * ATA_SECTOR;
        if (write ? chain_read(v, c, off, bounce, bytes) || ata_write(dk->drive, dk->start + sector, n, bounce)
                  : ata_read(dk->drive, dk->start + sector, n, bounce) || chain_write(v, c, off, bounce, bytes))
            return -1;
        dk->pio_cmds++;
        sector += n;
        k -= n;
        off += bytes;
    }
    return 0;
}

static int add_piece(void *table, uint64_t maddr, uint32_t n)
{
    return prd_add(table, (uint32_t)maddr, n) ? 1 : 0;
}

/* k sectors by DMA straight to or from the chain: 0, -1 (an I/O error, a bad chain), 1 (not by DMA: PIO). */
static int region_dma(struct disk *dk, uint64_t sector, uint32_t k, struct vdev *v, const struct chain *c,
                      uint32_t off, int write)
{
    struct prd_table *t = ata_dma_table(dk->drive);
    if (!t)
        return 1;
    /* a disk read writes the chain's writable part, a disk write reads its readable part */
    int rc = chain_each_maddr(v, c, !write, off, k * ATA_SECTOR, add_piece, t);
    if (rc)
        return rc > 0 ? 1 : -1;
    if (ata_dma(dk->drive, dk->start + sector, k, write))
        return -1;
    dk->dma_cmds++;
    return 0;
}

static int ata_region_rw(struct disk *dk, uint64_t sector, uint32_t n, struct vdev *v, const struct chain *c,
                         uint32_t off, int write)
{
    const struct ata_info *info = ata_probe(dk->drive);
    uint32_t max = info && info->dma ? info->dma_max : ATA_MAX_XFER;
    while (n) {
        uint32_t k = n < max ? n : max;
        int rc = region_dma(dk, sector, k, v, c, off, write);
        if (rc > 0)
            rc = region_pio(dk, sector, k, v, c, off, write);
        if (rc)
            return -1;
        sector += k;
        n -= k;
        off += k * ATA_SECTOR;
    }
    return 0;
}

int disk_read(struct disk *dk, uint64_t sector, uint32_t n, struct vdev *v, const struct chain *c, uint32_t off)
{
    return dk->kind == DISK_MEM ? memdisk_read(dk, sector, n, v, c, off) : ata_region_rw(dk, sector, n, v, c, off, 0);
}

int disk_write(struct disk *dk, uint64_t sector, uint32_t n, struct vdev *v, const struct chain *c, uint32_t off)
{
    return dk->kind == DISK_MEM ? memdisk_write(dk, sector, n, v, c, off) : ata_region_rw(dk, sector, n, v, c, off, 1);
}

/* Memory needs no flush; the ATA drive flushes its write cache. */
int disk_flush(struct disk *dk)
{
    return dk->kind == DISK_ATA ? ata_flush(dk->drive) : 0;
}

void disk_destroy(struct disk *dk)
{
    if (dk->kind == DISK_MEM)
        memdisk_destroy(dk);
    if (dk->kind == DISK_ATA)
        ata_quiesce(); /* none can be under way (ata_dma waits for its end); its frames go next */
    dk->kind = 0;
}

void disk_describe(const struct disk *dk, char *buf, uint32_t n)
{
    if (dk->kind == DISK_ATA)
        rv_snprintf(buf, n, "sectors %llu..%llu of ata%u by %s, written through, FLUSH reaches the disk",
                    (unsigned long long)dk->start, (unsigned long long)(dk->start + dk->sectors - 1), dk->drive,
                    ata_probe(dk->drive) && ata_probe(dk->drive)->dma ? "DMA" : "PIO");
    else if (dk->base_len)
        rv_snprintf(buf, n, "in memory, copy-on-write over a module: changes are lost at power-off");
    else
        rv_snprintf(buf, n, "in memory, blank: its contents are lost at power-off");
}
