/*
 * drivers/prd.c: building a physical region descriptor table (prd.h) for
 * the IDE bus master.  The controller's rules (PIIX3 and PIIX4 datasheets,
 * "Physical Region Descriptor Format"; SFF-8038i 1.1):
 *   - a region starts on an even address and has an even byte count: the
 *     controller moves 16-bit words, so bit 0 of both fields is 0;
 *   - a region does not straddle a 64 KiB boundary: its address counter
 *     only counts bits 15:1, so the byte count is at most 64 KiB
 *     (a count of 0 means 64 KiB);
 *   - the last entry has EOT (bit 31 of its second dword).
 * Pieces that continue each other inside one 64 KiB block share an entry,
 * so a guest buffer of contiguous frames costs one entry per 64 KiB.
 * The table's own placement (dword aligned, not crossing 64 KiB, below
 * 4 GiB: one frame of the monitor's) is the caller's business.
 */
#include "prd.h"

#define BLOCK 0x10000u

void prd_start(struct prd_table *t, struct prd *e, uint32_t max)
{
    t->e = e;
    t->n = 0;
    t->max = max;
    t->bytes = 0;
}

uint32_t prd_len(const struct prd *p)
{
    uint32_t n = p->count & 0xffff;
    return n ? n : BLOCK;
}

static void set_len(struct prd *p, uint32_t len)
{
    p->count = (p->count & PRD_EOT) | (len & 0xffff); /* 64 KiB is 0 */
}

int prd_add(struct prd_table *t, uint32_t addr, uint32_t len)
{
    if ((addr | len) & 1)
        return PRD_ODD;
    if (len && len - 1 > 0xffffffffu - addr)
        return PRD_ODD; /* runs past 4 GiB: no 32-bit bus master reaches it */
    while (len) {
        uint32_t room = BLOCK - (addr & (BLOCK - 1)); /* to the next 64 KiB boundary */
        uint32_t n = len < room ? len : room;
        struct prd *last = t->n ? &t->e[t->n - 1] : 0;
        /* The same 64 KiB block and the very next byte: one region. */
        if (last && last->addr + prd_len(last) == addr && (last->addr & ~(BLOCK - 1)) == (addr & ~(BLOCK - 1))) {
            set_len(last, prd_len(last) + n);
        } else {
            if (t->n == t->max)
                return PRD_FULL;
            t->e[t->n].addr = addr;
            t->e[t->n].count = 0;
            set_len(&t->e[t->n], n);
            t->n++;
        }
        t->bytes += n;
        addr += n;
        len -= n;
    }
    return 0;
}

void prd_finish(struct prd_table *t)
{
    if (t->n)
        t->e[t->n - 1].count |= PRD_EOT;
}
