/* SPDX-License-Identifier: MIT */
/*
 * vio-ata: a region of the machine's ATA disk (disk=ata0:START+COUNT),
 * across boots.  Module line: disk=ata0:2048+8192, on the runner's drive
 * (QEMU's IDE disk 0, kept between the boots of one run).
 *   mode=write   writes pattern A to sectors 0-255 and the last 16
 *                sectors, flushes, reads it back; a sector at COUNT or
 *                beyond is IOERR.
 *   mode=crash   writes pattern B to sectors 1000-1063 without a flush,
 *                reads it back, then crashes (sched_op shutdown crash):
 *                a completed write is on the disk whatever the guest does.
 *   mode=verify  (a later boot) finds patterns A and B.
 *   mode=open    only opens the disk (for the refusal tests' neighbours).
 */
#include "viokit.h"

#define COUNT 8192
static struct rv_vblk disk;
static uint8_t buf[256 * 512] __attribute__((aligned(4096)));

static uint8_t pat(uint64_t sector, uint32_t i, uint32_t seed)
{
    uint32_t x = (uint32_t)sector * 0x9e3779b1u ^ i * 0x85ebca6bu ^ seed;
    return (uint8_t)(x ^ (x >> 15) ^ (x >> 27));
}

static void fill(uint64_t sector, uint32_t n, uint32_t seed)
{
    for (uint32_t s = 0; s < n; s++)
        for (uint32_t i = 0; i < 512; i++)
            buf[s * 512 + i] = pat(sector + s, i, seed);
}

static void expect(uint64_t sector, uint32_t n, uint32_t seed, const char *what)
{
    memset(buf, 0, n * 512);
    long r = rv_vblk_read(&disk, sector, buf, n);
    if (r)
        rvt_failure("%s: reading %u sectors at %llu: %ld", what, n, (unsigned long long)sector, r);
    for (uint32_t s = 0; s < n; s++)
        for (uint32_t i = 0; i < 512; i++)
            if (buf[s * 512 + i] != pat(sector + s, i, seed))
                rvt_failure("%s: sector %llu byte %u is 0x%02x, expected 0x%02x", what,
                            (unsigned long long)(sector + s), i, buf[s * 512 + i], pat(sector + s, i, seed));
}

static void write(uint64_t sector, uint32_t n, uint32_t seed)
{
    fill(sector, n, seed);
    VIO_EXPECT(rv_vblk_write(&disk, sector, buf, n), 0, "a write");
}

static int is_mode(const char *m)
{
    const char *v = rv_cmdline_value("mode");
    size_t n = strlen(m);
    return v && strncmp(v, m, n) == 0 && (v[n] == ' ' || v[n] == '\0');
}

void test_main(void)
{
    VIO_EXPECT(rv_vblk_open(&disk, 0), 0, "opening the disk");
    if (is_mode("open"))
        rvt_success();
    RVT_EXPECT_EQ(disk.capacity, COUNT, "the capacity is the region's COUNT");
    if (is_mode("write")) {
        write(0, 256, 0xa);
        write(COUNT - 16, 16, 0xa);
        VIO_EXPECT(rv_vblk_flush(&disk), 0, "FLUSH");
        expect(0, 256, 0xa, "read back");
        expect(COUNT - 16, 16, 0xa, "read back (the end)");
        VIO_EXPECT(rv_vblk_read(&disk, COUNT, buf, 1), RV_VIRTIO_BLK_S_IOERR, "a read at COUNT");
        VIO_EXPECT(rv_vblk_write(&disk, COUNT - 1, buf, 2), RV_VIRTIO_BLK_S_IOERR, "a write running past COUNT");
        expect(COUNT - 16, 16, 0xa, "the end after a refused write");
        rvt_success();
    }
    if (is_mode("crash")) {
        write(1000, 64, 0xb);
        expect(1000, 64, 0xb, "read back before the crash");
        rvt_log("written without a flush; crashing now");
        rv_crash();
    }
    if (is_mode("verify")) {
        expect(0, 256, 0xa, "pattern A, written and flushed in an earlier boot");
        expect(COUNT - 16, 16, 0xa, "pattern A at the end");
        expect(1000, 64, 0xb, "pattern B, written by a guest that then crashed");
        rvt_success();
    }
    rvt_error("args mode=write, crash, verify or open");
}
