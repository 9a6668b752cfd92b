/* SPDX-License-Identifier: MIT */
/*
 * vio-config: device configuration space (CONFIG_READ, CONFIG_WRITE).
 * Module line: disk=ram:1M console=virtio.
 * - Block: capacity (8 bytes at 0) is 2048 sectors, seg_max, blk_size
 *   512, read with 1, 2, 4 or 8 bytes, little-endian; no field is
 *   writable (-EPERM).
 * - Console: 12 bytes, cols/rows/max_nr_ports 0 (not offered); emerg_wr
 *   (offset 8) prints a character; the other fields are -EPERM to write.
 * - A length other than 1, 2, 4, 8 is -EINVAL; a range not inside the
 *   configuration (also one that wraps) is -ERANGE; a bad pointer -EFAULT
 *   (a read writes the value back, so a read-only struct is -EFAULT too).
 */
#include "viokit.h"

static struct rv_virtio_config c;

static long cfg(unsigned cmd, unsigned dev, uint32_t off, uint32_t len, uint64_t val)
{
    c = (struct rv_virtio_config){ off, len, val };
    return vio_op(cmd, dev, (unsigned long)&c);
}

static uint64_t rd(unsigned dev, uint32_t off, uint32_t len)
{
    long r = cfg(RV_VIRTIO_CONFIG_READ, dev, off, len, 0xdeadbeefcafef00dull);
    if (r)
        rvt_failure("CONFIG_READ %u bytes at %u: %s", len, off, rv_errname(r));
    return c.value;
}

static void check_block(void)
{
    RVT_EXPECT_EQ(rd(0, 0, 8), 2048, "capacity (8 bytes)");
    RVT_EXPECT_EQ(rd(0, 0, 4), 2048, "capacity (low 4 bytes)");
    RVT_EXPECT_EQ(rd(0, 4, 4), 0, "capacity (high 4 bytes)");
    RVT_EXPECT_EQ(rd(0, 1, 1), 8, "capacity byte 1 (little-endian)");
    RVT_EXPECT_EQ(rd(0, 0, 2), 2048, "capacity (2 bytes)");
    RVT_EXPECT_TRUE(rd(0, 12, 4) >= 1, "seg_max");
    RVT_EXPECT_EQ(rd(0, 20, 4), 512, "blk_size");
    RVT_EXPECT_EQ(rd(0, 16, 8) >> 32, 512, "an 8-byte read across fields");
    VIO_EXPECT(cfg(RV_VIRTIO_CONFIG_READ, 0, 0, 3, 0), -RV_EINVAL, "a 3-byte read");
    VIO_EXPECT(cfg(RV_VIRTIO_CONFIG_READ, 0, 0, 0, 0), -RV_EINVAL, "a 0-byte read");
    VIO_EXPECT(cfg(RV_VIRTIO_CONFIG_READ, 0, 0, 16, 0), -RV_EINVAL, "a 16-byte read");
    VIO_EXPECT(cfg(RV_VIRTIO_CONFIG_READ, 0, 24, 1, 0), -RV_ERANGE, "a read just past the end");
    VIO_EXPECT(cfg(RV_VIRTIO_CONFIG_READ, 0, 20, 8, 0), -RV_ERANGE, "a read running past the end");
    VIO_EXPECT(cfg(RV_VIRTIO_CONFIG_READ, 0, 0xfffffff8u, 8, 0), -RV_ERANGE, "a read whose end wraps");
    VIO_EXPECT(cfg(RV_VIRTIO_CONFIG_READ, 0, RV_VIRTIO_CONFIG_MAX, 1, 0), -RV_ERANGE, "a read at 256");
    VIO_EXPECT(cfg(RV_VIRTIO_CONFIG_WRITE, 0, 0, 8, 1), -RV_EPERM, "writing the capacity");
    VIO_EXPECT(cfg(RV_VIRTIO_CONFIG_WRITE, 0, 20, 4, 4096), -RV_EPERM, "writing blk_size");
    VIO_EXPECT(cfg(RV_VIRTIO_CONFIG_WRITE, 0, 24, 4, 0), -RV_ERANGE, "a write past the end");
    VIO_EXPECT(cfg(RV_VIRTIO_CONFIG_WRITE, 0, 0, 5, 0), -RV_EINVAL, "a 5-byte write");
    RVT_EXPECT_EQ(rd(0, 0, 8), 2048, "the capacity after the refused writes");
}

static void check_console(void)
{
    static const char msg[] = "emerg_wr works\n";
    RVT_EXPECT_EQ(rd(1, 0, 8), 0, "cols, rows, max_nr_ports (not offered)");
    RVT_EXPECT_EQ(rd(1, 8, 4), 0, "emerg_wr reads 0");
    VIO_EXPECT(cfg(RV_VIRTIO_CONFIG_READ, 1, 12, 1, 0), -RV_ERANGE, "a read past the console's 12 bytes");
    VIO_EXPECT(cfg(RV_VIRTIO_CONFIG_WRITE, 1, 0, 2, 80), -RV_EPERM, "writing cols");
    VIO_EXPECT(cfg(RV_VIRTIO_CONFIG_WRITE, 1, 4, 4, 1), -RV_EPERM, "writing max_nr_ports");
    rv_console_flush();
    for (const char *p = msg; *p; p++)
        VIO_EXPECT(cfg(RV_VIRTIO_CONFIG_WRITE, 1, 8, 4, (uint8_t)*p), 0, "writing emerg_wr");
}

static void check_efault(void)
{
    VIO_EXPECT(vio_op(RV_VIRTIO_CONFIG_READ, 0, 0), -RV_EFAULT, "CONFIG_READ with NULL");
    VIO_EXPECT(vio_op(RV_VIRTIO_CONFIG_READ, 0, VIO_HOLE), -RV_EFAULT, "CONFIG_READ in the hole");
    struct rv_virtio_config good = { 0, 8, 0 };
    uint32_t ro = vio_readonly_copy(&good, sizeof(good));
    VIO_EXPECT(vio_op(RV_VIRTIO_CONFIG_READ, 0, ro), -RV_EFAULT, "CONFIG_READ of a read-only struct");
    RVT_EXPECT_EQ(((const struct rv_virtio_config *)ro)->value, 0, "the read-only struct is unchanged");
    VIO_EXPECT(vio_op(RV_VIRTIO_CONFIG_WRITE, 0, ro), -RV_EPERM, "CONFIG_WRITE from a read-only struct (only read)");
    VIO_EXPECT(vio_op(RV_VIRTIO_CONFIG_WRITE, 0, 0), -RV_EFAULT, "CONFIG_WRITE with NULL");
    VIO_EXPECT(vio_op(RV_VIRTIO_CONFIG_WRITE, 0, VIO_HOLE - 8), -RV_EFAULT, "CONFIG_WRITE across the hole");
}

void test_main(void)
{
    check_block();
    check_console();
    check_efault();
    rvt_success();
}
