/* SPDX-License-Identifier: MIT */
/*
 * tests/guests/blkbench.c: block throughput through virtio-blk and
 * libpvguest's driver, timed with the TSC (pvguest/time.h).
 *
 *   module line:  blkbench.elf disk=ram:16M -- [mib=N] [chunk=SECTORS]
 *
 * For each of its disks: sequential writes of mib MiB (default 4) in
 * requests of chunk sectors (default 128 = 64 KiB) and a flush, twice (the
 * first time an in-memory disk takes a frame for each page it writes),
 * then the same reads; and the time of one 4 KiB read request.  MB/s are 10^6 bytes per
 * second of system time.  Each request is one notify hypercall in which
 * the monitor does the whole transfer, so the figures are the monitor's
 * copy (memory) or the ATA disk's (bus-master DMA, or PIO) speed plus one
 * hypercall per request.
 */
#include <pvguest.h>

#define MAX_CHUNK 256

static uint8_t buf[MAX_CHUNK * 512] __attribute__((aligned(4096)));
static struct rv_vblk disk;

/* "12.34" from a value in hundredths. */
static const char *hundredths(uint64_t v, char *out)
{
    rv_snprintf(out, 24, "%llu.%02llu", (unsigned long long)(v / 100), (unsigned long long)(v % 100));
    return out;
}

/* MB/s in hundredths for bytes in ns. */
static uint64_t rate(uint64_t bytes, uint64_t ns)
{
    return ns ? bytes * 100000ull / ns : 0;
}

static long pass(int write, uint64_t sectors, uint32_t chunk, uint64_t *ns)
{
    uint64_t t0 = rv_time_ns();
    for (uint64_t s = 0; s < sectors; s += chunk) {
        long r = write ? rv_vblk_write(&disk, s, buf, chunk) : rv_vblk_read(&disk, s, buf, chunk);
        if (r)
            return r;
    }
    long r = write ? rv_vblk_flush(&disk) : 0;
    *ns = rv_time_ns() - t0;
    return r;
}

static int bench(unsigned nth)
{
    char a[24], b[24], c[24], id[RV_VIRTIO_BLK_ID_BYTES + 1];
    uint32_t chunk = (uint32_t)rv_cmdline_int("chunk", 128);
    uint64_t mib = (uint64_t)rv_cmdline_int("mib", 4), wns, rns;
    if (chunk < 1 || chunk > MAX_CHUNK)
        chunk = 128;
    if (rv_vblk_open(&disk, nth) < 0)
        return 0;
    rv_vblk_get_id(&disk, id);
    uint64_t sectors = mib * 2048;
    if (sectors > disk.capacity)
        sectors = disk.capacity / chunk * chunk;
    for (uint32_t i = 0; i < sizeof(buf); i++)
        buf[i] = (uint8_t)(i * 7);
    uint64_t fns;
    long r = pass(1, sectors, chunk, &fns);  /* first writes: an in-memory disk takes its frames */
    if (!r)
        r = pass(1, sectors, chunk, &wns);
    if (!r)
        r = pass(0, sectors, chunk, &rns);
    if (r) {
        rv_printf("blkbench: %s: a request failed (%ld)\n", id, r);
        return -1;
    }
    uint64_t t0 = rv_time_ns();
    for (int i = 0; i < 64; i++)
        rv_vblk_read(&disk, 0, buf, 8);
    uint64_t small = (rv_time_ns() - t0) / 64;
    rv_printf("blkbench: %s: %llu KiB in %u-sector requests: first write %s MB/s, write %s MB/s, "
              "read %s MB/s; one 4 KiB read %llu us\n",
              id, (unsigned long long)sectors / 2, chunk, hundredths(rate(sectors * 512, fns), c),
              hundredths(rate(sectors * 512, wns), a), hundredths(rate(sectors * 512, rns), b),
              (unsigned long long)small / 1000);
    return 1;
}

int guest_main(void)
{
    int n = 0, r;
    for (unsigned nth = 0; (r = bench(nth)) > 0; nth++)
        n++;
    if (r < 0)
        return 1;
    if (n == 0)
        rv_printf("blkbench: no virtio disk (give the module disk=ram:16M or disk=ata0:START+COUNT)\n");
    return n ? 0 : 1;
}
