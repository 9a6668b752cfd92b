/* SPDX-License-Identifier: MIT */
/*
 * vio-probe: discovery (virtio_op PROBE, ABI.md "Devices").
 *
 * Module line: console=virtio disk=ram:64K disk=ram:128K:ro (args
 * devices=3), or no devices at all (args devices=0).
 * - Devices are numbered in module-line order from 0: the console, disk0,
 *   disk1, each with its type, vendor "RVMR", queue count, a power-of-two
 *   maximum queue size, its configuration length and its own event
 *   channel, bound from the start (EVTCHNOP_STATUS: DEVICE, remote_port =
 *   the device number).  A new device's status is 0.
 * - The number past the last, and any larger one, is -ENOENT for every
 *   command; an unknown command is -ENOSYS.
 * - A bad info pointer is -EFAULT (NULL, the hole, a read-only page).
 */
#include "viokit.h"

static struct rv_virtio_info info;

static void check_device(unsigned dev, uint32_t type, uint32_t queues, uint32_t config_len, const char *name,
                         uint32_t *port)
{
    struct rv_evtchn_status st;
    memset(&info, 0xa5, sizeof(info));
    VIO_EXPECT(rv_virtio_probe(dev, &info), 0, "PROBE");
    RVT_EXPECT_EQ(info.device_id, type, "device_id");
    RVT_EXPECT_EQ(info.vendor_id, RV_VIRTIO_VENDOR, "vendor_id");
    RVT_EXPECT_EQ(info.num_queues, queues, "num_queues");
    RVT_EXPECT_TRUE(info.max_queue_size >= 2 && !(info.max_queue_size & (info.max_queue_size - 1)),
                    "max_queue_size is a power of two");
    RVT_EXPECT_EQ(info.config_len, config_len, "config_len");
    RVT_EXPECT_TRUE(strcmp(info.name, name) == 0, "the device's name");
    RVT_EXPECT_TRUE(info.evtchn > 0 && info.evtchn < RV_NR_EVTCHN, "its event channel");
    RVT_REQUIRE_OK(rv_evtchn_status(info.evtchn, &st), "EVTCHNOP_STATUS");
    RVT_EXPECT_EQ(st.status, RV_EVTCHNSTAT_DEVICE, "its port is bound to the device");
    RVT_EXPECT_EQ(st.remote_port, dev, "the port names the device number");
    vio_expect_status(dev, 0, "a new device's status");
    *port = info.evtchn;
    rvt_log("device %u: %s, type %u, %u queues of at most %u, config %u bytes, port %u", dev, info.name,
            info.device_id, info.num_queues, info.max_queue_size, info.config_len, info.evtchn);
}

static void check_missing(unsigned dev)
{
    for (unsigned cmd = RV_VIRTIO_PROBE; cmd <= RV_VIRTIO_NOTIFY; cmd++)
        VIO_EXPECT(vio_op(cmd, dev, (unsigned long)&info), -RV_ENOENT, "a command to a device past the last");
    VIO_EXPECT(vio_op(RV_VIRTIO_PROBE, 0xffffffffu, (unsigned long)&info), -RV_ENOENT, "PROBE of device 0xffffffff");
    VIO_EXPECT(vio_op(RV_VIRTIO_PROBE, 1000, (unsigned long)&info), -RV_ENOENT, "PROBE of device 1000");
}

void test_main(void)
{
    long n = rv_cmdline_int("devices", -1);
    uint32_t ports[3];
    if (n != 0 && n != 3)
        rvt_error("args devices=0 or devices=3 expected");
    VIO_EXPECT(vio_op(10, 0, 0), -RV_ENOSYS, "an unknown command");
    VIO_EXPECT(vio_op(0xffff, 7, 0), -RV_ENOSYS, "an unknown command to a device we do not have");
    if (n == 0) {
        check_missing(0);
        rvt_success();
    }
    check_device(0, RV_VIRTIO_ID_CONSOLE, 2, sizeof(struct rv_virtio_console_config), "console", &ports[0]);
    check_device(1, RV_VIRTIO_ID_BLOCK, 1, sizeof(struct rv_virtio_blk_config), "disk0", &ports[1]);
    check_device(2, RV_VIRTIO_ID_BLOCK, 1, sizeof(struct rv_virtio_blk_config), "disk1", &ports[2]);
    RVT_EXPECT_TRUE(ports[0] != ports[1] && ports[1] != ports[2] && ports[0] != ports[2], "each has its own port");
    check_missing(3);
    VIO_EXPECT(rv_virtio_probe(0, 0), -RV_EFAULT, "PROBE into NULL");
    VIO_EXPECT(rv_virtio_probe(0, (struct rv_virtio_info *)VIO_HOLE), -RV_EFAULT, "PROBE into the hole");
    VIO_EXPECT(rv_virtio_probe(0, (struct rv_virtio_info *)(VIO_HOLE - 8)), -RV_EFAULT,
               "PROBE into a range crossing into the hole");
    VIO_EXPECT(rv_virtio_probe(0, (struct rv_virtio_info *)vio_readonly_va()), -RV_EFAULT,
               "PROBE into a read-only page (a page table)");
    rvt_success();
}
