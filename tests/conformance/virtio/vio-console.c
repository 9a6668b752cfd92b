/* SPDX-License-Identifier: MIT */
/*
 * vio-console: virtio-console (ABI.md "Devices").  Module line:
 * console=virtio.
 * - Through libpvguest: output written to the transmit queue is used at
 *   once (used len 0) and appears on the console as this domain's lines
 *   (the runner's log shows them: "[d<ID> vio-console] via virtio ...").
 *   A write longer than one buffer goes in several.
 * - No serial input reaches a test, so the receive queue stays untouched
 *   and rv_vcons_read returns 0; console_io read returns 0 as well.
 * - A transmit buffer outside the domain is -EPERM, NEEDS_RESET.
 */
#include "viokit.h"

static struct rv_vcons cons;
static char big[5000];

void test_main(void)
{
    static const char line[] = "via virtio: hello from the transmit queue\n";
    char in[16];
    VIO_EXPECT(rv_vcons_open(&cons, 0), 0, "opening the console");
    rv_console_flush();
    VIO_EXPECT(rv_vcons_write(&cons, line, sizeof(line) - 1), sizeof(line) - 1, "a line");
    for (unsigned i = 0; i < sizeof(big); i++)
        big[i] = (i % 100 == 99) ? '\n' : (char)('a' + i % 26);
    VIO_EXPECT(rv_vcons_write(&cons, big, sizeof(big)), sizeof(big), "5000 bytes (three buffers)");
    VIO_EXPECT(rv_vcons_write(&cons, "\n", 1), 1, "a newline");
    RVT_EXPECT_EQ(cons.dev.vq[RV_VIRTIO_CONSOLE_TX].num_free, cons.dev.vq[RV_VIRTIO_CONSOLE_TX].size,
                  "every transmit descriptor back");
    VIO_EXPECT(rv_vcons_read(&cons, in, sizeof(in)), 0, "no input");
    VIO_EXPECT(rv_hc_console_io(RV_CONSOLE_READ, sizeof(in), in), 0, "console_io read");
    RVT_EXPECT_EQ(cons.dev.vq[RV_VIRTIO_CONSOLE_RX].num_free, cons.dev.vq[RV_VIRTIO_CONSOLE_RX].size - RV_VCONS_RX_BUFS,
                  "the receive buffers stay posted");
    /* A transmit buffer in the monitor's memory. */
    static struct vio_q q;
    vio_negotiate(0, VIO_V1);
    vio_queue(&q, 0, RV_VIRTIO_CONSOLE_TX, 16);
    vio_ready(0);
    vio_desc(&q, 0, 0x100000, 64, 0, 0);
    vio_post(&q, 0);
    VIO_EXPECT(vio_notify(&q), -RV_EPERM, "transmitting from the monitor's memory");
    RVT_EXPECT_TRUE(vio_op(RV_VIRTIO_GET_STATUS, 0, 0) & RV_VIRTIO_S_NEEDS_RESET, "NEEDS_RESET");
    rvt_success();
}
