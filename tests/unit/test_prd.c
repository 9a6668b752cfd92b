/*
 * tests/unit/test_prd.c: descriptor tables for IDE bus-master DMA
 * (drivers/prd.c).  The controller's rules (prd.h): even address and
 * count, no region across a 64 KiB boundary, count 0 = 64 KiB, EOT on the
 * last.  QEMU's model does not enforce the 64 KiB rule (a real PIIX wraps
 * inside the block), so it is checked here, together with the property
 * the guest relies on: the table's regions, in order, are exactly the
 * bytes that were added, in order.
 */
#include <stdint.h>
#include <stdlib.h>
#include "harness.h"
#include "prd.h"

#define MAXE 512

static struct prd e[MAXE];
static struct prd_table t;

struct range {
    uint32_t addr, len;
};

/* Every entry obeys the controller's rules; the table holds bytes bytes. */
static int well_formed(const struct prd_table *tb, int finished)
{
    uint64_t sum = 0;
    for (uint32_t i = 0; i < tb->n; i++) {
        const struct prd *p = &tb->e[i];
        uint32_t len = prd_len(p);
        if ((p->addr & 1) || (len & 1) || len == 0 || len > 0x10000)
            return 0;
        if (p->addr >> 16 != (uint32_t)(((uint64_t)p->addr + len - 1) >> 16))
            return 0; /* across a 64 KiB boundary */
        if (p->count & 0x7fff0000u)
            return 0; /* reserved bits */
        if (!!(p->count & PRD_EOT) != (finished && i == tb->n - 1))
            return 0;
        sum += len;
    }
    return sum == tb->bytes;
}

/* The table's regions, one after another, are the same bytes as the ranges, one after another. */
static int same_bytes(const struct prd_table *tb, const struct range *r, unsigned n)
{
    uint32_t i = 0, ioff = 0;
    for (unsigned k = 0; k < n; k++)
        for (uint32_t off = 0; off < r[k].len;) {
            if (i == tb->n)
                return 0;
            uint32_t elen = prd_len(&tb->e[i]);
            if (tb->e[i].addr + ioff != r[k].addr + off)
                return 0;
            uint32_t step = elen - ioff < r[k].len - off ? elen - ioff : r[k].len - off;
            off += step;
            ioff += step;
            if (ioff == elen) {
                i++;
                ioff = 0;
            }
        }
    return i == tb->n && ioff == 0;
}

TEST(prd_single, "one page: one entry, EOT after prd_finish")
{
    prd_start(&t, e, MAXE);
    CHECK_EQ(prd_add(&t, 0x123000, 4096), 0);
    CHECK_EQ(t.n, 1);
    CHECK_EQ(e[0].addr, 0x123000);
    CHECK_EQ(e[0].count, 4096);
    CHECK(well_formed(&t, 0));
    prd_finish(&t);
    CHECK_EQ(e[0].count, PRD_EOT | 4096);
    CHECK(well_formed(&t, 1));
}

TEST(prd_merge, "pieces that continue each other share an entry, up to 64 KiB")
{
    prd_start(&t, e, MAXE);
    for (uint32_t pa = 0x200000; pa < 0x210000; pa += 4096)
        CHECK_EQ(prd_add(&t, pa, 4096), 0);
    CHECK_EQ(t.n, 1);
    CHECK_EQ(prd_len(&e[0]), 0x10000);
    CHECK_EQ(e[0].count & 0xffff, 0); /* 64 KiB is written as 0 */
    CHECK_EQ(prd_add(&t, 0x210000, 512), 0);
    CHECK_EQ(t.n, 2);                 /* the next block: a new entry */
    CHECK_EQ(e[1].addr, 0x210000);
    CHECK(well_formed(&t, 0));
}

TEST(prd_gap, "a gap or a step back in the same 64 KiB block starts a new entry")
{
    struct range r[] = { { 0x300000, 1000 }, { 0x300000 + 1002, 100 }, { 0x300000 + 2000, 8 }, { 0x300100, 6 } };
    prd_start(&t, e, MAXE);
    for (unsigned k = 0; k < 4; k++)
        CHECK_EQ(prd_add(&t, r[k].addr, r[k].len), 0);
    CHECK_EQ(t.n, 4);
    CHECK(same_bytes(&t, r, 4));
}

TEST(prd_split, "a range across 64 KiB boundaries is cut at each, and the pieces are the range")
{
    struct range r[] = { { 0x40fff0, 0x20020 } };
    prd_start(&t, e, MAXE);
    CHECK_EQ(prd_add(&t, r[0].addr, r[0].len), 0);
    CHECK_EQ(t.n, 4);                   /* 16 bytes, 64 KiB, 64 KiB, 16 bytes */
    CHECK_EQ(e[0].addr, 0x40fff0);
    CHECK_EQ(prd_len(&e[0]), 16);
    CHECK_EQ(e[1].addr, 0x410000);
    CHECK_EQ(prd_len(&e[1]), 0x10000);
    CHECK_EQ(prd_len(&e[2]), 0x10000);
    CHECK_EQ(e[3].addr, 0x430000);
    CHECK_EQ(prd_len(&e[3]), 0x10);
    CHECK(well_formed(&t, 0));
    CHECK(same_bytes(&t, r, 1));
}

TEST(prd_odd, "an odd address or length is refused")
{
    prd_start(&t, e, MAXE);
    CHECK_EQ(prd_add(&t, 0x1001, 512), PRD_ODD);
    CHECK_EQ(prd_add(&t, 0x1000, 511), PRD_ODD);
    CHECK_EQ(t.n, 0);
    CHECK_EQ(prd_add(&t, 0x1002, 2), 0);
}

TEST(prd_4g, "a range may end at 4 GiB, not beyond")
{
    prd_start(&t, e, MAXE);
    CHECK_EQ(prd_add(&t, 0xfffff000u, 4096), 0);
    CHECK_EQ(t.n, 1);
    CHECK_EQ(prd_add(&t, 0xfffff000u, 8192), PRD_ODD);
    CHECK_EQ(t.n, 1);
    CHECK(well_formed(&t, 0));
}

TEST(prd_full, "a full table says so")
{
    prd_start(&t, e, 3);
    CHECK_EQ(prd_add(&t, 0x10000, 512), 0);
    CHECK_EQ(prd_add(&t, 0x20000, 512), 0);
    CHECK_EQ(prd_add(&t, 0x30000, 512), 0);
    CHECK_EQ(prd_add(&t, 0x30200, 512), 0);   /* merges: no entry needed */
    CHECK_EQ(prd_add(&t, 0x50000, 512), PRD_FULL);
    CHECK_EQ(t.n, 3);
    CHECK(e[2].addr == 0x30000 && prd_len(&e[2]) == 1024);
}

/* Random chains cut page by page, as chain_each_maddr hands them over. */
TEST(prd_random, "random scattered chains: well formed, the same bytes in the same order")
{
    static struct range in[2048];
    srand(12345);
    for (int round = 0; round < 2000; round++) {
        unsigned n = 0, segs = 1 + (unsigned)rand() % 12;
        prd_start(&t, e, MAXE);
        int rc = 0;
        for (unsigned s = 0; s < segs && !rc; s++) {
            /* a segment: even address, even length up to 200 KiB, often near a 64 KiB boundary */
            uint32_t addr = ((uint32_t)rand() % 0x4000u) << 16;
            addr += rand() % 2 ? 0x10000u - 2 * (uint32_t)(rand() % 4096) : 2 * (uint32_t)(rand() % 0x8000);
            if (rand() % 4 == 0 && n)
                addr = in[n - 1].addr + in[n - 1].len; /* continues the one before */
            uint32_t len = 2 + 2 * (uint32_t)(rand() % 100000);
            while (len && !rc) {
                uint32_t room = 4096 - (addr & 4095), piece = len < room ? len : room;
                in[n++] = (struct range){ addr, piece };
                rc = prd_add(&t, addr, piece);
                addr += piece;
                len -= piece;
            }
        }
        CHECK_EQ(rc, 0);
        prd_finish(&t);
        CHECK(well_formed(&t, 1));
        CHECK(same_bytes(&t, in, n));
        if (rc || !well_formed(&t, 1) || !same_bytes(&t, in, n))
            break;
    }
}
