/*
 * drivers/disk.h: the disks behind virtio-blk devices.  Two kinds:
 *   - in memory (memdisk.c): a base (a Multiboot module's bytes, or
 *     nothing: zeros) seen through private copy-on-write frames, so the
 *     base is never changed and every write is lost when the domain ends;
 *   - a region of an ATA disk (disk.c over ata.c): sectors START ..
 *     START+COUNT-1 of the machine's disk, written through to the drive,
 *     FLUSH CACHE for a flush.
 * Transfers go straight between the disk and a descriptor chain of the
 * guest (struct chain, vdev.h).  Sectors are 512 bytes.
 */
#ifndef DRV_DISK_H
#define DRV_DISK_H

#include <stdint.h>

struct vdev;
struct chain;

enum disk_kind { DISK_MEM = 1, DISK_ATA };

struct disk {
    uint8_t kind;                /* enum disk_kind */
    uint8_t ro;
    uint64_t sectors;
    /* in memory */
    uint32_t base_pa, base_len;  /* the module's bytes; base_len 0 = a blank disk */
    uint32_t *cow;               /* per 4 KiB page of the disk: its private frame, 0 = the base */
    uint32_t map_mfn, map_frames;/* the frames holding cow[] (monitor's direct map) */
    uint32_t nr_cow;             /* private frames in use */
    uint32_t spare_mfn, spare_n; /* free frames taken for later private pages */
    /* ATA */
    uint8_t drive;
    uint64_t start;
    uint32_t dma_cmds, pio_cmds; /* commands that moved data, each way */
};

/* memdisk.c: 0, or -1 with *why (no memory for the page map). */
int memdisk_init(struct disk *dk, uint32_t base_pa, uint32_t base_len, uint64_t sectors, const char **why);
/* disk.c: probes the drive; 0, or -1 with *why (no such disk, region beyond its end). */
int atadisk_init(struct disk *dk, uint8_t drive, uint64_t start, uint64_t sectors, const char **why);

/*
 * n sectors from sector on, to or from byte off of the writable (read) or
 * readable (write) part of chain c.  The caller has checked the range.
 * 0, or -1 for an I/O error (the request's status becomes IOERR).
 */
int disk_read(struct disk *dk, uint64_t sector, uint32_t n, struct vdev *v, const struct chain *c, uint32_t off);
int disk_write(struct disk *dk, uint64_t sector, uint32_t n, struct vdev *v, const struct chain *c, uint32_t off);
/* Everything written so far is on the medium when this returns 0. */
int disk_flush(struct disk *dk);
void disk_destroy(struct disk *dk);
/* "in memory, ..." or "ata0 sectors A..B": for console lines. */
void disk_describe(const struct disk *dk, char *buf, uint32_t n);

/* memdisk.c, for disk.c */
int memdisk_read(struct disk *dk, uint64_t sector, uint32_t n, struct vdev *v, const struct chain *c, uint32_t off);
int memdisk_write(struct disk *dk, uint64_t sector, uint32_t n, struct vdev *v, const struct chain *c, uint32_t off);
void memdisk_destroy(struct disk *dk);

#endif
