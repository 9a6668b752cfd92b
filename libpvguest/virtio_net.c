/* SPDX-License-Identifier: MIT */
/*
 * libpvguest/virtio_net.c: a virtio-net driver (virtio 1.1, 5.1): one
 * receive and one transmit queue, no offloads, no MRG_RXBUF (so every
 * frame comes in one buffer).
 *
 * Buffers are 2 KiB halves of frames of ours, one descriptor each: the
 * 12-byte header, then the Ethernet frame.  All RV_VNET_RXQ receive
 * buffers are posted at open; a used one is copied out and posted again.
 * A frame to send is copied into the transmit buffer that goes with the
 * descriptor it will take (the head of the free list), so the caller's
 * memory may be anywhere.  Used transmit chains are collected before each
 * send.  Receive events are asked for only while rv_vnet_recv waits.
 */
#include <pvguest.h>
#include <pvguest/virtio.h>

#define RX RV_VIRTIO_NET_RX
#define TX RV_VIRTIO_NET_TX
#define HDR ((uint32_t)sizeof(struct rv_virtio_net_hdr))
#define NET_FEATURES ((1ull << RV_VIRTIO_NET_F_MAC) | (1ull << RV_VIRTIO_NET_F_STATUS) | \
                      (1ull << RV_VIRTIO_NET_F_MTU))

static uint8_t *buffer(uint8_t **pages, unsigned i)
{
    return pages[i / 2] + (i % 2) * RV_VNET_BUF;
}

static long pages(uint8_t **p, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        if (!p[i] && !(p[i] = rv_frame_alloc()))
            return -RV_ENOMEM;
    return 0;
}

static long post(struct rv_vnet *n, uint8_t *buf)
{
    struct rv_vbuf b = { buf, RV_VNET_BUF };
    long r = rv_vq_add(&n->dev, RX, &b, 0, 1);
    return r < 0 ? r : 0;
}

long rv_vnet_open(struct rv_vnet *n, unsigned nth)
{
    long dev = rv_virtio_find(RV_VIRTIO_ID_NET, nth), r;
    uint64_t v;
    if (dev < 0)
        return dev;
    if ((r = rv_virtio_open(&n->dev, (unsigned)dev, NET_FEATURES)) < 0 ||
        (r = rv_vq_setup(&n->dev, RX, RV_VNET_RXQ)) < 0 || (r = rv_vq_setup(&n->dev, TX, RV_VNET_TXQ)) < 0 ||
        (r = pages(n->rx_pages, RV_VNET_RXQ / 2)) < 0 || (r = pages(n->tx_pages, RV_VNET_TXQ / 2)) < 0)
        return r;
    for (unsigned i = 0; i < 6; i++) {
        if ((r = rv_virtio_config_read(&n->dev, i, 1, &v)) < 0)
            return r;
        n->mac[i] = (uint8_t)v;
    }
    n->mtu = 1500;
    if (rv_virtio_has(&n->dev, RV_VIRTIO_NET_F_MTU) && rv_virtio_config_read(&n->dev, 10, 2, &v) == 0)
        n->mtu = (uint16_t)v;
    n->sent = n->received = 0;
    for (unsigned i = 0; i < RV_VNET_RXQ; i++)
        if ((r = post(n, buffer(n->rx_pages, i))) < 0)
            return r;
    return rv_virtio_ready(&n->dev); /* the device sees the posted buffers now */
}

long rv_vnet_queue(struct rv_vnet *n, const void *frame, uint32_t len)
{
    struct rv_vq *vq = &n->dev.vq[TX];
    if (len < RV_VIRTIO_NET_FRAME_MIN || len > RV_VIRTIO_NET_FRAME_MAX)
        return -RV_EINVAL;
    while (rv_vq_get(&n->dev, TX, 0) >= 0)
        ; /* chains the device is done with */
    if (vq->num_free == 0)
        return -RV_ENOSPC;
    uint8_t *buf = buffer(n->tx_pages, vq->free_head); /* the descriptor rv_vq_add will take */
    memset(buf, 0, HDR);                               /* flags 0, GSO_NONE */
    memcpy(buf + HDR, frame, len);
    struct rv_vbuf b = { buf, HDR + len };
    long r = rv_vq_add(&n->dev, TX, &b, 1, 0);
    if (r < 0)
        return r;
    n->sent++;
    return 0;
}

long rv_vnet_flush(struct rv_vnet *n)
{
    long r = rv_vq_kick(&n->dev, TX);
    return r < 0 ? r : 0;
}

long rv_vnet_send(struct rv_vnet *n, const void *frame, uint32_t len)
{
    long r = rv_vnet_queue(n, frame, len);
    return r < 0 ? r : rv_vnet_flush(n);
}

long rv_vnet_recv(struct rv_vnet *n, void *buf, uint32_t size, uint64_t timeout_ns)
{
    uint32_t len;
    long head = timeout_ns ? rv_vq_wait(&n->dev, RX, &len, timeout_ns) : rv_vq_get(&n->dev, RX, &len);
    if (head < 0)
        return head;
    uint64_t maddr = n->dev.vq[RX].desc[head].addr; /* still in place after the get */
    uint8_t *rxb = (uint8_t *)rv_mfn_to_virt((uint32_t)(maddr >> RV_PAGE_SHIFT)) + (maddr & (RV_PAGE_SIZE - 1));
    uint32_t flen = len > HDR ? len - HDR : 0;
    memcpy(buf, rxb + HDR, flen < size ? flen : size);
    long r = post(n, rxb);
    if (r == 0)
        r = rv_vq_kick(&n->dev, RX);
    if (r < 0)
        return r;
    n->received++;
    return (long)flen;
}
