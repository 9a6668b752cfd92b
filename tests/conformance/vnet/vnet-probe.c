/* SPDX-License-Identifier: MIT */
/*
 * vnet-probe: a network device's discovery, features and configuration
 * (ABI.md "Network devices").  Module line: console=virtio net=switch
 * net=switch:mac=02:00:00:00:00:42.
 * - PROBE: type 1, two queues, 12 bytes of configuration, "net0", "net1".
 * - Offered: VERSION_1, RING_EVENT_IDX, MAC, STATUS, MTU, MRG_RXBUF and
 *   nothing else (no checksum or segmentation offloads, no control queue,
 *   no multiqueue); a driver that asks for more is refused.
 * - Configuration: net0's MAC is derived, 52:54:H:56:00:L (H:L the domain id);
 *   net1's is the module line's; status LINK_UP, one queue pair, MTU 1500;
 *   read in any width; nothing writable; nothing past 12 bytes.
 * - Queue numbers past 1 are refused.
 */
#include "../virtio/viokit.h"

#define NET_OFFER (VIO_V1 | VIO_EVIDX | VIO_F(RV_VIRTIO_NET_F_MAC) | VIO_F(RV_VIRTIO_NET_F_STATUS) | \
                   VIO_F(RV_VIRTIO_NET_F_MTU) | VIO_F(RV_VIRTIO_NET_F_MRG_RXBUF))

static uint64_t cfg(unsigned dev, uint32_t off, uint32_t len)
{
    struct rv_virtio_config c = { .offset = off, .len = len, .value = 0xdeadbeefdeadbeefull };
    VIO_EXPECT(vio_op(RV_VIRTIO_CONFIG_READ, dev, (unsigned long)&c), 0, "CONFIG_READ");
    return c.value;
}

static void check_mac(unsigned dev, const uint8_t *mac)
{
    uint64_t word = 0;
    for (unsigned i = 0; i < 6; i++) {
        RVT_EXPECT_EQ(cfg(dev, i, 1), mac[i], "a byte of the MAC");
        word |= (uint64_t)mac[i] << (8 * i);
    }
    RVT_EXPECT_EQ(cfg(dev, 0, 4), (uint32_t)word, "the MAC's first 4 bytes in one read");
    RVT_EXPECT_EQ(cfg(dev, 4, 2), (uint32_t)(word >> 32), "its last 2 bytes in one read");
    uint64_t all = cfg(dev, 0, 8);
    RVT_EXPECT_TRUE((all & 0xffffffffffffull) == word && (all >> 48) == RV_VIRTIO_NET_S_LINK_UP,
                    "an 8-byte read: MAC and status");
}

static void check_device(unsigned dev, const char *name, const uint8_t *mac)
{
    struct rv_virtio_info info;
    struct rv_virtio_features f = { .sel = 0 };
    struct rv_virtio_queue q = { .index = 2 };
    struct rv_virtio_config c = { .offset = 0, .len = 1, .value = 0x12 };
    VIO_EXPECT(rv_virtio_probe(dev, &info), 0, "PROBE");
    RVT_EXPECT_EQ(info.device_id, RV_VIRTIO_ID_NET, "device_id");
    RVT_EXPECT_EQ(info.num_queues, 2, "num_queues");
    RVT_EXPECT_EQ(info.config_len, sizeof(struct rv_virtio_net_config), "config_len");
    RVT_EXPECT_EQ(info.config_len, 12, "config_len");
    RVT_EXPECT_TRUE(strcmp(info.name, name) == 0, "the device's name");
    RVT_EXPECT_EQ(vio_offered(dev), NET_OFFER, "the features offered");
    check_mac(dev, mac);
    RVT_EXPECT_EQ(cfg(dev, 6, 2), RV_VIRTIO_NET_S_LINK_UP, "status: the link is up");
    RVT_EXPECT_EQ(cfg(dev, 8, 2), 1, "max_virtqueue_pairs");
    RVT_EXPECT_EQ(cfg(dev, 10, 2), RV_VIRTIO_NET_MTU, "mtu");
    c.offset = 12;
    VIO_EXPECT(vio_op(RV_VIRTIO_CONFIG_READ, dev, (unsigned long)&c), -RV_ERANGE, "a read past the configuration");
    c.offset = 10;
    c.len = 4;
    VIO_EXPECT(vio_op(RV_VIRTIO_CONFIG_READ, dev, (unsigned long)&c), -RV_ERANGE, "a read across its end");
    c.len = 3;
    VIO_EXPECT(vio_op(RV_VIRTIO_CONFIG_READ, dev, (unsigned long)&c), -RV_EINVAL, "a 3-byte read");
    for (uint32_t off = 0; off < 12; off += 2) {
        c.offset = off;
        c.len = 2;
        VIO_EXPECT(vio_op(RV_VIRTIO_CONFIG_WRITE, dev, (unsigned long)&c), -RV_EPERM, "a configuration write");
    }
    check_mac(dev, mac);
    VIO_EXPECT(vio_op(RV_VIRTIO_QUEUE_GET, dev, (unsigned long)&q), -RV_EINVAL, "QUEUE_GET of queue 2");
    VIO_EXPECT(vio_op(RV_VIRTIO_NOTIFY, dev, 2), -RV_EINVAL, "NOTIFY of queue 2");
    /* A driver asking for what is not offered. */
    RVT_REQUIRE_OK(vio_op(RV_VIRTIO_SET_STATUS, dev, RV_VIRTIO_S_ACKNOWLEDGE), "ACKNOWLEDGE");
    RVT_REQUIRE_OK(vio_op(RV_VIRTIO_SET_STATUS, dev, RV_VIRTIO_S_ACKNOWLEDGE | RV_VIRTIO_S_DRIVER), "DRIVER");
    static const unsigned not_offered[] = { RV_VIRTIO_NET_F_CSUM, RV_VIRTIO_NET_F_GUEST_CSUM,
                                            RV_VIRTIO_NET_F_CTRL_VQ, 22 /* MQ */, 7 /* GUEST_TSO4 */,
                                            RV_VIRTIO_F_INDIRECT_DESC };
    for (unsigned i = 0; i < sizeof(not_offered) / sizeof(not_offered[0]); i++) {
        f.bits = 1u << not_offered[i];
        VIO_EXPECT(vio_op(RV_VIRTIO_SET_FEATURES, dev, (unsigned long)&f), -RV_EINVAL, "a feature not offered");
    }
    vio_negotiate(dev, NET_OFFER);
    vio_expect_status(dev, RV_VIRTIO_S_ACKNOWLEDGE | RV_VIRTIO_S_DRIVER | RV_VIRTIO_S_FEATURES_OK,
                      "every offered feature accepted");
    RVT_REQUIRE_OK(vio_op(RV_VIRTIO_SET_STATUS, dev, 0), "reset");
    rvt_log("%s: type %u, %u queues of %u, config %u bytes, MAC %02x:%02x:%02x:%02x:%02x:%02x", name,
            info.device_id, info.num_queues, info.max_queue_size, info.config_len, mac[0], mac[1], mac[2], mac[3],
            mac[4], mac[5]);
}

void test_main(void)
{
    const uint8_t derived[6] = { 0x52, 0x54, (uint8_t)(rv_start_info->domid >> 8), 0x56, 0x00,
                                 (uint8_t)rv_start_info->domid };
    const uint8_t given[6] = { 0x02, 0, 0, 0, 0, 0x42 };
    struct rv_virtio_info info;
    VIO_EXPECT(rv_virtio_probe(0, &info), 0, "PROBE of the console");
    RVT_EXPECT_EQ(info.device_id, RV_VIRTIO_ID_CONSOLE, "device 0 is the console");
    check_device(1, "net0", derived);
    check_device(2, "net1", given);
    VIO_EXPECT(rv_virtio_probe(3, &info), -RV_ENOENT, "no device 3");
    rvt_success();
}
