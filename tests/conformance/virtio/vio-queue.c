/* SPDX-License-Identifier: MIT */
/*
 * vio-queue: virtqueue set-up (QUEUE_GET, QUEUE_SET) and NOTIFY's own
 * errors.  Module line: disk=ram:64K console=virtio.
 * - QUEUE_GET: the maximum size, and the rings set (0 before); a queue
 *   index the device does not have is -EINVAL (block: 1 queue, console: 2).
 * - QUEUE_SET only between FEATURES_OK and DRIVER_OK (else -EBUSY); size
 *   a power of two from 1 to the maximum (else -EINVAL; 0 disables);
 *   descriptor table 16-byte, available ring 2-byte, used ring 4-byte
 *   aligned (-EINVAL); every byte of each ring in the domain's own frames
 *   (-EPERM: the monitor's memory, the frames before and after ours, above
 *   4 GiB, a ring running off the end of our memory); the used ring, which
 *   the device writes, not in a page-table frame (-EBUSY).  The device
 *   only reads the other two, so a page-table frame is allowed there.
 * - NOTIFY: a queue index out of range -EINVAL; before DRIVER_OK, or on a
 *   queue not set up, 0 (nothing done).
 * - Bad struct pointers: -EFAULT.
 */
#include "viokit.h"

#define AD (RV_VIRTIO_S_ACKNOWLEDGE | RV_VIRTIO_S_DRIVER)

static uint8_t *dpage, *rpage;

static long qset(unsigned dev, uint32_t index, uint32_t size, uint64_t desc, uint64_t avail, uint64_t used)
{
    struct rv_virtio_queue q = { index, size, desc, avail, used };
    return vio_op(RV_VIRTIO_QUEUE_SET, dev, (unsigned long)&q);
}

/* A good layout of size n in our two frames, with one ring moved elsewhere. */
static long qset_with(unsigned dev, uint32_t n, int which, uint64_t where)
{
    uint64_t d = vio_maddr(dpage), a = vio_maddr(rpage), u = vio_maddr(rpage + 1024);
    if (which == 0)
        d = where;
    else if (which == 1)
        a = where;
    else if (which == 2)
        u = where;
    return qset(dev, 0, n, d, a, u);
}

static void check_get(void)
{
    struct rv_virtio_queue q = { .index = 0 };
    VIO_EXPECT(vio_op(RV_VIRTIO_QUEUE_GET, 0, (unsigned long)&q), 0, "QUEUE_GET 0");
    RVT_EXPECT_TRUE(q.size >= 2 && !(q.size & (q.size - 1)), "the maximum size is a power of two");
    RVT_EXPECT_TRUE(q.desc == 0 && q.avail == 0 && q.used == 0, "no rings yet");
    q.index = 1;
    VIO_EXPECT(vio_op(RV_VIRTIO_QUEUE_GET, 0, (unsigned long)&q), -RV_EINVAL, "QUEUE_GET 1 of a block device");
    q.index = 0xffffffffu;
    VIO_EXPECT(vio_op(RV_VIRTIO_QUEUE_GET, 0, (unsigned long)&q), -RV_EINVAL, "QUEUE_GET 0xffffffff");
    q.index = 1;
    VIO_EXPECT(vio_op(RV_VIRTIO_QUEUE_GET, 1, (unsigned long)&q), 0, "QUEUE_GET 1 of the console");
    q.index = 2;
    VIO_EXPECT(vio_op(RV_VIRTIO_QUEUE_GET, 1, (unsigned long)&q), -RV_EINVAL, "QUEUE_GET 2 of the console");
    VIO_EXPECT(vio_op(RV_VIRTIO_QUEUE_GET, 0, 0), -RV_EFAULT, "QUEUE_GET with NULL");
    struct rv_virtio_queue zero = { .index = 0 };
    uint32_t ro = vio_readonly_copy(&zero, sizeof(zero));
    VIO_EXPECT(vio_op(RV_VIRTIO_QUEUE_GET, 0, ro), -RV_EFAULT, "QUEUE_GET into a read-only struct");
    RVT_EXPECT_EQ(((const struct rv_virtio_queue *)ro)->size, 0, "the read-only struct is unchanged");
}

static void check_state(void)
{
    RVT_REQUIRE_OK(vio_op(RV_VIRTIO_SET_STATUS, 0, 0), "reset");
    VIO_EXPECT(qset_with(0, 16, -1, 0), -RV_EBUSY, "QUEUE_SET before FEATURES_OK");
    RVT_REQUIRE_OK(vio_op(RV_VIRTIO_SET_STATUS, 0, RV_VIRTIO_S_ACKNOWLEDGE), "ACKNOWLEDGE");
    RVT_REQUIRE_OK(vio_op(RV_VIRTIO_SET_STATUS, 0, AD), "DRIVER");
    VIO_EXPECT(qset_with(0, 16, -1, 0), -RV_EBUSY, "QUEUE_SET before FEATURES_OK (DRIVER set)");
}

static void check_shape(uint32_t max)
{
    static const uint32_t bad_sizes[] = { 3, 6, 100, 255, 0x80000000u, 0xffffffffu };
    for (unsigned i = 0; i < sizeof(bad_sizes) / sizeof(bad_sizes[0]); i++)
        VIO_EXPECT(qset_with(0, bad_sizes[i], -1, 0), -RV_EINVAL, "a size that is not a power of two");
    VIO_EXPECT(qset_with(0, max * 2, -1, 0), -RV_EINVAL, "a size above the maximum");
    VIO_EXPECT(qset(1, 1, 16, vio_maddr(dpage), vio_maddr(rpage), vio_maddr(rpage + 1024)), -RV_EBUSY,
               "(the console is not at FEATURES_OK)");
    VIO_EXPECT(qset(0, 1, 16, vio_maddr(dpage), vio_maddr(rpage), vio_maddr(rpage + 1024)), -RV_EINVAL,
               "QUEUE_SET of queue 1 of a block device");
    VIO_EXPECT(qset_with(0, 16, 0, vio_maddr(dpage) + 8), -RV_EINVAL, "a descriptor table 8-byte aligned");
    VIO_EXPECT(qset_with(0, 16, 1, vio_maddr(rpage) + 1), -RV_EINVAL, "an available ring at an odd address");
    VIO_EXPECT(qset_with(0, 16, 2, vio_maddr(rpage + 1024) + 2), -RV_EINVAL, "a used ring 2-byte aligned");
    VIO_EXPECT(qset_with(0, 1, -1, 0), 0, "size 1");
    VIO_EXPECT(qset_with(0, max, -1, 0), 0, "the maximum size");
    VIO_EXPECT(qset_with(0, 0, -1, 0), 0, "size 0 (disable)");
}

static void check_frames(void)
{
    uint64_t first = vio_first_maddr(), end = vio_end_maddr(), pt = vio_pt_maddr();
    for (int which = 0; which < 3; which++) {
        static const char *const ring[] = { "descriptor table", "available ring", "used ring" };
        char what[96];
        rv_snprintf(what, sizeof(what), "a %s in the monitor's image (1 MiB)", ring[which]);
        VIO_EXPECT(qset_with(0, 16, which, 0x100000), -RV_EPERM, what);
        rv_snprintf(what, sizeof(what), "a %s in the frame before ours", ring[which]);
        VIO_EXPECT(qset_with(0, 16, which, first - 4096), -RV_EPERM, what);
        rv_snprintf(what, sizeof(what), "a %s in the frame after ours", ring[which]);
        VIO_EXPECT(qset_with(0, 16, which, end), -RV_EPERM, what);
        rv_snprintf(what, sizeof(what), "a %s running off the end of our memory", ring[which]);
        VIO_EXPECT(qset_with(0, 16, which, end - 16), -RV_EPERM, what);
        rv_snprintf(what, sizeof(what), "a %s above 4 GiB", ring[which]);
        VIO_EXPECT(qset_with(0, 16, which, (1ull << 32) + first), -RV_EPERM, what);
        rv_snprintf(what, sizeof(what), "a %s at the top of the 64-bit space", ring[which]);
        VIO_EXPECT(qset_with(0, 16, which, 0xfffffffffffff000ull), -RV_EPERM, what);
    }
    VIO_EXPECT(qset_with(0, 16, 2, pt), -RV_EBUSY, "a used ring in a page-table frame");
    VIO_EXPECT(qset_with(0, 16, 2, pt - 64), -RV_EBUSY, "a used ring whose end is in a page-table frame");
    VIO_EXPECT(qset_with(0, 16, 0, pt), 0, "a descriptor table in a page-table frame (only read)");
    VIO_EXPECT(qset_with(0, 16, 1, pt + 512), 0, "an available ring in a page-table frame (only read)");
    VIO_EXPECT(qset_with(0, 0, -1, 0), 0, "disable");
}

static void check_notify(void)
{
    struct rv_virtio_queue q = { .index = 0 };
    VIO_EXPECT(vio_op(RV_VIRTIO_NOTIFY, 0, 0), 0, "NOTIFY of a queue not set up, before DRIVER_OK");
    VIO_EXPECT(qset_with(0, 16, -1, 0), 0, "a good queue");
    RVT_REQUIRE_OK(vio_op(RV_VIRTIO_QUEUE_GET, 0, (unsigned long)&q), "QUEUE_GET");
    RVT_EXPECT_TRUE(q.desc == vio_maddr(dpage) && q.avail == vio_maddr(rpage) && q.used == vio_maddr(rpage + 1024),
                    "QUEUE_GET shows the rings set");
    VIO_EXPECT(vio_op(RV_VIRTIO_NOTIFY, 0, 0), 0, "NOTIFY before DRIVER_OK");
    VIO_EXPECT(vio_op(RV_VIRTIO_NOTIFY, 0, 1), -RV_EINVAL, "NOTIFY of queue 1 of a block device");
    VIO_EXPECT(vio_op(RV_VIRTIO_NOTIFY, 0, 0xffffffffu), -RV_EINVAL, "NOTIFY of queue 0xffffffff");
    vio_ready(0);
    VIO_EXPECT(qset_with(0, 16, -1, 0), -RV_EBUSY, "QUEUE_SET after DRIVER_OK");
    VIO_EXPECT(vio_op(RV_VIRTIO_NOTIFY, 0, 0), 0, "NOTIFY of an empty queue");
    VIO_EXPECT(vio_op(RV_VIRTIO_QUEUE_SET, 0, 0), -RV_EFAULT, "QUEUE_SET with NULL");
    VIO_EXPECT(vio_op(RV_VIRTIO_QUEUE_SET, 0, VIO_HOLE), -RV_EFAULT, "QUEUE_SET in the hole");
}

void test_main(void)
{
    struct rv_virtio_queue q = { .index = 0 };
    RVT_REQUIRE_OK(vio_op(RV_VIRTIO_QUEUE_GET, 0, (unsigned long)&q), "QUEUE_GET");
    dpage = vio_page();
    rpage = vio_page();
    check_get();
    check_state();
    RVT_REQUIRE_OK(vio_op(RV_VIRTIO_SET_FEATURES, 0, (unsigned long)&(struct rv_virtio_features){ 1, 1 }),
                   "VERSION_1");
    RVT_REQUIRE_OK(vio_op(RV_VIRTIO_SET_STATUS, 0, AD | RV_VIRTIO_S_FEATURES_OK), "FEATURES_OK");
    check_shape(q.size);
    check_frames();
    check_notify();
    rvt_success();
}
