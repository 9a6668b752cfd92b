/* SPDX-License-Identifier: MIT */
/*
 * vio-next: in-memory disks made from Multiboot modules (disk=next).
 * Module line: disk=next disk=next:ro, with two copies of
 * build/tests/conformance/virtio-disk.img (133420 bytes; byte o is
 * VIO_IMG_BYTE(o)) following the test's module.
 * - The capacity is the module's length in sectors, rounded up; the bytes
 *   past the module's end read as zeros.
 * - Every sector reads as the module's bytes.
 * - Writes land (copy-on-write): a written sector reads back new, its
 *   neighbours in the same 4 KiB page keep the module's bytes.
 * - disk=next:ro: RO offered, writes are IOERR.
 */
#include "viokit.h"

#define IMG_LEN 133420u
#define IMG_SECTORS ((IMG_LEN + 511) / 512)
#define VIO_IMG_BYTE(o) ((uint8_t)((((o) >> 9) * 31 + ((o) & 511) * 3 + 1) & 255))

static struct rv_vblk disk, rodisk;
static uint8_t buf[IMG_SECTORS * 512] __attribute__((aligned(4096)));

static void expect_image(const uint8_t *p, uint32_t first_sector, uint32_t count, const char *what)
{
    for (uint32_t i = 0; i < count * 512; i++) {
        uint32_t o = first_sector * 512 + i;
        uint8_t want = o < IMG_LEN ? VIO_IMG_BYTE(o) : 0;
        if (p[i] != want)
            rvt_failure("%s: disk byte %u is 0x%02x, expected 0x%02x", what, o, p[i], want);
    }
}

void test_main(void)
{
    static uint8_t one[512];
    VIO_EXPECT(rv_vblk_open(&disk, 0), 0, "opening disk0");
    VIO_EXPECT(rv_vblk_open(&rodisk, 1), 0, "opening disk1");
    RVT_EXPECT_EQ(disk.capacity, IMG_SECTORS, "capacity: the module's length in sectors, rounded up");
    VIO_EXPECT(rv_vblk_read(&disk, 0, buf, IMG_SECTORS), 0, "reading the whole disk");
    expect_image(buf, 0, IMG_SECTORS, "the disk as booted");
    VIO_EXPECT(rv_vblk_read(&disk, IMG_SECTORS, buf, 1), RV_VIRTIO_BLK_S_IOERR, "a read past the end");
    /* Copy-on-write: sector 1 and sector 258 change, their pages' other sectors do not. */
    memset(one, 0xc3, sizeof(one));
    VIO_EXPECT(rv_vblk_write(&disk, 1, one, 1), 0, "writing sector 1");
    VIO_EXPECT(rv_vblk_write(&disk, 258, one, 1), 0, "writing sector 258");
    VIO_EXPECT(rv_vblk_read(&disk, 0, buf, IMG_SECTORS), 0, "reading the whole disk again");
    expect_image(buf, 0, 1, "sector 0 after writing sector 1");
    for (int i = 0; i < 512; i++)
        if (buf[512 + i] != 0xc3 || buf[258 * 512 + i] != 0xc3)
            rvt_failure("a written sector does not read back (byte %d)", i);
    expect_image(buf + 2 * 512, 2, 256, "sectors 2-257");
    expect_image(buf + 259 * 512, 259, IMG_SECTORS - 259, "the sectors after 258 (the module's tail, then zeros)");
    /* The read-only copy. */
    RVT_EXPECT_TRUE(rodisk.ro, "disk=next:ro offers RO");
    VIO_EXPECT(rv_vblk_write(&rodisk, 1, one, 1), RV_VIRTIO_BLK_S_IOERR, "a write to disk=next:ro");
    VIO_EXPECT(rv_vblk_read(&rodisk, 0, buf, IMG_SECTORS), 0, "reading the read-only disk");
    expect_image(buf, 0, IMG_SECTORS, "the read-only disk");
    rvt_success();
}
