/* SPDX-License-Identifier: MIT */
/*
 * libpvguest/virtio_console.c: a virtio-console driver (virtio 1.1, 5.3),
 * one port.  One frame holds RV_VCONS_RX_BUFS receive buffers, all posted
 * on queue 0 at once, and a 2 KiB transmit buffer.  A used receive
 * buffer is read out by rv_vcons_read, possibly over several calls, then
 * posted again.  Receive events are asked for, so a guest can sleep until
 * input comes (rv_vcons_wait); transmit completes inside the notify.
 */
#include <pvguest.h>
#include <pvguest/virtio.h>

#define RX RV_VIRTIO_CONSOLE_RX
#define TX RV_VIRTIO_CONSOLE_TX
#define TX_OFF (RV_VCONS_RX_BUFS * RV_VCONS_RX_BUF)
#define TX_MAX 2048

static long post(struct rv_vcons *c, unsigned i)
{
    struct rv_vbuf b = { c->page + i * RV_VCONS_RX_BUF, RV_VCONS_RX_BUF };
    long r = rv_vq_add(&c->dev, RX, &b, 0, 1);
    return r < 0 ? r : 0;
}

long rv_vcons_open(struct rv_vcons *c, unsigned nth)
{
    long dev = rv_virtio_find(RV_VIRTIO_ID_CONSOLE, nth), r;
    if (dev < 0)
        return dev;
    if ((r = rv_virtio_open(&c->dev, (unsigned)dev, 0)) < 0 || (r = rv_vq_setup(&c->dev, RX, 16)) < 0 ||
        (r = rv_vq_setup(&c->dev, TX, 16)) < 0)
        return r;
    if (!c->page && !(c->page = rv_frame_alloc()))
        return -RV_ENOMEM;
    c->rx_head = -1;
    rv_vq_events(&c->dev, RX, 1);
    for (unsigned i = 0; i < RV_VCONS_RX_BUFS; i++)
        if ((r = post(c, i)) < 0)
            return r;
    return rv_virtio_ready(&c->dev); /* the device takes the posted buffers now */
}

long rv_vcons_write(struct rv_vcons *c, const void *buf, size_t n)
{
    const uint8_t *p = buf;
    size_t left = n;
    while (left) {
        uint32_t k = left < TX_MAX ? (uint32_t)left : TX_MAX, len;
        memcpy(c->page + TX_OFF, p, k);
        struct rv_vbuf b = { c->page + TX_OFF, k };
        long r = rv_vq_call(&c->dev, TX, &b, 1, 0, &len);
        if (r < 0)
            return r;
        p += k;
        left -= k;
    }
    return (long)n;
}

/* The receive buffer a used chain of ours names (its one descriptor's address, still in place). */
static uint8_t *rx_buffer(struct rv_vcons *c, long head)
{
    uint64_t maddr = c->dev.vq[RX].desc[head].addr;
    return (uint8_t *)rv_mfn_to_virt((uint32_t)(maddr >> RV_PAGE_SHIFT)) + (maddr & (RV_PAGE_SIZE - 1));
}

long rv_vcons_read(struct rv_vcons *c, void *buf, size_t n)
{
    uint8_t *out = buf;
    size_t got = 0;
    while (got < n) {
        if (c->rx_head < 0) {
            uint32_t len;
            long head = rv_vq_get(&c->dev, RX, &len);
            if (head == -RV_EAGAIN)
                break;
            if (head < 0)
                return head;
            c->rx_head = head;
            c->rx_off = 0;
            c->rx_len = len < RV_VCONS_RX_BUF ? len : RV_VCONS_RX_BUF;
        }
        uint8_t *rxb = rx_buffer(c, c->rx_head);
        while (got < n && c->rx_off < c->rx_len)
            out[got++] = rxb[c->rx_off++];
        if (c->rx_off == c->rx_len) {
            long r = post(c, (unsigned)((rxb - c->page) / RV_VCONS_RX_BUF));
            c->rx_head = -1;
            if (r < 0 || (r = rv_vq_kick(&c->dev, RX)) < 0)
                return r;
        }
    }
    return (long)got;
}

long rv_vcons_wait(struct rv_vcons *c, uint64_t timeout_ns)
{
    uint32_t port = c->dev.info.evtchn;
    uint64_t deadline = rv_time_ns() + timeout_ns;
    struct rv_sched_poll p = { .ports = (uint32_t)&port, .nr_ports = 1, .timeout = deadline };
    struct rv_vq *vq = &c->dev.vq[RX];
    while (c->rx_head < 0 && vq->last_used == vq->used->idx) {
        long r = rv_hc_sched_op(RV_SCHED_POLL, (unsigned long)&p, 0);
        rv_evtchn_test_and_clear(port);
        if (r == -RV_ETIMEDOUT)
            return r;
    }
    return 0;
}
