/*
 * drivers/prd.h: physical region descriptor tables, the scatter-gather
 * lists of PCI IDE bus-master DMA (SFF-8038i; Intel 82371FB/SB PIIX/PIIX3
 * and 82371AB PIIX4 datasheets, "Bus Master IDE Function").  Pure logic:
 * no I/O, unit-tested on the host (tests/unit/test_prd.c).
 */
#ifndef DRV_PRD_H
#define DRV_PRD_H

#include <stdint.h>

/* One entry, as the controller reads it from memory: 8 bytes, little-endian. */
struct prd {
    uint32_t addr;   /* bits 31:1 of the region's physical address; bit 0 is 0 */
    uint32_t count;  /* bits 15:1 the byte count (0 means 64 KiB), bit 0 is 0; bit 31 EOT */
};
#define PRD_EOT 0x80000000u

struct prd_table {
    struct prd *e;   /* the entries, in memory the controller reads */
    uint32_t n, max; /* entries used, room for */
    uint32_t bytes;  /* the sum of their counts */
};

#define PRD_ODD (-1)    /* an odd address or length: the controller cannot move it */
#define PRD_FULL (-2)   /* no entry left */

/* An empty table over max entries at e. */
void prd_start(struct prd_table *t, struct prd *e, uint32_t max);
/*
 * Appends len bytes at physical address addr (the range must end at or
 * below 4 GiB): merged into the last entry when it continues it, split
 * where it crosses a 64 KiB boundary.  0, PRD_ODD or PRD_FULL; on an error
 * the table may hold part of the range.
 */
int prd_add(struct prd_table *t, uint32_t addr, uint32_t len);
/* Marks the last entry EOT: the table is ready for the controller. */
void prd_finish(struct prd_table *t);
/* An entry's byte count (1 .. 65536). */
uint32_t prd_len(const struct prd *p);

#endif
