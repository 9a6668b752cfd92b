/* SPDX-License-Identifier: MIT */
/*
 * vnet-desc: a network device's queues, driven by hand (ABI.md "Network
 * devices", "Virtqueues").  Module line: net=switch.
 * - Transmit: a frame in one descriptor or split (header, then frame) is
 *   used at once, used length 0, NOTIFY returns the chains used; a frame
 *   shorter than an Ethernet header or longer than 1518 bytes is used too
 *   (dropped and counted, not an error).  A chain shorter than the
 *   12-byte header is a bad ring (-EINVAL), so are a loop, a zero length,
 *   an index too far ahead (-EINVAL) and a buffer outside the domain
 *   (-EPERM).
 * - Receive: NOTIFY of queue 0 checks what is posted and uses nothing
 *   (returns 0); a buffer the device may read instead of write, one
 *   shorter than the header (-EINVAL), or one in a page table (-EBUSY) is
 *   a bad ring.
 * - A bad ring: NEEDS_RESET, the device's event channel raised, NOTIFY
 *   -EBUSY until a reset, after which the device works again.
 * - With RING_EVENT_IDX the device writes avail_event after each NOTIFY.
 */
#include "../virtio/viokit.h"

#define HDR 12

static struct vio_q rx, tx;
static uint8_t *data;          /* a frame of ours for buffers */
static uint32_t port;

static void fresh(uint64_t features)
{
    struct rv_virtio_info info;
    VIO_EXPECT(rv_virtio_probe(0, &info), 0, "PROBE");
    port = info.evtchn;
    vio_negotiate(0, features);
    vio_queue(&rx, 0, 0, 16);
    vio_queue(&tx, 0, 1, 16);
    vio_ready(0);
    rv_evtchn_test_and_clear(port);
}

/* NOTIFY of q must fail with rc and leave the device wanting a reset. */
static void expect_bad(struct vio_q *q, long rc, const char *what)
{
    VIO_EXPECT(vio_notify(q), rc, what);
    vio_expect_status(0, RV_VIRTIO_S_ACKNOWLEDGE | RV_VIRTIO_S_DRIVER | RV_VIRTIO_S_FEATURES_OK |
                             RV_VIRTIO_S_DRIVER_OK | RV_VIRTIO_S_NEEDS_RESET, "NEEDS_RESET after a bad ring");
    RVT_EXPECT_TRUE(rv_evtchn_test_and_clear(port), "the device raised its event channel (a config change)");
    VIO_EXPECT(vio_notify(q), -RV_EBUSY, "NOTIFY of a device that needs a reset");
    RVT_EXPECT_EQ(vio_used_new(q), 0, "nothing used for the bad chain");
    fresh(VIO_V1);
}

/* A frame of len bytes after a zeroed header, in descriptor 0 (or 0 and 1, split). */
static long send(uint32_t len, int split)
{
    memset(data, 0, HDR);
    memset(data + HDR, 0xff, 6);  /* broadcast: nobody else on this switch here has a ready device */
    if (split) {
        vio_desc(&tx, 0, vio_maddr(data), HDR, RV_VRING_DESC_F_NEXT, 1);
        vio_desc(&tx, 1, vio_maddr(data + HDR), len, 0, 0);
    } else {
        vio_desc(&tx, 0, vio_maddr(data), HDR + len, 0, 0);
    }
    vio_post(&tx, 0);
    return vio_notify(&tx);
}

static void transmit(void)
{
    VIO_EXPECT(send(60, 0), 1, "a 60-byte frame in one descriptor");
    struct rv_vring_used_elem e = vio_take_used(&tx);
    RVT_EXPECT_EQ(e.id, 0, "used id");
    RVT_EXPECT_EQ(e.len, 0, "used length of a transmitted frame");
    RVT_EXPECT_EQ(*rv_vring_avail_event(tx.used, tx.size), tx.avail_idx, "avail_event after NOTIFY");
    VIO_EXPECT(send(1514, 1), 1, "a 1514-byte frame, header and frame in two descriptors");
    vio_take_used(&tx);
    VIO_EXPECT(send(1518, 0), 1, "a 1518-byte frame (VLAN-tagged size)");
    vio_take_used(&tx);
    VIO_EXPECT(send(13, 0), 1, "a frame shorter than an Ethernet header: used, dropped");
    vio_take_used(&tx);
    VIO_EXPECT(send(1519, 0), 1, "a frame longer than 1518 bytes: used, dropped");
    vio_take_used(&tx);
    vio_expect_status(0, RV_VIRTIO_S_ACKNOWLEDGE | RV_VIRTIO_S_DRIVER | RV_VIRTIO_S_FEATURES_OK |
                             RV_VIRTIO_S_DRIVER_OK, "bad frame sizes are not bad rings");

    vio_desc(&tx, 0, vio_maddr(data), HDR - 1, 0, 0);
    vio_post(&tx, 0);
    expect_bad(&tx, -RV_EINVAL, "a transmit chain shorter than the header");
    vio_desc(&tx, 0, vio_end_maddr(), 100, 0, 0);
    vio_post(&tx, 0);
    expect_bad(&tx, -RV_EPERM, "a frame outside the domain");
    vio_desc(&tx, 0, vio_maddr(data), 100, RV_VRING_DESC_F_NEXT, 1);
    vio_desc(&tx, 1, vio_maddr(data), 100, RV_VRING_DESC_F_NEXT, 0);
    vio_post(&tx, 0);
    expect_bad(&tx, -RV_EINVAL, "a looping chain");
    vio_desc(&tx, 0, vio_maddr(data), 0, 0, 0);
    vio_post(&tx, 0);
    expect_bad(&tx, -RV_EINVAL, "a zero-length descriptor");
    vio_desc(&tx, 0, vio_maddr(data), 100, 0, 0);
    tx.avail_idx = 17;
    vio_post(&tx, 0);
    expect_bad(&tx, -RV_EINVAL, "an available index 18 entries ahead of a 16-entry queue");
}

static void post_rx(uint64_t addr, uint32_t len, uint16_t flags)
{
    vio_desc(&rx, 0, addr, len, flags, 0);
    vio_post(&rx, 0);
}

static void receive(void)
{
    for (uint16_t i = 0; i < 8; i++) {
        vio_desc(&rx, i, vio_maddr(data + 512 * i), 512, RV_VRING_DESC_F_WRITE, 0);
        vio_post(&rx, i);
    }
    VIO_EXPECT(vio_notify(&rx), 0, "NOTIFY of good receive buffers: nothing used");
    RVT_EXPECT_EQ(vio_used_new(&rx), 0, "no receive buffer used without a frame");
    VIO_EXPECT(vio_notify(&rx), 0, "NOTIFY again: they are still posted, still good");
    fresh(VIO_V1);
    post_rx(vio_maddr(data), 512, 0);
    expect_bad(&rx, -RV_EINVAL, "a receive buffer the device may only read");
    post_rx(vio_maddr(data), HDR - 1, RV_VRING_DESC_F_WRITE);
    expect_bad(&rx, -RV_EINVAL, "a receive buffer shorter than the header");
    post_rx(vio_pt_maddr(), 512, RV_VRING_DESC_F_WRITE);
    expect_bad(&rx, -RV_EBUSY, "a receive buffer in a page table");
    post_rx(vio_end_maddr() - 256, 512, RV_VRING_DESC_F_WRITE);
    expect_bad(&rx, -RV_EPERM, "a receive buffer running off the domain's end");
}

void test_main(void)
{
    data = vio_page();
    fresh(VIO_V1 | VIO_EVIDX);
    transmit();
    receive();
    VIO_EXPECT(send(100, 0), 1, "a frame after all that: the device works");
    rvt_success();
}
