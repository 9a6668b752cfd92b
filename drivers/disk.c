/*
 * drivers/disk.c: the disk a virtio-blk device stands on (disk.h): the
 * dispatch between in-memory disks (memdisk.c) and regions of an ATA disk,
 * and the ATA region itself.  A region is START .. START+COUNT-1 of the
 * drive, named on the module line; sector s of the guest's disk is sector
 * START + s of the drive, so a guest can reach nothing outside its region.
 * Data moves through a bounce buffer of ATA_MAX_XFER sectors between the
 * drive's data port and the guest's descriptor chain.
 */
#include "disk.h"
#include "ata.h"
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

static int ata_region_read(struct disk *dk, uint64_t sector, uint32_t n, struct vdev *v, const struct chain *c,
                           uint32_t off)
{
    while (n) {
        uint32_t k = n < ATA_MAX_XFER ? n : ATA_MAX_XFER;
        if (ata_read(dk->drive, dk->start + sector, k, bounce) || chain_write(v, c, off, bounce, k * ATA_SECTOR))
            return -1;
        sector += k;
        n -= k;
        off += k * ATA_SECTOR;
    }
    return 0;
}

static int ata_region_write(struct disk *dk, uint64_t sector, uint32_t n, struct vdev *v, const struct chain *c,
                            uint32_t off)
{
    while (n) {
        uint32_t k = n < ATA_MAX_XFER ? n : ATA_MAX_XFER;
        if (chain_read(v, c, off, bounce, k * ATA_SECTOR) || ata_write(dk->drive, dk->start + sector, k, bounce))
            return -1;
        sector += k;
        n -= k;
        off += k * ATA_SECTOR;
    }
    return 0;
}

int disk_read(struct disk *dk, uint64_t sector, uint32_t n, struct vdev *v, const struct chain *c, uint32_t off)
{
    return dk->kind == DISK_MEM ? memdisk_read(dk, sector, n, v, c, off) : ata_region_read(dk, sector, n, v, c, off);
}

int disk_write(struct disk *dk, uint64_t sector, uint32_t n, struct vdev *v, const struct chain *c, uint32_t off)
{
    return dk->kind == DISK_MEM ? memdisk_write(dk, sector, n, v, c, off) : ata_region_write(dk, sector, n, v, c, off);
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
    dk->kind = 0;
}

void disk_describe(const struct disk *dk, char *buf, uint32_t n)
{
    if (dk->kind == DISK_ATA)
        rv_snprintf(buf, n, "sectors %llu..%llu of ata%u, written through, FLUSH reaches the disk",
                    (unsigned long long)dk->start, (unsigned long long)(dk->start + dk->sectors - 1), dk->drive);
    else if (dk->base_len)
        rv_snprintf(buf, n, "in memory, copy-on-write over a module: changes are lost at power-off");
    else
        rv_snprintf(buf, n, "in memory, blank: its contents are lost at power-off");
}
