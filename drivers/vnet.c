/*
 * drivers/vnet.c: virtio-net (virtio 1.1, 5.1), one receive and one
 * transmit queue, each device a port of the monitor's switch (switch.c).
 *
 * Every buffer starts with the 12-byte struct rv_virtio_net_hdr; no
 * offloads are offered (no checksum or segmentation help), so the header
 * of a transmitted frame carries nothing the device needs and the one of
 * a received frame says only how many buffers it took.
 *
 * Transmit is synchronous like every device here: NOTIFY of queue 1 takes
 * each chain, copies its frame (12-byte header, then 14 to 1518 bytes of
 * Ethernet frame) out of the guest, and hands it to the switch, which has
 * put it into every receiving guest's buffers before the next chain is
 * taken.  A frame of the wrong size is dropped and counted (the chain is
 * still used); a chain without a whole header is a bad ring.
 *
 * Receive buffers wait in the guest's queue 0 until a frame comes; the
 * device takes one (with MRG_RXBUF negotiated: as many as the frame
 * needs) when it does, or drops the frame and counts it when there is
 * none, as a NIC with a full ring would.  Each receive buffer must be
 * device-writable and hold at least the header (5.1.6.3.1).  NOTIFY of
 * queue 0 checks the buffers posted so far, so a bad one is reported to
 * the driver that posted it, not to whoever sends the next frame; they
 * are checked again when used.  Without MRG_RXBUF a frame longer than
 * the buffer is dropped and the buffer given back with length 0.
 *
 * The MAC is the module line's or 52:54:H:56:N:L (N the device's index
 * among the domain's net devices, H:L the domain id's low 16 bits; ids are
 * not reused): unique in the machine.  The link is always up.
 */
#include "vdev.h"
#include "abi.h"
#include "console.h"
#include "domain.h"
#include "nic.h"
#include "rvlib.h"
#include "switch.h"

#define RX RV_VIRTIO_NET_RX
#define TX RV_VIRTIO_NET_TX
#define HDR ((uint32_t)sizeof(struct rv_virtio_net_hdr))

/* One at a time: the monitor is never preempted.  A transmitted frame is
 * delivered while its chain is held, so receive has its own. */
static struct chain tx_chain, rx_chain;
static uint8_t frame[RV_VIRTIO_NET_FRAME_MAX];

static uint64_t features(struct vdev *v)
{
    (void)v;
    return (1ull << RV_VIRTIO_NET_F_MAC) | (1ull << RV_VIRTIO_NET_F_STATUS) | (1ull << RV_VIRTIO_NET_F_MTU) |
           (1ull << RV_VIRTIO_NET_F_MRG_RXBUF);
}

static void config_read(struct vdev *v, uint32_t off, uint32_t len, uint8_t *out)
{
    struct rv_virtio_net_config cfg = {
        .status = RV_VIRTIO_NET_S_LINK_UP,
        .max_virtqueue_pairs = 1,
        .mtu = RV_VIRTIO_NET_MTU,
    };
    memcpy(cfg.mac, v->u.net.mac, 6);
    memcpy(out, (const uint8_t *)&cfg + off, len);
}

static int config_write(struct vdev *v, uint32_t off, uint32_t len, uint64_t val)
{
    (void)v, (void)off, (void)len, (void)val;
    return -RV_EPERM; /* the MAC is the module line's (a VERSION_1 driver never writes it) */
}

/* ---- receive ------------------------------------------------------------------ */

static int rx_chain_ok(struct vdev *v, const struct chain *c)
{
    if (c->n_out || c->in_len < HDR)
        return vdev_fail(v, -RV_EINVAL, "queue 0: receive buffer %u is %s", c->head,
                         c->n_out ? "not all device-writable" : "shorter than the 12-byte header");
    return 0;
}

/* Takes the next receive chain into rx_chain: 1, 0 when none, or -RV_E* (a bad ring). */
static int rx_pop(struct vdev *v)
{
    int rc = vq_pop(v, &v->vq[RX], &rx_chain);
    if (rc > 0 && rx_chain_ok(v, &rx_chain))
        return -RV_EINVAL;
    return rc;
}

/*
 * With MRG_RXBUF, how many receive chains the frame needs (0: not enough
 * posted).  They are only looked at: the available index goes back.
 */
static int rx_count(struct vdev *v, uint32_t need)
{
    struct vq *q = &v->vq[RX];
    uint16_t start = q->last_avail;
    uint32_t have = 0;
    int n = 0, rc;
    while (have < need && (rc = rx_pop(v)) > 0) {
        have += rx_chain.in_len;
        n++;
    }
    q->last_avail = start;
    return have >= need ? n : 0;
}

/* The frame into n chains (the first already in rx_chain), header first. */
static int rx_fill(struct vdev *v, const uint8_t *f, uint32_t len, int n)
{
    struct rv_virtio_net_hdr h = { .gso_type = RV_VIRTIO_NET_HDR_GSO_NONE, .num_buffers = (uint16_t)n };
    uint32_t done = 0;
    for (int i = 0; i < n; i++) {
        uint32_t room = rx_chain.in_len, at = 0, k;
        if (i > 0 && rx_pop(v) <= 0)
            return -RV_EINVAL; /* cannot happen: rx_count saw them, and the guest has not run since */
        if (i == 0) {
            chain_write(v, &rx_chain, 0, &h, HDR);
            at = HDR;
        }
        k = len - done < room - at ? len - done : room - at;
        chain_write(v, &rx_chain, at, f + done, k);
        done += k;
        if (vq_push(v, &v->vq[RX], rx_chain.head, at + k))
            return -RV_EBUSY;
    }
    return 0;
}

/* The switch's deliver function: 0, or -1 when the frame was dropped. */
static int deliver(void *ctx, const uint8_t *f, uint32_t len)
{
    struct vdev *v = ctx;
    struct vq *q = &v->vq[RX];
    if (v->d->state == DOM_DEAD || !vdev_running(v) || !q->size)
        return -1;
    uint16_t before = q->used_idx, start = q->last_avail;
    int rc = rx_pop(v), n = 1;
    if (rc <= 0)
        return -1; /* no buffer (or a bad one: the device now needs a reset) */
    if (rx_chain.in_len < HDR + len) {
        if (!vdev_has(v, RV_VIRTIO_NET_F_MRG_RXBUF)) {
            v->u.net.rx_small++;
            vq_push(v, q, rx_chain.head, 0);
            vq_done(v, q, before);
            return -1;
        }
        q->last_avail = start;
        if ((n = rx_count(v, HDR + len)) == 0 || rx_pop(v) <= 0)
            return -1;
    }
    rc = rx_fill(v, f, len, n);
    vq_done(v, q, before);
    return rc ? -1 : 0;
}

/* Checks the receive buffers posted so far (they stay posted); 0 or -RV_E*. */
static int check_rx(struct vdev *v)
{
    struct vq *q = &v->vq[RX];
    uint16_t start = q->last_avail;
    int rc;
    while ((rc = rx_pop(v)) > 0)
        ;
    q->last_avail = start;
    vq_done(v, q, q->used_idx); /* avail_event: nothing taken yet */
    return rc;
}

/* ---- transmit ------------------------------------------------------------------ */

static int transmit(struct vdev *v)
{
    struct vq *q = &v->vq[TX];
    uint16_t before = q->used_idx;
    int done = 0, rc;
    while ((rc = vq_pop(v, q, &tx_chain)) > 0) {
        if (tx_chain.out_len < HDR) {
            rc = vdev_fail(v, -RV_EINVAL, "queue 1: chain %u is shorter than the 12-byte header", tx_chain.head);
            break;
        }
        uint32_t len = tx_chain.out_len - HDR;
        if (len < RV_VIRTIO_NET_FRAME_MIN || len > RV_VIRTIO_NET_FRAME_MAX)
            v->u.net.tx_bad++;
        else if (chain_read(v, &tx_chain, HDR, frame, len) == 0)
            switch_input(v->u.net.port, frame, len);
        if ((rc = vq_push(v, q, tx_chain.head, 0)) < 0)
            break;
        done++;
    }
    vq_done(v, q, before);
    return rc < 0 ? rc : done;
}

static int notify(struct vdev *v, uint32_t q)
{
    int rc = q == TX ? transmit(v) : check_rx(v);
    nic_poll(); /* replies from outside come in no later than the next notify */
    return rc;
}

/* ---- life ------------------------------------------------------------------------ */

static void destroy(struct vdev *v)
{
    if (v->u.net.port < 0)
        return;
    const struct sw_stats *st = switch_stats(v->u.net.port);
    if (st->in_frames || st->out_frames || v->u.net.tx_bad)
        dlog(v->d, "%s: sent %u frames (%u KiB), received %u (%u KiB), %u dropped for want of a receive "
             "buffer, %u too big for one, %u refused by the switch, %u of a bad size\n", v->name,
             (uint32_t)st->in_frames, (uint32_t)(st->in_bytes >> 10), (uint32_t)st->out_frames,
             (uint32_t)(st->out_bytes >> 10), st->dropped, v->u.net.rx_small, st->refused, v->u.net.tx_bad);
    switch_detach(v->u.net.port);
    v->u.net.port = -1;
}

const struct vdev_ops vnet_ops = {
    .device_id = RV_VIRTIO_ID_NET,
    .num_queues = 2,
    .config_len = sizeof(struct rv_virtio_net_config),
    .features = features,
    .config_read = config_read,
    .config_write = config_write,
    .notify = notify,
    .destroy = destroy,
};

int vnet_create(struct vdev *v, const struct ml_dev *ml, const char **why)
{
    static char why_buf[96];
    uint8_t *mac = v->u.net.mac;
    char name[SW_NAME_MAX];
    const char *user;
    v->u.net.port = -1;
    if (ml->has_mac) {
        memcpy(mac, ml->mac, 6);
    } else {
        static const uint8_t oui[4] = { 0x52, 0x54, 0x00, 0x56 };
        uint8_t nth = 0;
        for (uint32_t i = 0; i < v->index; i++)
            nth += v->d->vdev[i]->ops == &vnet_ops;
        memcpy(mac, oui, 4);
        mac[2] = (uint8_t)(v->d->id >> 8);   /* ids are never reused (domctl) */
        mac[4] = nth;
        mac[5] = (uint8_t)v->d->id;
    }
    if ((user = switch_mac_user(mac))) {
        rv_snprintf(why_buf, sizeof(why_buf), "net=: MAC %02x:%02x:%02x:%02x:%02x:%02x is already %s's", mac[0],
                    mac[1], mac[2], mac[3], mac[4], mac[5], user);
        *why = why_buf;
        return -1;
    }
    if (ml->uplink && nic_uplink(why))
        return -1;
    rv_snprintf(name, sizeof(name), "d%u %s %s", v->d->id, v->d->name, v->name);
    v->u.net.port = switch_attach(name, mac, ml->uplink ? SW_UPLINK_OK : 0, deliver, v);
    if (v->u.net.port < 0) {
        *why = "the switch has no free port";
        return -1;
    }
    dlog(v->d, "%s: virtio-net, MAC %02x:%02x:%02x:%02x:%02x:%02x, switch port %d%s, event channel %u\n",
         v->name, mac[0], mac[1], mac[2], mac[3], mac[4], mac[5], v->u.net.port,
         ml->uplink ? " with the uplink" : "", v->port);
    return 0;
}
