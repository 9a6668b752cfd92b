/* SPDX-License-Identifier: MIT */
/*
 * vio-desc: bad rings and bad descriptors (ABI.md "Devices", validation).
 * Module line: disk=ram:64K.  Each case brings the block device up with a
 * 16-entry queue, makes one bad chain available and notifies:
 * - NOTIFY returns the case's error (-EINVAL for a malformed ring or chain:
 *   a head or next beyond the queue, a chain that loops, a zero length, an
 *   indirect or unknown flag, readable after writable, an available index
 *   more than the queue size ahead, a chain that is not a request; -EPERM
 *   for a buffer that is not the domain's memory: the monitor's, the
 *   frames on either side, beyond 4 GiB, running off the end, wrapping the
 *   64-bit space; -EBUSY for a buffer the device would write in a
 *   page-table frame, also a used ring that became one after set-up);
 * - the device is then NEEDS_RESET, its event channel was raised (a
 *   configuration change), nothing was put on the used ring, and further
 *   notifies are -EBUSY;
 * - nothing was written where it must not be: the page table stays
 *   byte for byte as it was, the disk was not written by a refused write;
 * - after a reset the device works again.
 * The monitor lives on (this test ends) and a bystander in the same boot
 * (vio-bystander) sees its own disk and memory intact.
 */
#include "viokit.h"

static struct vio_q q;
static unsigned port;
static uint8_t data[1024] __attribute__((aligned(4096)));
static uint8_t pt_before[4096];
static const char *case_name;

static uint64_t hdr_ma(void) { return vio_maddr(&vio_reqs[0].hdr); }
static uint64_t status_ma(void) { return vio_maddr(&vio_reqs[0].status); }

/* The last page-table frame (an L1 in use) and its read-only linear mapping. */
static const uint8_t *pt_page(void)
{
    return (const uint8_t *)(rv_start_info->pt_base + (rv_start_info->nr_pt_frames - 1) * RV_PAGE_SIZE);
}

static void header(uint32_t type, uint64_t sector)
{
    vio_reqs[0].hdr = (struct rv_virtio_blk_req){ .type = type, .sector = sector };
    vio_reqs[0].status = 0xee;
}

static void bad(const char *what, long rc)
{
    case_name = what;
    long r = vio_notify(&q);
    if (r != rc)
        rvt_failure("%s: NOTIFY returned %s, expected %s", what, rv_errname(r), rv_errname(rc));
    long st = vio_op(RV_VIRTIO_GET_STATUS, 0, 0);
    if (!(st & RV_VIRTIO_S_NEEDS_RESET))
        rvt_failure("%s: status 0x%lx has no NEEDS_RESET", what, st);
    if (!rv_evtchn_test_and_clear(port))
        rvt_failure("%s: the device's event channel was not raised", what);
    RVT_EXPECT_EQ(q.used->idx, 0, "nothing on the used ring");
    VIO_EXPECT(vio_notify(&q), -RV_EBUSY, "NOTIFY of a device that needs a reset");
    if (memcmp(pt_before, pt_page(), sizeof(pt_before)))
        rvt_failure("%s: the page table changed", what);
}

/* A fresh device for the next case. */
static void fresh(void)
{
    vio_bringup(&q, 0, VIO_V1 | VIO_EVIDX, 16);
    rv_evtchn_test_and_clear(port);
}

/* hdr -> data -> status, with the given data descriptor. */
static void request(uint32_t type, uint64_t addr, uint32_t len, uint16_t dflags)
{
    header(type, 0);
    vio_desc(&q, 0, hdr_ma(), 16, RV_VRING_DESC_F_NEXT, 1);
    vio_desc(&q, 1, addr, len, dflags | RV_VRING_DESC_F_NEXT, 2);
    vio_desc(&q, 2, status_ma(), 1, RV_VRING_DESC_F_WRITE, 0);
    vio_post(&q, 0);
}

static void ring_cases(void)
{
    fresh();
    request(RV_VIRTIO_BLK_T_IN, vio_maddr(data), 512, RV_VRING_DESC_F_WRITE);
    q.avail->ring[0] = 16;
    bad("a chain head beyond the queue", -RV_EINVAL);
    fresh();
    request(RV_VIRTIO_BLK_T_IN, vio_maddr(data), 512, RV_VRING_DESC_F_WRITE);
    q.avail->ring[0] = 0xffff;
    bad("chain head 0xffff", -RV_EINVAL);
    fresh();
    request(RV_VIRTIO_BLK_T_IN, vio_maddr(data), 512, RV_VRING_DESC_F_WRITE);
    q.desc[1].next = 16;
    bad("a next beyond the queue", -RV_EINVAL);
    fresh();
    request(RV_VIRTIO_BLK_T_IN, vio_maddr(data), 512, RV_VRING_DESC_F_WRITE);
    q.desc[1].flags = RV_VRING_DESC_F_NEXT; /* readable, back to the header */
    q.desc[1].next = 0;
    bad("a chain that loops (0 -> 1 -> 0)", -RV_EINVAL);
    fresh();
    header(RV_VIRTIO_BLK_T_IN, 0);
    vio_desc(&q, 5, hdr_ma(), 16, RV_VRING_DESC_F_NEXT, 5);
    vio_post(&q, 5);
    bad("a descriptor whose next is itself", -RV_EINVAL);
    fresh();
    header(RV_VIRTIO_BLK_T_IN, 0);
    for (unsigned i = 0; i < 16; i++)
        vio_desc(&q, i, hdr_ma(), 16, RV_VRING_DESC_F_NEXT, (uint16_t)((i + 1) % 16));
    vio_post(&q, 0);
    bad("a loop through every descriptor", -RV_EINVAL);
    fresh();
    request(RV_VIRTIO_BLK_T_IN, vio_maddr(data), 512, RV_VRING_DESC_F_WRITE);
    q.avail->idx = 17;
    bad("an available index 17 ahead on a queue of 16", -RV_EINVAL);
    fresh();
    request(RV_VIRTIO_BLK_T_IN, vio_maddr(data), 512, RV_VRING_DESC_F_WRITE);
    q.avail->idx = 0x8000;
    bad("an available index 0x8000 ahead", -RV_EINVAL);
}

static void descriptor_cases(void)
{
    fresh();
    request(RV_VIRTIO_BLK_T_IN, vio_maddr(data), 0, RV_VRING_DESC_F_WRITE);
    bad("a data descriptor of length 0", -RV_EINVAL);
    fresh();
    request(RV_VIRTIO_BLK_T_IN, vio_maddr(data), 512, RV_VRING_DESC_F_WRITE);
    q.desc[0].len = 0;
    bad("a header descriptor of length 0", -RV_EINVAL);
    fresh();
    request(RV_VIRTIO_BLK_T_IN, vio_maddr(data), 512, RV_VRING_DESC_F_WRITE | RV_VRING_DESC_F_INDIRECT);
    bad("an indirect descriptor (not offered)", -RV_EINVAL);
    fresh();
    request(RV_VIRTIO_BLK_T_IN, vio_maddr(data), 512, RV_VRING_DESC_F_WRITE | 8);
    bad("a descriptor with unknown flag 8", -RV_EINVAL);
    fresh();
    header(RV_VIRTIO_BLK_T_OUT, 0);
    vio_desc(&q, 0, hdr_ma(), 16, RV_VRING_DESC_F_NEXT, 1);
    vio_desc(&q, 1, status_ma(), 1, RV_VRING_DESC_F_WRITE | RV_VRING_DESC_F_NEXT, 2);
    vio_desc(&q, 2, vio_maddr(data), 512, 0, 0);
    vio_post(&q, 0);
    bad("a readable descriptor after a writable one", -RV_EINVAL);
    fresh();
    header(RV_VIRTIO_BLK_T_IN, 0);
    vio_desc(&q, 0, hdr_ma(), 16, 0, 0);
    vio_post(&q, 0);
    bad("a request without a status byte", -RV_EINVAL);
    fresh();
    header(RV_VIRTIO_BLK_T_IN, 0);
    vio_desc(&q, 0, hdr_ma(), 8, RV_VRING_DESC_F_NEXT, 2);
    vio_desc(&q, 2, status_ma(), 1, RV_VRING_DESC_F_WRITE, 0);
    vio_post(&q, 0);
    bad("a request header of 8 bytes", -RV_EINVAL);
}

static void memory_cases(void)
{
    uint64_t first = vio_first_maddr(), end = vio_end_maddr();
    static const struct {
        const char *what;
        uint32_t len;
    } out_of_bounds[] = {
        { "the monitor's image (1 MiB)", 512 },
        { "physical page 0", 512 },
        { "the frame before ours", 512 },
        { "the frame after ours", 512 },
        { "a buffer running off the end of our memory", 1024 },
        { "beyond 4 GiB", 512 },
        { "the top of the 64-bit space, wrapping", 512 },
    };
    const uint64_t fill[] = { 0x100000, 0, first - 4096, end, end - 512, (1ull << 32) + first,
                              0xffffffffffffff00ull };
    for (unsigned i = 0; i < sizeof(out_of_bounds) / sizeof(out_of_bounds[0]); i++) {
        char what[128];
        fresh();
        request(RV_VIRTIO_BLK_T_IN, fill[i], out_of_bounds[i].len, RV_VRING_DESC_F_WRITE);
        rv_snprintf(what, sizeof(what), "a read into %s", out_of_bounds[i].what);
        bad(what, -RV_EPERM);
        fresh();
        request(RV_VIRTIO_BLK_T_OUT, fill[i], out_of_bounds[i].len, 0);
        rv_snprintf(what, sizeof(what), "a write from %s", out_of_bounds[i].what);
        bad(what, -RV_EPERM);
    }
    fresh();
    header(RV_VIRTIO_BLK_T_IN, 0);
    vio_desc(&q, 0, 0x100000, 16, RV_VRING_DESC_F_NEXT, 2);
    vio_desc(&q, 2, status_ma(), 1, RV_VRING_DESC_F_WRITE, 0);
    vio_post(&q, 0);
    bad("a request header in the monitor's memory", -RV_EPERM);
}

static void page_table_cases(void)
{
    uint64_t pt = vio_maddr(pt_page());
    fresh();
    request(RV_VIRTIO_BLK_T_IN, pt, 512, RV_VRING_DESC_F_WRITE);
    bad("a read into a page-table frame", -RV_EBUSY);
    fresh();
    request(RV_VIRTIO_BLK_T_IN, pt - 256, 512, RV_VRING_DESC_F_WRITE);
    bad("a read into a buffer that ends in a page-table frame", -RV_EBUSY);
    /* A write whose status byte is in a page table: refused before the disk is touched. */
    fresh();
    memset(data, 0x5a, 512);
    header(RV_VIRTIO_BLK_T_OUT, 3);
    vio_desc(&q, 0, hdr_ma(), 16, RV_VRING_DESC_F_NEXT, 1);
    vio_desc(&q, 1, vio_maddr(data), 512, RV_VRING_DESC_F_NEXT, 2);
    vio_desc(&q, 2, pt + 40, 1, RV_VRING_DESC_F_WRITE, 0);
    vio_post(&q, 0);
    bad("a write whose status byte is in a page-table frame", -RV_EBUSY);
    fresh();
    memset(data, 0xff, 512);
    RVT_EXPECT_EQ(vio_blk_do(&q, RV_VIRTIO_BLK_T_IN, 3, data, 512), RV_VIRTIO_BLK_S_OK, "reading sector 3 back");
    for (int i = 0; i < 512; i++)
        if (data[i])
            rvt_failure("sector 3 was written by a refused request (byte %d is 0x%02x)", i, data[i]);
    /* The device only reads an OUT buffer: a page table may be its source. */
    fresh();
    RVT_EXPECT_EQ(vio_blk_do(&q, RV_VIRTIO_BLK_T_OUT, 4, (void *)pt_page(), 512), RV_VIRTIO_BLK_S_OK,
                  "a write from a page-table frame (only read)");
}

/* The used ring's frame becomes a page table after QUEUE_SET: the device must notice at the write. */
static void used_ring_becomes_table(void)
{
    static struct vio_q t;
    uint8_t *upage = vio_page();
    vio_negotiate(0, VIO_V1 | VIO_EVIDX);
    vio_queue(&t, 0, 0, 16);
    t.used = (volatile struct rv_vring_used *)upage;
    struct rv_virtio_queue qd = { 0, 16, vio_maddr(t.desc), vio_maddr(t.avail), vio_maddr(upage) };
    RVT_REQUIRE_OK(vio_op(RV_VIRTIO_QUEUE_SET, 0, (unsigned long)&qd), "QUEUE_SET (used ring alone in a frame)");
    vio_ready(0);
    rv_evtchn_test_and_clear(port);
    vio_protect(upage, 0);
    struct rv_mmuext_op pin = { RV_MMUEXT_PIN_L1_TABLE, rv_virt_to_mfn(upage) };
    RVT_REQUIRE_OK(rv_hc_mmuext_op(&pin, 1, 0), "pinning the used ring's frame as an L1 table");
    vio_blk_post(&t, 0, RV_VIRTIO_BLK_T_IN, 0, data, 512);
    long r = vio_notify(&t);
    VIO_EXPECT(r, -RV_EBUSY, "NOTIFY when the used ring's frame has become a page table");
    RVT_EXPECT_EQ(vio_reqs[0].status, 0xee, "the request was not started (its status byte untouched)");
    for (int i = 0; i < 4096; i++)
        if (upage[i])
            rvt_failure("the page table (once the used ring) was written at byte %d", i);
    RVT_EXPECT_TRUE(vio_op(RV_VIRTIO_GET_STATUS, 0, 0) & RV_VIRTIO_S_NEEDS_RESET, "NEEDS_RESET");
    struct rv_mmuext_op unpin = { RV_MMUEXT_UNPIN_TABLE, rv_virt_to_mfn(upage) };
    RVT_REQUIRE_OK(rv_hc_mmuext_op(&unpin, 1, 0), "unpinning it");
    vio_protect(upage, 1);
}

void test_main(void)
{
    struct rv_virtio_info info;
    RVT_REQUIRE_OK(rv_virtio_probe(0, &info), "PROBE");
    port = info.evtchn;
    memcpy(pt_before, pt_page(), sizeof(pt_before));
    ring_cases();
    descriptor_cases();
    memory_cases();
    page_table_cases();
    used_ring_becomes_table();
    fresh();
    RVT_EXPECT_EQ(vio_blk_do(&q, RV_VIRTIO_BLK_T_IN, 0, data, 512), RV_VIRTIO_BLK_S_OK,
                  "a good request after all that");
    rvt_success();
}
