/* SPDX-License-Identifier: MIT */
/*
 * vio-features: feature negotiation (GET_FEATURES, SET_FEATURES,
 * FEATURES_OK).  Module line: disk=ram:64K:ro console=virtio.
 * - Offered: VERSION_1 (bit 32) and RING_EVENT_IDX (29) by every device,
 *   never INDIRECT_DESC (28); the block device FLUSH, SEG_MAX, BLK_SIZE
 *   and RO (read-only disk); the console EMERG_WRITE.  sel >= 2 reads 0.
 * - Accepting a bit the device does not offer is -EINVAL (any sel), and
 *   changes nothing; sel >= 2 with no bits is accepted.
 * - FEATURES_OK without VERSION_1 among the driver's features is refused
 *   (-EINVAL) and the status stays as it was; with it, it sticks.
 * - After FEATURES_OK, SET_FEATURES is -EBUSY.  A reset forgets the
 *   driver's features.
 * - Bad pointers: -EFAULT.
 */
#include "viokit.h"

#define AD (RV_VIRTIO_S_ACKNOWLEDGE | RV_VIRTIO_S_DRIVER)

static long set_features(unsigned dev, uint32_t sel, uint32_t bits)
{
    struct rv_virtio_features f = { sel, bits };
    return vio_op(RV_VIRTIO_SET_FEATURES, dev, (unsigned long)&f);
}

static uint32_t get_features(unsigned dev, uint32_t sel)
{
    struct rv_virtio_features f = { sel, 0xdeadbeef };
    RVT_REQUIRE_OK(vio_op(RV_VIRTIO_GET_FEATURES, dev, (unsigned long)&f), "GET_FEATURES");
    return f.bits;
}

static void check_offer(void)
{
    uint64_t blk = vio_offered(0), cons = vio_offered(1);
    uint64_t want_blk = VIO_V1 | VIO_EVIDX | VIO_F(RV_VIRTIO_BLK_F_FLUSH) | VIO_F(RV_VIRTIO_BLK_F_SEG_MAX) |
                        VIO_F(RV_VIRTIO_BLK_F_BLK_SIZE) | VIO_F(RV_VIRTIO_BLK_F_RO);
    uint64_t want_cons = VIO_V1 | VIO_EVIDX | VIO_F(RV_VIRTIO_CONSOLE_F_EMERG_WRITE);
    RVT_EXPECT_EQ((uint32_t)blk, (uint32_t)want_blk, "block features 0-31");
    RVT_EXPECT_EQ((uint32_t)(blk >> 32), (uint32_t)(want_blk >> 32), "block features 32-63");
    RVT_EXPECT_EQ((uint32_t)cons, (uint32_t)want_cons, "console features 0-31");
    RVT_EXPECT_EQ((uint32_t)(cons >> 32), (uint32_t)(want_cons >> 32), "console features 32-63");
    RVT_EXPECT_EQ(get_features(0, 2), 0, "features sel 2");
    RVT_EXPECT_EQ(get_features(0, 0xffffffffu), 0, "features sel 0xffffffff");
}

static void check_refusals(void)
{
    RVT_REQUIRE_OK(vio_op(RV_VIRTIO_SET_STATUS, 0, 0), "reset");
    RVT_REQUIRE_OK(vio_op(RV_VIRTIO_SET_STATUS, 0, RV_VIRTIO_S_ACKNOWLEDGE), "ACKNOWLEDGE");
    RVT_REQUIRE_OK(vio_op(RV_VIRTIO_SET_STATUS, 0, AD), "DRIVER");
    VIO_EXPECT(set_features(0, 0, 1u << RV_VIRTIO_F_INDIRECT_DESC), -RV_EINVAL, "accepting INDIRECT_DESC");
    VIO_EXPECT(set_features(0, 0, 1u << 31), -RV_EINVAL, "accepting bit 31");
    VIO_EXPECT(set_features(0, 0, 1u << RV_VIRTIO_BLK_F_SIZE_MAX), -RV_EINVAL, "accepting SIZE_MAX (not offered)");
    VIO_EXPECT(set_features(0, 1, 2), -RV_EINVAL, "accepting bit 33");
    VIO_EXPECT(set_features(0, 2, 1), -RV_EINVAL, "accepting a bit of sel 2");
    VIO_EXPECT(set_features(0, 2, 0), 0, "accepting nothing of sel 2");
    VIO_EXPECT(set_features(0, 0, 1u << RV_VIRTIO_F_RING_EVENT_IDX), 0, "accepting EVENT_IDX");
    VIO_EXPECT(set_features(0, 1, 0), 0, "not accepting VERSION_1");
    VIO_EXPECT(vio_op(RV_VIRTIO_SET_STATUS, 0, AD | RV_VIRTIO_S_FEATURES_OK), -RV_EINVAL,
               "FEATURES_OK without VERSION_1");
    vio_expect_status(0, AD, "the status after the refused FEATURES_OK");
    VIO_EXPECT(set_features(0, 1, 1), 0, "accepting VERSION_1");
    VIO_EXPECT(vio_op(RV_VIRTIO_SET_STATUS, 0, AD | RV_VIRTIO_S_FEATURES_OK), 0, "FEATURES_OK with VERSION_1");
    vio_expect_status(0, AD | RV_VIRTIO_S_FEATURES_OK, "FEATURES_OK sticks");
    VIO_EXPECT(set_features(0, 0, 0), -RV_EBUSY, "SET_FEATURES after FEATURES_OK");
    /* A reset forgets what the driver accepted. */
    RVT_REQUIRE_OK(vio_op(RV_VIRTIO_SET_STATUS, 0, 0), "reset");
    vio_expect_status(0, 0, "status after a reset");
    RVT_REQUIRE_OK(vio_op(RV_VIRTIO_SET_STATUS, 0, RV_VIRTIO_S_ACKNOWLEDGE), "ACKNOWLEDGE");
    RVT_REQUIRE_OK(vio_op(RV_VIRTIO_SET_STATUS, 0, AD), "DRIVER");
    VIO_EXPECT(vio_op(RV_VIRTIO_SET_STATUS, 0, AD | RV_VIRTIO_S_FEATURES_OK), -RV_EINVAL,
               "FEATURES_OK after a reset, VERSION_1 not accepted again");
}

static void check_efault(void)
{
    VIO_EXPECT(vio_op(RV_VIRTIO_GET_FEATURES, 0, 0), -RV_EFAULT, "GET_FEATURES from NULL");
    VIO_EXPECT(vio_op(RV_VIRTIO_GET_FEATURES, 0, VIO_HOLE), -RV_EFAULT, "GET_FEATURES in the hole");
    VIO_EXPECT(vio_op(RV_VIRTIO_GET_FEATURES, 0, vio_readonly_va()), -RV_EFAULT,
               "GET_FEATURES into a read-only page");
    VIO_EXPECT(vio_op(RV_VIRTIO_SET_FEATURES, 0, 0), -RV_EFAULT, "SET_FEATURES from NULL");
    VIO_EXPECT(vio_op(RV_VIRTIO_SET_FEATURES, 0, VIO_HOLE - 4), -RV_EFAULT, "SET_FEATURES across the hole");
}

void test_main(void)
{
    check_offer();
    check_refusals();
    check_efault();
    /* The library's negotiation ends in FEATURES_OK with VERSION_1 and EVENT_IDX. */
    struct rv_vdev vd;
    memset(&vd, 0, sizeof(vd));
    VIO_EXPECT(rv_virtio_open(&vd, 1, 0), 0, "libpvguest rv_virtio_open");
    RVT_EXPECT_TRUE(rv_virtio_has(&vd, RV_VIRTIO_F_VERSION_1) && rv_virtio_has(&vd, RV_VIRTIO_F_RING_EVENT_IDX),
                    "VERSION_1 and EVENT_IDX negotiated");
    rvt_success();
}
