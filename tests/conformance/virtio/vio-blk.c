/* SPDX-License-Identifier: MIT */
/*
 * vio-blk: virtio-blk requests (ABI.md "Devices", virtio 1.1, 5.2).
 * Module line: disk=ram:1M disk=ram:64K:ro.
 * - Through libpvguest: writes of 1 .. 300 sectors at various places read
 *   back byte for byte; FLUSH is OK; GET_ID names the disk.
 * - Out of range: a sector at or past the capacity, a range running past
 *   it, a huge sector: IOERR, and nothing written.  A data length that is
 *   not whole sectors: IOERR.  An unknown type: UNSUPP.  A write to a
 *   read-only disk: IOERR (reads work; RO is offered).
 * - Framing is free (2.6.4): a header cut in two, data in several
 *   descriptors across page boundaries, header and data in one
 *   descriptor, data and status in one; used len counts the bytes written.
 * - Batching: several requests made available, one NOTIFY uses all and
 *   returns how many.
 * - Event index: the device writes avail_event = the available index it
 *   has reached; it raises its event channel only when the used index
 *   passes used_event.  Without EVENT_IDX, NO_INTERRUPT suppresses it.
 * - Two disks are independent.
 */
#include "viokit.h"

#define CAP 2048
#define BIG 300

static struct rv_vblk disk, rodisk;
static uint8_t buf[BIG * 512] __attribute__((aligned(4096)));
static uint8_t chk[BIG * 512] __attribute__((aligned(4096)));
static struct vio_q q;
static unsigned port;

static uint8_t pat(uint64_t sector, uint32_t i, uint32_t seed)
{
    return (uint8_t)((sector * 131 + i * 7 + seed * 29) ^ (i >> 8));
}

static void fill(uint8_t *p, uint64_t sector, uint32_t count, uint32_t seed)
{
    for (uint32_t s = 0; s < count; s++)
        for (uint32_t i = 0; i < 512; i++)
            p[s * 512 + i] = pat(sector + s, i, seed);
}

static void expect_pattern(const uint8_t *p, uint64_t sector, uint32_t count, uint32_t seed, const char *what)
{
    for (uint32_t s = 0; s < count; s++)
        for (uint32_t i = 0; i < 512; i++)
            if (p[s * 512 + i] != pat(sector + s, i, seed))
                rvt_failure("%s: sector %llu byte %u is 0x%02x, expected 0x%02x", what,
                            (unsigned long long)(sector + s), i, p[s * 512 + i], pat(sector + s, i, seed));
}

static void check_io(void)
{
    static const struct { uint64_t sector; uint32_t count; } io[] = {
        { 0, 1 }, { 1, 8 }, { 9, 7 }, { 100, 255 }, { 400, 256 }, { 700, 300 }, { CAP - 1, 1 }, { CAP - 300, 300 },
    };
    char id[RV_VIRTIO_BLK_ID_BYTES + 1];
    for (unsigned k = 0; k < sizeof(io) / sizeof(io[0]); k++) {
        fill(buf, io[k].sector, io[k].count, k);
        VIO_EXPECT(rv_vblk_write(&disk, io[k].sector, buf, io[k].count), 0, "a write");
        memset(chk, 0, sizeof(chk));
        VIO_EXPECT(rv_vblk_read(&disk, io[k].sector, chk, io[k].count), 0, "a read");
        expect_pattern(chk, io[k].sector, io[k].count, k, "read back");
    }
    VIO_EXPECT(rv_vblk_flush(&disk), 0, "FLUSH");
    VIO_EXPECT(rv_vblk_read(&disk, 1, chk, 8), 0, "a read after other writes");
    expect_pattern(chk, 1, 8, 1, "sectors 1-8 after later writes elsewhere");
    VIO_EXPECT(rv_vblk_get_id(&disk, id), 0, "GET_ID");
    char want[32];
    rv_snprintf(want, sizeof(want), "ringvisor-d%u-disk0", rv_start_info->domid);
    want[RV_VIRTIO_BLK_ID_BYTES] = '\0';
    RVT_EXPECT_TRUE(strcmp(id, want) == 0, "GET_ID names the domain and the disk");
    rvt_log("%u requests in %u notifies (%u spared by the event index)", disk.dev.notifies + disk.dev.notifies_saved,
            disk.dev.notifies, disk.dev.notifies_saved);
}

static void check_range(void)
{
    memset(buf, 0x77, 2 * 512);
    VIO_EXPECT(rv_vblk_write(&disk, CAP, buf, 1), RV_VIRTIO_BLK_S_IOERR, "a write at the capacity");
    VIO_EXPECT(rv_vblk_read(&disk, CAP, buf, 1), RV_VIRTIO_BLK_S_IOERR, "a read at the capacity");
    VIO_EXPECT(rv_vblk_write(&disk, CAP - 1, buf, 2), RV_VIRTIO_BLK_S_IOERR, "a write running past the end");
    VIO_EXPECT(rv_vblk_read(&disk, 0xffffffffffffffffull, buf, 1), RV_VIRTIO_BLK_S_IOERR, "sector 2^64-1");
    VIO_EXPECT(rv_vblk_write(&disk, 1ull << 55, buf, 1), RV_VIRTIO_BLK_S_IOERR, "sector 2^55");
    VIO_EXPECT(rv_vblk_read(&disk, CAP - 300, chk, 300), 0, "the last sectors");
    expect_pattern(chk, CAP - 300, 300, 7, "the end of the disk after refused writes");
    /* Raw: lengths that are not whole sectors, an unknown type. */
    vio_bringup(&q, disk.dev.index, VIO_V1 | VIO_EVIDX, 128);
    RVT_EXPECT_EQ(vio_blk_do(&q, RV_VIRTIO_BLK_T_IN, 0, buf, 100), RV_VIRTIO_BLK_S_IOERR, "a 100-byte read");
    RVT_EXPECT_EQ(vio_blk_do(&q, RV_VIRTIO_BLK_T_OUT, 0, buf, 513), RV_VIRTIO_BLK_S_IOERR, "a 513-byte write");
    RVT_EXPECT_EQ(vio_blk_do(&q, 99, 0, buf, 512), RV_VIRTIO_BLK_S_UNSUPP, "request type 99");
    RVT_EXPECT_EQ(vio_blk_do(&q, RV_VIRTIO_BLK_T_IN, 0, 0, 0), RV_VIRTIO_BLK_S_OK, "a read of 0 sectors");
    /* The read-only disk. */
    RVT_EXPECT_TRUE(rodisk.ro, "RO offered and negotiated on the read-only disk");
    VIO_EXPECT(rv_vblk_write(&rodisk, 0, buf, 1), RV_VIRTIO_BLK_S_IOERR, "a write to a read-only disk");
    VIO_EXPECT(rv_vblk_read(&rodisk, 0, buf, 1), 0, "a read of the read-only disk");
    VIO_EXPECT(rv_vblk_flush(&rodisk), 0, "FLUSH of the read-only disk");
    for (int i = 0; i < 512; i++)
        if (buf[i])
            rvt_failure("the read-only blank disk is not blank (byte %d)", i);
}

/* Writes sectors 50.. with descriptors cut oddly, reads them back through libpvguest. */
static void check_framing(void)
{
    uint8_t *page = vio_page(), *page2 = vio_page();
    struct vio_req *r = &vio_reqs[1];
    struct rv_vring_used_elem e;
    vio_bringup(&q, disk.dev.index, VIO_V1 | VIO_EVIDX, 128);
    /* A header in two descriptors, data in three across a page boundary. */
    fill(buf, 50, 2, 50);
    r->hdr = (struct rv_virtio_blk_req){ RV_VIRTIO_BLK_T_OUT, 0, 50 };
    r->status = 0xee;
    uint8_t *src = (uint8_t *)((uint32_t)(buf + 4096 - 100));
    memmove(src, buf, 1024);
    vio_desc(&q, 0, vio_maddr(&r->hdr), 8, RV_VRING_DESC_F_NEXT, 7);
    vio_desc(&q, 7, vio_maddr((uint8_t *)&r->hdr + 8), 8, RV_VRING_DESC_F_NEXT, 3);
    vio_desc(&q, 3, vio_maddr(src), 100, RV_VRING_DESC_F_NEXT, 4);
    vio_desc(&q, 4, vio_maddr(src + 100), 900, RV_VRING_DESC_F_NEXT, 5);
    vio_desc(&q, 5, vio_maddr(src + 1000), 24, RV_VRING_DESC_F_NEXT, 6);
    vio_desc(&q, 6, vio_maddr(&r->status), 1, RV_VRING_DESC_F_WRITE, 0);
    vio_post(&q, 0);
    VIO_EXPECT(vio_notify(&q), 1, "NOTIFY of a write cut in six descriptors");
    e = vio_take_used(&q);
    RVT_EXPECT_EQ(e.id, 0, "its used id");
    RVT_EXPECT_EQ(e.len, 1, "used len of a write: the status byte");
    RVT_EXPECT_EQ(r->status, RV_VIRTIO_BLK_S_OK, "its status");
    /* Header and data in one readable descriptor. */
    memcpy(page, &(struct rv_virtio_blk_req){ RV_VIRTIO_BLK_T_OUT, 0, 60 }, 16);
    fill(page + 16, 60, 1, 60);
    vio_desc(&q, 10, vio_maddr(page), 16 + 512, RV_VRING_DESC_F_NEXT, 11);
    vio_desc(&q, 11, vio_maddr(&r->status), 1, RV_VRING_DESC_F_WRITE, 0);
    r->status = 0xee;
    vio_post(&q, 10);
    VIO_EXPECT(vio_notify(&q), 1, "NOTIFY of header and data in one descriptor");
    e = vio_take_used(&q);
    RVT_EXPECT_EQ(r->status, RV_VIRTIO_BLK_S_OK, "its status");
    /* A read whose data and status share one writable descriptor. */
    r->hdr = (struct rv_virtio_blk_req){ RV_VIRTIO_BLK_T_IN, 0, 50 };
    memset(page2, 0xee, 1025);
    vio_desc(&q, 20, vio_maddr(&r->hdr), 16, RV_VRING_DESC_F_NEXT, 21);
    vio_desc(&q, 21, vio_maddr(page2), 1025, RV_VRING_DESC_F_WRITE, 0);
    vio_post(&q, 20);
    VIO_EXPECT(vio_notify(&q), 1, "NOTIFY of a read with data and status together");
    e = vio_take_used(&q);
    RVT_EXPECT_EQ(e.id, 20, "its used id");
    RVT_EXPECT_EQ(e.len, 1025, "used len of a read: data and status");
    RVT_EXPECT_EQ(page2[1024], RV_VIRTIO_BLK_S_OK, "its status, after the data");
    expect_pattern(page2, 50, 2, 50, "the write cut in six, read back");
    RVT_EXPECT_EQ(vio_blk_do(&q, RV_VIRTIO_BLK_T_IN, 60, chk, 512), RV_VIRTIO_BLK_S_OK, "reading sector 60");
    expect_pattern(chk, 60, 1, 60, "header and data in one descriptor");
}

/* Eight requests made available, one NOTIFY. */
static void check_batch(void)
{
    vio_bringup(&q, disk.dev.index, VIO_V1 | VIO_EVIDX, 128);
    fill(buf, 200, 8, 200);
    for (unsigned k = 0; k < 8; k++)
        vio_blk_post(&q, k, RV_VIRTIO_BLK_T_OUT, 200 + k, buf + k * 512, 512);
    VIO_EXPECT(vio_notify(&q), 8, "one NOTIFY for 8 requests");
    RVT_EXPECT_EQ(vio_used_new(&q), 8, "8 used entries");
    for (unsigned k = 0; k < 8; k++) {
        struct rv_vring_used_elem e = vio_take_used(&q);
        RVT_EXPECT_EQ(e.id, 3 * k, "used in order");
        RVT_EXPECT_EQ(vio_reqs[k].status, RV_VIRTIO_BLK_S_OK, "each status");
    }
    VIO_EXPECT(vio_notify(&q), 0, "NOTIFY with nothing new");
    RVT_EXPECT_EQ(vio_blk_do(&q, RV_VIRTIO_BLK_T_IN, 200, chk, 8 * 512), RV_VIRTIO_BLK_S_OK,
                  "reading the batch back");
    expect_pattern(chk, 200, 8, 200, "the batch");
}

static void requests(unsigned n, unsigned first_k)
{
    for (unsigned k = first_k; k < first_k + n; k++)
        vio_blk_post(&q, k, RV_VIRTIO_BLK_T_IN, k, buf + k * 512, 512);
    RVT_EXPECT_EQ(vio_notify(&q), (long)n, "NOTIFY");
}

static void check_event_index(void)
{
    vio_bringup(&q, disk.dev.index, VIO_V1 | VIO_EVIDX, 128);
    rv_evtchn_test_and_clear(port);
    *rv_vring_used_event(q.avail, q.size) = 5;      /* an event when the used index passes 5 */
    requests(3, 0);
    RVT_EXPECT_EQ(*rv_vring_avail_event(q.used, q.size), 3, "avail_event: the device has seen 3");
    RVT_EXPECT_TRUE(!rv_evtchn_is_pending(port), "no event for used 0 -> 3 (used_event 5)");
    requests(2, 3);
    RVT_EXPECT_TRUE(!rv_evtchn_is_pending(port), "no event for used 3 -> 5 (used_event 5)");
    requests(1, 5);
    RVT_EXPECT_TRUE(rv_evtchn_test_and_clear(port), "an event for used 5 -> 6 (used_event 5)");
    RVT_EXPECT_EQ(*rv_vring_avail_event(q.used, q.size), 6, "avail_event: the device has seen 6");
    *rv_vring_used_event(q.avail, q.size) = 6;
    requests(4, 6);
    RVT_EXPECT_TRUE(rv_evtchn_test_and_clear(port), "an event for used 6 -> 10 (used_event 6)");
    /* Without EVENT_IDX: NO_INTERRUPT. */
    vio_bringup(&q, disk.dev.index, VIO_V1, 128);
    rv_evtchn_test_and_clear(port);
    q.avail->flags = RV_VRING_AVAIL_F_NO_INTERRUPT;
    requests(2, 0);
    RVT_EXPECT_TRUE(!rv_evtchn_is_pending(port), "no event with NO_INTERRUPT");
    q.avail->flags = 0;
    requests(1, 2);
    RVT_EXPECT_TRUE(rv_evtchn_test_and_clear(port), "an event without NO_INTERRUPT");
    RVT_EXPECT_EQ(*rv_vring_avail_event(q.used, q.size), 0, "no avail_event written without EVENT_IDX");
}

void test_main(void)
{
    VIO_EXPECT(rv_vblk_open(&disk, 0), 0, "opening disk0");
    VIO_EXPECT(rv_vblk_open(&rodisk, 1), 0, "opening disk1");
    RVT_EXPECT_EQ(disk.capacity, CAP, "capacity of a 1M disk");
    RVT_EXPECT_EQ(rodisk.capacity, 128, "capacity of a 64K disk");
    port = disk.dev.info.evtchn;
    check_io();
    check_range();
    check_framing();
    check_batch();
    check_event_index();
    rvt_success();
}
