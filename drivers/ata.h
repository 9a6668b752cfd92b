/*
 * drivers/ata.h: the machine's ATA disks on the primary IDE channel
 * (ports 0x1F0-0x1F7, control 0x3F6), by programmed I/O, polled: drive 0
 * is the master, drive 1 the slave.
 */
#ifndef DRV_ATA_H
#define DRV_ATA_H

#include <stdint.h>

#define ATA_SECTOR 512
#define ATA_MAX_XFER 256   /* sectors one ata_read/ata_write moves */

struct ata_info {
    int present;
    int lba48;             /* READ/WRITE SECTORS EXT, FLUSH CACHE EXT */
    int flush;             /* FLUSH CACHE is supported (else there is no cache to flush) */
    uint64_t sectors;
    char model[41];
};

/* IDENTIFY DEVICE, once per drive (the first call prints a line); NULL if there is no ATA disk. */
const struct ata_info *ata_probe(unsigned drive);
/* count (1 .. ATA_MAX_XFER) sectors at lba: 0, or -1 on an error or a timeout. */
int ata_read(unsigned drive, uint64_t lba, uint32_t count, void *buf);
int ata_write(unsigned drive, uint64_t lba, uint32_t count, const void *buf);
/* The drive's write cache to the medium: 0 or -1. */
int ata_flush(unsigned drive);

#endif
