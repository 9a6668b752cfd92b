/* SPDX-License-Identifier: MIT */
/*
 * vio-status: the device status byte and reset (GET_STATUS, SET_STATUS).
 * Module line: disk=ram:64K.
 * - The driver only adds bits, in virtio's order: DRIVER needs
 *   ACKNOWLEDGE, FEATURES_OK needs DRIVER, DRIVER_OK needs FEATURES_OK;
 *   clearing a bit other than by writing 0, and bits outside the six
 *   virtio defines, are -EINVAL and change nothing.
 * - NEEDS_RESET is the device's: a driver that writes it does not set it.
 * - FAILED may be set; the device then does no work (NOTIFY -EBUSY).
 * - 0 resets: status 0, the queues forgotten (QUEUE_GET shows none).
 * - After a reset the device works again from the start.
 */
#include "viokit.h"

#define A RV_VIRTIO_S_ACKNOWLEDGE
#define D RV_VIRTIO_S_DRIVER
#define F RV_VIRTIO_S_FEATURES_OK
#define K RV_VIRTIO_S_DRIVER_OK

static struct vio_q q;
static uint8_t data[512] __attribute__((aligned(512)));

static long st(unsigned s)
{
    return vio_op(RV_VIRTIO_SET_STATUS, 0, s);
}

static void check_order(void)
{
    RVT_REQUIRE_OK(st(0), "reset");
    VIO_EXPECT(st(D), -RV_EINVAL, "DRIVER without ACKNOWLEDGE");
    VIO_EXPECT(st(A | F), -RV_EINVAL, "FEATURES_OK without DRIVER");
    VIO_EXPECT(st(A | K), -RV_EINVAL, "DRIVER_OK without FEATURES_OK");
    vio_expect_status(0, 0, "nothing set by refused writes");
    VIO_EXPECT(st(A), 0, "ACKNOWLEDGE");
    VIO_EXPECT(st(A | D), 0, "DRIVER");
    VIO_EXPECT(st(A), -RV_EINVAL, "clearing DRIVER");
    VIO_EXPECT(st(D), -RV_EINVAL, "clearing ACKNOWLEDGE");
    VIO_EXPECT(st(A | D | 16), -RV_EINVAL, "bit 4");
    VIO_EXPECT(st(A | D | 32), -RV_EINVAL, "bit 5");
    VIO_EXPECT(st(A | D | 0x100), -RV_EINVAL, "bit 8");
    VIO_EXPECT(st(0x80000000u | A | D), -RV_EINVAL, "bit 31");
    VIO_EXPECT(st(A | D | K), -RV_EINVAL, "DRIVER_OK without FEATURES_OK");
    vio_expect_status(0, A | D, "the status after refused writes");
    VIO_EXPECT(st(A | D | RV_VIRTIO_S_NEEDS_RESET), 0, "a driver writing NEEDS_RESET");
    vio_expect_status(0, A | D, "NEEDS_RESET is the device's to set");
}

static void check_failed(void)
{
    vio_bringup(&q, 0, VIO_V1, 16);
    vio_expect_status(0, A | D | F | K, "a ready device");
    VIO_EXPECT(st(A | D | F | K | RV_VIRTIO_S_FAILED), 0, "FAILED");
    vio_expect_status(0, A | D | F | K | RV_VIRTIO_S_FAILED, "FAILED sticks");
    vio_blk_post(&q, 0, RV_VIRTIO_BLK_T_IN, 0, data, 512);
    VIO_EXPECT(vio_notify(&q), -RV_EBUSY, "NOTIFY of a FAILED device");
    RVT_EXPECT_EQ(vio_used_new(&q), 0, "a FAILED device used nothing");
}

static void check_reset(void)
{
    struct rv_virtio_queue qd = { .index = 0 };
    VIO_EXPECT(st(0), 0, "reset");
    vio_expect_status(0, 0, "status after a reset");
    RVT_REQUIRE_OK(vio_op(RV_VIRTIO_QUEUE_GET, 0, (unsigned long)&qd), "QUEUE_GET");
    RVT_EXPECT_TRUE(qd.desc == 0 && qd.avail == 0 && qd.used == 0, "the queue is forgotten");
    VIO_EXPECT(vio_notify(&q), 0, "NOTIFY after a reset does nothing");
    /* From the start again: works. */
    vio_bringup(&q, 0, VIO_V1, 16);
    RVT_EXPECT_EQ(vio_blk_do(&q, RV_VIRTIO_BLK_T_IN, 0, data, 512), RV_VIRTIO_BLK_S_OK, "a read after the reset");
}

void test_main(void)
{
    check_order();
    check_failed();
    check_reset();
    rvt_success();
}
