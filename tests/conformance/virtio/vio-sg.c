/* SPDX-License-Identifier: MIT */
/*
 * vio-sg: scatter-gather on a region of the machine's ATA disk, which the
 * monitor moves by bus-master DMA straight between the drive and the
 * guest's buffers (drivers/disk.c, ata.c, prd.c).  Module line:
 * disk=ata0:100+4000 on a drive of its own.
 *
 * Every request is a chain built by hand whose data descriptors point
 * into one arena of contiguous frames (the linear map: machine-contiguous),
 * in no particular order, at odd sector offsets, across page boundaries
 * and across 64 KiB machine-address boundaries (where the controller's
 * descriptors must be split), some longer than 64 KiB:
 *   - written from one layout, read back through a different one and
 *     through one plain buffer: every byte is where the disk position says
 *     (a byte's value is a hash of its position on the disk), and every
 *     other byte of the arena still holds the canary it was filled with
 *     (nothing was written outside the descriptors);
 *   - a request longer than one DMA command (2051 sectors: the monitor
 *     splits at 2048) across 17 64 KiB boundaries, read back in two pieces;
 *   - pieces at odd addresses (which the controller cannot move: the
 *     monitor falls back on PIO for them) read back by both paths.
 * The runner checks the monitor's per-disk line: both DMA and PIO commands
 * were used (monlog= in tests.list).
 */
#include "viokit.h"

#define ARENA (1536u * 1024)
#define CANARY 0xa5
#define SECTOR 512

static uint8_t arena[ARENA] __attribute__((aligned(4096)));
static struct vio_q q;
static uint32_t b64; /* offset in the arena of a 64 KiB machine-address boundary, 64-128 KiB in */

struct piece {
    uint32_t off, len;
};
#define N(a) (sizeof(a) / sizeof((a)[0]))

static uint8_t pat(uint64_t pos, uint32_t seed)
{
    uint32_t x = (uint32_t)pos * 0x9e3779b1u ^ (uint32_t)(pos >> 9) * 0x85ebca6bu ^ seed;
    x ^= x >> 15;
    x *= 0x2c1b3c6du;
    x ^= x >> 12;
    return (uint8_t)x;
}

static uint32_t total(const struct piece *p, unsigned n)
{
    uint32_t t = 0;
    for (unsigned i = 0; i < n; i++)
        t += p[i].len;
    return t;
}

/* One request whose data is the pieces, in order: its status byte. */
static int request(uint32_t type, uint64_t sector, const struct piece *p, unsigned n)
{
    struct vio_req *r = &vio_reqs[0];
    uint16_t f = type == RV_VIRTIO_BLK_T_IN ? RV_VRING_DESC_F_WRITE : 0;
    r->hdr = (struct rv_virtio_blk_req){ .type = type, .sector = sector };
    r->status = 0xee;
    vio_desc(&q, 0, vio_maddr(&r->hdr), sizeof(r->hdr), RV_VRING_DESC_F_NEXT, 1);
    for (unsigned i = 0; i < n; i++) {
        if (p[i].off + p[i].len > ARENA)
            rvt_error("piece %u (%u+%u) is beyond the arena", i, p[i].off, p[i].len);
        vio_desc(&q, i + 1, vio_maddr(arena + p[i].off), p[i].len, f | RV_VRING_DESC_F_NEXT, (uint16_t)(i + 2));
    }
    vio_desc(&q, n + 1, vio_maddr(&r->status), 1, RV_VRING_DESC_F_WRITE, 0);
    vio_post(&q, 0);
    long rc = vio_notify(&q);
    if (rc != 1)
        rvt_failure("notify of one request returned %s, expected 1", rv_errname(rc));
    struct rv_vring_used_elem e = vio_take_used(&q);
    RVT_EXPECT_EQ(e.id, 0, "used id of the request");
    if (type == RV_VIRTIO_BLK_T_IN && r->status == RV_VIRTIO_BLK_S_OK)
        RVT_EXPECT_EQ(e.len, total(p, n) + 1, "used len: the data and the status byte");
    return r->status;
}

/* The pieces get the bytes of disk positions sector*512 on, then go to the disk. */
static void write_pieces(uint64_t sector, const struct piece *p, unsigned n, uint32_t seed, const char *what)
{
    uint64_t pos = sector * SECTOR;
    for (unsigned i = 0; i < n; i++)
        for (uint32_t j = 0; j < p[i].len; j++)
            arena[p[i].off + j] = pat(pos++, seed);
    if (request(RV_VIRTIO_BLK_T_OUT, sector, p, n) != RV_VIRTIO_BLK_S_OK)
        rvt_failure("%s: the write of %u bytes at sector %llu failed", what, total(p, n),
                    (unsigned long long)sector);
}

/*
 * Reads into the pieces with the rest of the arena a canary: each byte must
 * be the disk's, and no byte outside the pieces may have changed.
 */
static void read_pieces(uint64_t sector, const struct piece *p, unsigned n, uint32_t seed, const char *what)
{
    memset(arena, CANARY, ARENA);
    if (request(RV_VIRTIO_BLK_T_IN, sector, p, n) != RV_VIRTIO_BLK_S_OK)
        rvt_failure("%s: the read of %u bytes at sector %llu failed", what, total(p, n), (unsigned long long)sector);
    uint64_t pos = sector * SECTOR;
    for (unsigned i = 0; i < n; i++)
        for (uint32_t j = 0; j < p[i].len; j++, pos++) {
            uint8_t *b = &arena[p[i].off + j];
            if (*b != pat(pos, seed))
                rvt_failure("%s: piece %u byte %u (machine 0x%llx, disk byte %llu) is 0x%02x, expected 0x%02x", what,
                            i, j, (unsigned long long)vio_maddr(b), (unsigned long long)pos, *b, pat(pos, seed));
            *b = CANARY;
        }
    for (uint32_t o = 0; o < ARENA; o++)
        if (arena[o] != CANARY)
            rvt_failure("%s: arena byte %u (machine 0x%llx), outside every piece, was written (0x%02x)", what, o,
                        (unsigned long long)vio_maddr(&arena[o]), arena[o]);
}

/* A 64 KiB machine boundary with at least 64 KiB of the arena below it. */
static void find_boundary(void)
{
    uint64_t m = vio_maddr(arena + 65536);
    b64 = 65536 + (uint32_t)((0x10000 - (m & 0xffff)) & 0xffff);
    RVT_EXPECT_EQ(vio_maddr(arena + b64) & 0xffff, 0, "a 64 KiB boundary in the arena");
    rvt_log("arena at machine 0x%llx, a 64 KiB boundary %u bytes in", (unsigned long long)vio_maddr(arena), b64);
}

static void scattered(void)
{
    /*
     * Written: pieces out of address order, across pages and 64 KiB
     * boundaries, several in one 64 KiB block with gaps between them (they
     * must not share a descriptor) or right after each other (they may);
     * the last makes whole sectors.
     */
    struct piece w[] = {
        { b64 - 3000, 8000 },            /* across a 64 KiB boundary (and pages) */
        { b64 + 6000, 1000 },            /* the same block, 1000 bytes further */
        { b64 + 40000, 612 },
        { b64 + 20000, 900 },            /* the same block, lower */
        { b64 + 20900, 100 },            /* right after the one before */
        { 8192 + 100, 612 },             /* a lower frame */
        { b64 + 131072 + 2048, 200000 }, /* longer than 64 KiB: three boundaries */
        { 20480 + 4000, 200 },           /* across a page boundary */
        { b64 + 61000, 0 },
    };
    w[N(w) - 1].len = (SECTOR - total(w, N(w) - 1) % SECTOR) % SECTOR + 2 * SECTOR;
    uint32_t bytes = total(w, N(w)), sectors = bytes / SECTOR;
    /* Read back: another cut, one piece over two 64 KiB boundaries. */
    struct piece r[] = {
        { b64 + 65536 - 1024, 70000 },
        { b64 + 30000, 2000 },
        { b64 + 10000, 3000 },
        { 12288 + 2, 30000 },
        { b64 + 400000, 0 },
    };
    r[N(r) - 1].len = bytes - total(r, N(r) - 1);
    struct piece plain[] = { { b64 + 600000, bytes } };

    write_pieces(7, w, N(w), 0x5a, "scattered");
    read_pieces(7, r, N(r), 0x5a, "scattered, read back cut differently");
    read_pieces(7, plain, N(plain), 0x5a, "scattered, read back into one buffer");
    rvt_log("%u sectors written from %u pieces, read back from %u and from 1", sectors, (unsigned)N(w), (unsigned)N(r));
}

static void longer_than_a_command(void)
{
    uint32_t bytes = 2051 * SECTOR;
    struct piece w[] = { { b64 - 2, bytes } };
    struct piece r[] = { { 6, 600000 }, { b64 + 700000, bytes - 600000 } };
    write_pieces(600, w, N(w), 0x77, "2051 sectors");
    read_pieces(600, r, N(r), 0x77, "2051 sectors, read back in two pieces");
}

static void odd(void)
{
    struct piece w[] = { { 1, 1023 }, { 8193, 1025 } };     /* odd addresses: by PIO */
    struct piece r_odd[] = { { 4097, 2048 } };
    struct piece r_even[] = { { b64 - 512, 1536 }, { b64 + 2048, 512 } };
    write_pieces(3000, w, N(w), 0x33, "odd addresses");
    read_pieces(3000, r_odd, N(r_odd), 0x33, "odd addresses, read back to an odd address");
    read_pieces(3000, r_even, N(r_even), 0x33, "odd addresses, read back to even ones");
}

void test_main(void)
{
    VIO_EXPECT(vio_op(RV_VIRTIO_GET_STATUS, 0, 0), 0, "disk 0 is there, reset");
    vio_bringup(&q, 0, VIO_V1, 16);
    find_boundary();
    scattered();
    longer_than_a_command();
    odd();
    rvt_success();
}
