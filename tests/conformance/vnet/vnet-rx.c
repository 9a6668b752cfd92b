/* SPDX-License-Identifier: MIT */
/*
 * vnet-rx: how a network device receives (ABI.md "Network devices"), two
 * guests in one boot.  Args role=rx (its device driven by hand, MAC
 * 02:00:00:00:03:0a) or role=tx (libpvguest's driver, 02:00:00:00:03:0b),
 * which sends what rx asks for: "SEND n frames of len bytes".
 * rx checks:
 * - with MRG_RXBUF and 256-byte buffers, a 1514-byte frame takes 6 of
 *   them, in order, num_buffers 6 in the first, used lengths 256 ... 246,
 *   and arrives whole;
 * - a frame that needs more buffers than are posted is dropped and takes
 *   none: the next frame that fits takes the first of them;
 * - without MRG_RXBUF, a frame longer than the buffer is dropped and the
 *   buffer used with length 0; the next frame is fine;
 * - with RING_EVENT_IDX, the device raises the event channel for a frame
 *   when used_event asks for it, and not when it does not;
 * - a bad receive buffer that was never notified is found when a frame
 *   comes: NEEDS_RESET, an event, and the sender is not disturbed.
 */
#include "netkit.h"
#include "../virtio/viokit.h"

#define HDR 12
#define RXBUF 256
#define NRX 16

static const uint8_t mac_rx[6] = { 0x02, 0, 0, 0, 3, 0x0a }, mac_tx[6] = { 0x02, 0, 0, 0, 3, 0x0b };

/* ---- tx: libpvguest's driver, doing what it is told ---------------------------- */

static struct rv_vnet net;

static void sender(void)
{
    static uint8_t buf[RV_VIRTIO_NET_FRAME_MAX];
    int go = 0;
    uint64_t last = rv_time_ns();
    nk_open(&net, mac_tx);
    for (;;) {
        if (!go)
            nk_send(&net, nk_broadcast, NK_HELLO, 0, 0, 64);
        long len = rv_vnet_recv(&net, buf, sizeof(buf), go ? RV_NS_PER_SEC : 20000000ull);
        if (len == -RV_ETIMEDOUT) {
            if (rv_time_ns() - last > 20ull * RV_NS_PER_SEC)
                rvt_failure("no word from rx for 20 s");
            continue;
        }
        RVT_REQUIRE_OK(len, "receiving");
        last = rv_time_ns();
        int damaged;
        const struct nk_msg *m = nk_parse(buf, len, &damaged);
        if (!m || damaged)
            continue;
        go = 1;
        if (m->type == NK_SENDTO) /* seq frames of arg bytes */
            for (uint32_t i = 0; i < m->seq; i++)
                nk_send(&net, mac_rx, NK_DATA, i, 0, m->arg);
        if (m->type == NK_QUIT) {
            nk_send(&net, mac_rx, NK_BYE, 0, 0, 64);
            rvt_success();
        }
    }
}

/* ---- rx: the device by hand ----------------------------------------------------- */

static struct vio_q rx, tx;
static uint8_t *rxbufs, *txbuf;
static uint32_t port;

static void rx_post(uint16_t i)
{
    vio_desc(&rx, i, vio_maddr(rxbufs + i * RXBUF), RXBUF, RV_VRING_DESC_F_WRITE, 0);
    vio_post(&rx, i);
}

static void setup(uint64_t features, unsigned posted)
{
    struct rv_virtio_info info;
    VIO_EXPECT(rv_virtio_probe(0, &info), 0, "PROBE");
    port = info.evtchn;
    vio_negotiate(0, features);
    vio_queue(&rx, 0, 0, NRX);
    vio_queue(&tx, 0, 1, NRX);
    for (uint16_t i = 0; i < posted; i++)
        rx_post(i);
    vio_ready(0);
    rv_evtchn_test_and_clear(port);
}

static void say(uint32_t type, uint32_t seq, uint32_t arg)
{
    memset(txbuf, 0, HDR);
    nk_build(txbuf + HDR, mac_tx, mac_rx, type, seq, arg, 64);
    vio_desc(&tx, 0, vio_maddr(txbuf), HDR + 64, 0, 0);
    /* No events for transmit: the port is the device's, for both queues. */
    *rv_vring_used_event(tx.avail, tx.size) = (uint16_t)(tx.last_used - 1);
    tx.avail->flags = RV_VRING_AVAIL_F_NO_INTERRUPT;
    vio_post(&tx, 0);
    VIO_EXPECT(vio_notify(&tx), 1, "sending a frame by hand");
    vio_take_used(&tx);
}

/* Waits up to 2 s for a used receive entry. */
static int wait_used(void)
{
    uint64_t until = rv_time_ns() + 2 * RV_NS_PER_SEC;
    while (!vio_used_new(&rx))
        if (rv_time_ns() > until)
            return 0;
        else
            rv_sleep_ns(1000000);
    return 1;
}

/*
 * The next frame, from as many buffers as its header says, into f: its
 * length, or -1 if none came.  *bufs = the buffers it took; lens[] their
 * used lengths.  The buffers are posted again.
 */
static long take_frame(uint8_t *f, uint32_t *bufs, uint32_t *lens, uint16_t *first)
{
    uint32_t n = 1, got = 0;
    if (!wait_used())
        return -1;
    for (uint32_t i = 0; i < n; i++) {
        if (i && !wait_used())
            rvt_failure("a frame said it had %u buffers, only %u came", n, i);
        struct rv_vring_used_elem e = vio_take_used(&rx);
        RVT_EXPECT_TRUE(e.id < NRX && e.len <= RXBUF, "a used receive entry names one of our buffers");
        const uint8_t *b = rxbufs + e.id * RXBUF;
        uint32_t skip = 0;
        if (i == 0) {
            const struct rv_virtio_net_hdr *h = (const void *)b;
            *first = (uint16_t)e.id;
            if (e.len == 0) {
                *bufs = 1;
                lens[0] = 0;
                rx_post((uint16_t)e.id);
                return 0;
            }
            RVT_EXPECT_TRUE(e.len >= HDR, "the first buffer holds the header");
            RVT_EXPECT_EQ(h->flags, 0, "header flags");
            RVT_EXPECT_EQ(h->gso_type, RV_VIRTIO_NET_HDR_GSO_NONE, "header gso_type");
            n = h->num_buffers;
            RVT_EXPECT_TRUE(n >= 1 && n <= NRX, "num_buffers");
            skip = HDR;
        }
        lens[i] = e.len;
        memcpy(f + got, b + skip, e.len - skip);
        got += e.len - skip;
        rx_post((uint16_t)e.id);
    }
    *bufs = n;
    return got;
}

/* The next DATA frame (HELLOs from tx are skipped); fails on a damaged one. */
static long data_frame(uint8_t *f, uint32_t *bufs, uint32_t *lens, uint16_t *first)
{
    int damaged;
    for (;;) {
        long len = take_frame(f, bufs, lens, first);
        if (len <= 0)
            return len;
        const struct nk_msg *m = nk_parse(f, len, &damaged);
        if (damaged)
            rvt_failure("a frame of %ld bytes in %u buffers arrived damaged", len, *bufs);
        if (m && m->type == NK_DATA)
            return len;
    }
}

static void receiver(void)
{
    static uint8_t f[2048];
    uint32_t bufs, lens[NRX];
    uint16_t first;
    int damaged;
    rxbufs = vio_page();
    txbuf = vio_page();
    setup(VIO_V1 | VIO_EVIDX | VIO_F(RV_VIRTIO_NET_F_MRG_RXBUF), NRX);
    /* tx says HELLO until it hears from us. */
    for (;;) {
        long len = take_frame(f, &bufs, lens, &first);
        if (len < 0)
            rvt_failure("no HELLO from tx in 2 s");
        const struct nk_msg *m = nk_parse(f, len, &damaged);
        if (m && m->type == NK_HELLO && nk_mac_eq(m->src, mac_tx))
            break;
    }
    say(NK_SENDTO, 1, 1514);
    RVT_EXPECT_EQ(data_frame(f, &bufs, lens, &first), 1514, "a 1514-byte frame over 256-byte buffers");
    RVT_EXPECT_EQ(bufs, 6, "num_buffers: (12 + 1514) / 256 rounded up");
    for (uint32_t i = 0; i < 5; i++)
        RVT_EXPECT_EQ(lens[i], RXBUF, "a full buffer's used length");
    RVT_EXPECT_EQ(lens[5], HDR + 1514 - 5 * RXBUF, "the last buffer's used length");
    while (vio_used_new(&rx)) /* late HELLOs */
        take_frame(f, &bufs, lens, &first);
    rvt_log("MRG_RXBUF: a 1514-byte frame in 6 buffers, whole");

    /* Two buffers posted: a 1514-byte frame does not fit and takes none. */
    setup(VIO_V1 | VIO_EVIDX | VIO_F(RV_VIRTIO_NET_F_MRG_RXBUF), 2);
    say(NK_SENDTO, 1, 1514);
    say(NK_SENDTO, 1, 300);
    RVT_EXPECT_EQ(data_frame(f, &bufs, lens, &first), 300, "the frame after one too big for the buffers posted");
    RVT_EXPECT_EQ(bufs, 2, "it takes both buffers");
    RVT_EXPECT_EQ(first, 0, "starting with the first posted: the big frame took none");

    /* Without MRG_RXBUF: too long for the buffer, used with length 0. */
    setup(VIO_V1 | VIO_EVIDX, 4);
    say(NK_SENDTO, 1, 1000);
    RVT_EXPECT_EQ(take_frame(f, &bufs, lens, &first), 0, "a frame longer than the buffer: used length 0");
    RVT_EXPECT_EQ(first, 0, "in the first buffer");
    say(NK_SENDTO, 1, 200);
    RVT_EXPECT_EQ(data_frame(f, &bufs, lens, &first), 200, "the next frame that fits");
    RVT_EXPECT_EQ(bufs, 1, "num_buffers without MRG_RXBUF");

    /* Event index: an event when used_event asks, none when it does not. */
    setup(VIO_V1 | VIO_EVIDX, 8);
    *rv_vring_used_event(rx.avail, rx.size) = (uint16_t)(rx.last_used - 1);  /* never */
    say(NK_SENDTO, 1, 100);
    RVT_EXPECT_TRUE(wait_used(), "the frame came");
    RVT_EXPECT_EQ(rv_evtchn_test_and_clear(port), 0, "no event when used_event says not to");
    data_frame(f, &bufs, lens, &first);
    *rv_vring_used_event(rx.avail, rx.size) = rx.last_used;  /* the next one */
    say(NK_SENDTO, 1, 100);
    RVT_EXPECT_TRUE(wait_used(), "the frame came");
    RVT_EXPECT_TRUE(rv_evtchn_test_and_clear(port), "an event when used_event asks for it");
    data_frame(f, &bufs, lens, &first);

    /* A bad buffer posted without a notify is found when a frame comes. */
    setup(VIO_V1, 0);
    vio_desc(&rx, 0, vio_pt_maddr(), RXBUF, RV_VRING_DESC_F_WRITE, 0);
    vio_post(&rx, 0);
    say(NK_SENDTO, 1, 100);
    uint64_t until = rv_time_ns() + 2 * RV_NS_PER_SEC;
    while (!(vio_op(RV_VIRTIO_GET_STATUS, 0, 0) & RV_VIRTIO_S_NEEDS_RESET) && rv_time_ns() < until)
        rv_sleep_ns(1000000);
    RVT_EXPECT_TRUE(vio_op(RV_VIRTIO_GET_STATUS, 0, 0) & RV_VIRTIO_S_NEEDS_RESET,
                    "a receive buffer in a page table: NEEDS_RESET when a frame comes");
    RVT_EXPECT_TRUE(rv_evtchn_test_and_clear(port), "and an event");
    RVT_EXPECT_EQ(vio_used_new(&rx), 0, "nothing written for it");

    setup(VIO_V1, NRX);
    for (int tries = 0;; tries++) {
        say(NK_QUIT, 0, 0);
        long len = take_frame(f, &bufs, lens, &first);
        const struct nk_msg *m = len > 0 ? nk_parse(f, len, &damaged) : 0;
        if (m && m->type == NK_BYE)
            break;
        if (tries == 5)
            rvt_failure("tx does not answer QUIT");
    }
    rvt_success();
}

void test_main(void)
{
    const char *role = rv_cmdline_value("role");
    if (!role || (strncmp(role, "rx", 2) && strncmp(role, "tx", 2)))
        rvt_error("args role=rx or role=tx");
    if (role[0] == 't')
        sender();
    receiver();
}
