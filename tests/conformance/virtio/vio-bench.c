/* SPDX-License-Identifier: MIT */
/*
 * vio-bench: block throughput through virtio-blk and libpvguest's driver
 * (TSC time, pvguest/time.h), reported in the RESULT line; it always
 * passes unless a request fails.  Args: mib=N (default 4), chunk=SECTORS
 * (default 128 = 64 KiB).  Sequential writes and a flush, twice (the first
 * time an in-memory disk takes its frames), then reads, then 64 reads of
 * 4 KiB for the cost of one small request.  MB/s = 10^6 bytes per second.
 */
#include "viokit.h"

#define MAX_CHUNK 256

static uint8_t buf[MAX_CHUNK * 512] __attribute__((aligned(4096)));
static struct rv_vblk disk;

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

static const char *mbs(uint64_t bytes, uint64_t ns, char *out)
{
    uint64_t v = ns ? bytes * 100000ull / ns : 0;
    rv_snprintf(out, 24, "%llu.%02llu", (unsigned long long)(v / 100), (unsigned long long)(v % 100));
    return out;
}

void test_main(void)
{
    char a[24], b[24], c[24], id[RV_VIRTIO_BLK_ID_BYTES + 1];
    uint32_t chunk = (uint32_t)rv_cmdline_int("chunk", 128);
    uint64_t sectors = (uint64_t)rv_cmdline_int("mib", 4) * 2048, first, again, rd;
    if (chunk < 1 || chunk > MAX_CHUNK)
        rvt_error("chunk=1..256");
    VIO_EXPECT(rv_vblk_open(&disk, 0), 0, "opening the disk");
    rv_vblk_get_id(&disk, id);
    if (sectors > disk.capacity)
        sectors = disk.capacity / chunk * chunk;
    for (uint32_t i = 0; i < sizeof(buf); i++)
        buf[i] = (uint8_t)(i * 7);
    VIO_EXPECT(pass(1, sectors, chunk, &first), 0, "the first writes");
    VIO_EXPECT(pass(1, sectors, chunk, &again), 0, "the writes again");
    VIO_EXPECT(pass(0, sectors, chunk, &rd), 0, "the reads");
    uint64_t t0 = rv_time_ns();
    for (int i = 0; i < 64; i++)
        VIO_EXPECT(rv_vblk_read(&disk, (uint64_t)i * 8, buf, 8), 0, "a 4 KiB read");
    uint64_t small = (rv_time_ns() - t0) / 64;
    rvt_log("%s: %llu KiB in %u-sector requests", id, (unsigned long long)sectors / 2, chunk);
    rv_printf("RESULT: SUCCESS first write %s MB/s, write %s MB/s, read %s MB/s, 4 KiB read %llu us\n",
              mbs(sectors * 512, first, c), mbs(sectors * 512, again, a), mbs(sectors * 512, rd, b),
              (unsigned long long)small / 1000);
    rv_shutdown(0);
}
