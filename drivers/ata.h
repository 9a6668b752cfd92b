/*
 * drivers/ata.h: the machine's ATA disks on the primary IDE channel
 * (ports 0x1F0-0x1F7, control 0x3F6), polled: drive 0 is the master,
 * drive 1 the slave.  Data moves by bus-master DMA straight to or from
 * physical memory (ata_dma_table, ata_dma) when the machine has a PCI IDE
 * bus master, else by programmed I/O through a buffer (ata_read,
 * ata_write, which always work).
 */
#ifndef DRV_ATA_H
#define DRV_ATA_H

#include <stdint.h>

#define ATA_SECTOR 512
#define ATA_MAX_XFER 256   /* sectors one ata_read/ata_write moves */
#define ATA_DMA_MAX 2048   /* sectors one ata_dma moves on an LBA48 drive (256 on others) */

struct prd_table;

struct ata_info {
    int present;
    int lba48;             /* READ/WRITE SECTORS EXT, FLUSH CACHE EXT */
    int flush;             /* FLUSH CACHE is supported (else there is no cache to flush) */
    int dma;               /* transfers by bus-master DMA (ata_dma) */
    uint32_t dma_max;      /* sectors per ata_dma */
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

/*
 * DMA: ata_dma_table gives the (empty) descriptor table for the next
 * transfer, or NULL if the drive does no DMA; the caller adds the physical
 * ranges (prd_add), exactly count sectors' worth, and ata_dma moves count
 * (1 .. dma_max) sectors at lba between the disk and them.  0, or -1 on an
 * error or a timeout.  The transfer is over, the controller stopped, when
 * ata_dma returns; the ranges are the caller's to check.
 */
struct prd_table *ata_dma_table(unsigned drive);
int ata_dma(unsigned drive, uint64_t lba, uint32_t count, int write);
/* No bus-master transfer is under way when this returns (one is stopped, the channel reset, and it says so). */
void ata_quiesce(void);

#endif
