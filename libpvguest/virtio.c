/* SPDX-License-Identifier: MIT */
/*
 * libpvguest/virtio.c: the virtio transport and split virtqueues from the
 * driver's side (pvguest/virtio.h; virtio 1.1, 2.6 and 3.1).
 *
 * Initialisation is virtio's: reset, ACKNOWLEDGE, DRIVER, read the
 * device's features and accept a subset (VERSION_1 always), FEATURES_OK
 * and check it stuck, set up the queues, DRIVER_OK.  A queue is a
 * descriptor table in one fresh frame and the available and used rings
 * in another; their machine addresses go to QUEUE_SET.  Free descriptors
 * are a list threaded through desc[].next, as in every virtio driver.
 *
 * Ordering: the device only looks at our rings inside a hypercall (or an
 * interrupt the monitor takes while we are not running), never while our
 * instructions run, so a compiler barrier between filling a ring entry
 * and publishing its index is all the ordering we need.
 */
#include <pvguest.h>
#include <pvguest/virtio.h>

#define barrier() __asm__ volatile("" : : : "memory")
#define DEFAULT_WAIT_NS (5ull * RV_NS_PER_SEC)

long rv_hc_virtio_op(unsigned cmd, unsigned dev, unsigned long arg)
{
    return rv_hypercall(RV_HC_virtio_op, cmd, dev, arg, 0, 0);
}

long rv_virtio_probe(unsigned dev, struct rv_virtio_info *info)
{
    return rv_hc_virtio_op(RV_VIRTIO_PROBE, dev, (unsigned long)info);
}

long rv_virtio_find(uint32_t device_id, unsigned nth)
{
    struct rv_virtio_info info;
    for (unsigned dev = 0;; dev++) {
        long r = rv_virtio_probe(dev, &info);
        if (r < 0)
            return r;
        if (info.device_id == device_id && nth-- == 0)
            return dev;
    }
}

static long set_status(struct rv_vdev *vd, unsigned status)
{
    return rv_hc_virtio_op(RV_VIRTIO_SET_STATUS, vd->index, status);
}

long rv_virtio_status(struct rv_vdev *vd)
{
    return rv_hc_virtio_op(RV_VIRTIO_GET_STATUS, vd->index, 0);
}

long rv_virtio_reset(struct rv_vdev *vd)
{
    for (unsigned q = 0; q < RV_VDEV_QUEUES; q++)
        vd->vq[q].size = 0; /* their frames stay ours; a new set-up takes fresh ones */
    return set_status(vd, 0);
}

static long negotiate(struct rv_vdev *vd, uint64_t wanted)
{
    struct rv_virtio_features f;
    uint64_t offer = 0;
    for (uint32_t sel = 0; sel < 2; sel++) {
        f.sel = sel;
        long r = rv_hc_virtio_op(RV_VIRTIO_GET_FEATURES, vd->index, (unsigned long)&f);
        if (r < 0)
            return r;
        offer |= (uint64_t)f.bits << (32 * sel);
    }
    if (!((offer >> RV_VIRTIO_F_VERSION_1) & 1))
        return -RV_EINVAL;
    vd->features = offer & (wanted | (1ull << RV_VIRTIO_F_VERSION_1) | (1ull << RV_VIRTIO_F_RING_EVENT_IDX));
    for (uint32_t sel = 0; sel < 2; sel++) {
        f.sel = sel;
        f.bits = (uint32_t)(vd->features >> (32 * sel));
        long r = rv_hc_virtio_op(RV_VIRTIO_SET_FEATURES, vd->index, (unsigned long)&f);
        if (r < 0)
            return r;
    }
    return 0;
}

long rv_virtio_open(struct rv_vdev *vd, unsigned dev, uint64_t wanted)
{
    long r;
    vd->index = dev;
    vd->features = 0;
    vd->notifies = vd->notifies_saved = 0;
    for (unsigned q = 0; q < RV_VDEV_QUEUES; q++)
        vd->vq[q].size = 0; /* a zeroed rv_vdev, or one opened before: its queue frames are kept */
    if ((r = rv_virtio_probe(dev, &vd->info)) < 0 || (r = set_status(vd, 0)) < 0 ||
        (r = set_status(vd, RV_VIRTIO_S_ACKNOWLEDGE)) < 0 ||
        (r = set_status(vd, RV_VIRTIO_S_ACKNOWLEDGE | RV_VIRTIO_S_DRIVER)) < 0 || (r = negotiate(vd, wanted)) < 0 ||
        (r = set_status(vd, RV_VIRTIO_S_ACKNOWLEDGE | RV_VIRTIO_S_DRIVER | RV_VIRTIO_S_FEATURES_OK)) < 0)
        return r;
    r = rv_virtio_status(vd);
    if (r < 0)
        return r;
    return (r & RV_VIRTIO_S_FEATURES_OK) ? 0 : -RV_EINVAL; /* virtio 3.1.1 step 6 */
}

long rv_virtio_config_read(struct rv_vdev *vd, unsigned off, unsigned len, uint64_t *val)
{
    struct rv_virtio_config c = { .offset = off, .len = len };
    long r = rv_hc_virtio_op(RV_VIRTIO_CONFIG_READ, vd->index, (unsigned long)&c);
    if (r == 0)
        *val = c.value;
    return r;
}

long rv_virtio_ready(struct rv_vdev *vd)
{
    return set_status(vd, RV_VIRTIO_S_ACKNOWLEDGE | RV_VIRTIO_S_DRIVER | RV_VIRTIO_S_FEATURES_OK |
                              RV_VIRTIO_S_DRIVER_OK);
}

/* ---- queues ------------------------------------------------------------------- */

static int event_idx(const struct rv_vdev *vd)
{
    return rv_virtio_has(vd, RV_VIRTIO_F_RING_EVENT_IDX);
}

/* The device raises our port for a used buffer only when we ask (2.6.7). */
static void arm(struct rv_vdev *vd, struct rv_vq *vq)
{
    if (event_idx(vd))
        *rv_vring_used_event(vq->avail, vq->size) = vq->events ? vq->last_used : (uint16_t)(vq->last_used - 1);
    else
        vq->avail->flags = vq->events ? 0 : RV_VRING_AVAIL_F_NO_INTERRUPT;
    barrier();
}

void rv_vq_events(struct rv_vdev *vd, unsigned q, int on)
{
    vd->vq[q].events = on;
    arm(vd, &vd->vq[q]);
}

long rv_vq_setup(struct rv_vdev *vd, unsigned q, unsigned size)
{
    struct rv_virtio_queue qd = { .index = q };
    struct rv_vq *vq = &vd->vq[q];
    long r;
    if (q >= RV_VDEV_QUEUES)
        return -RV_EINVAL;
    if ((r = rv_hc_virtio_op(RV_VIRTIO_QUEUE_GET, vd->index, (unsigned long)&qd)) < 0)
        return r;
    if (size > qd.size)
        size = qd.size;
    if (size == 0 || (size & (size - 1)) || size > 256)
        return -RV_EINVAL;
    /* A queue set up again (after a reset) reuses its frames. */
    uint8_t *dpage = (uint8_t *)vq->desc, *rpage = (uint8_t *)vq->avail;
    if (!dpage && !(dpage = rv_frame_alloc()))
        return -RV_ENOMEM;
    if (!rpage && !(rpage = rv_frame_alloc()))
        return -RV_ENOMEM;
    memset(dpage, 0, RV_PAGE_SIZE);
    memset(rpage, 0, RV_PAGE_SIZE);
    memset(vq, 0, sizeof(*vq));
    vq->desc = (volatile struct rv_vring_desc *)dpage;
    vq->avail = (volatile struct rv_vring_avail *)rpage;          /* 6 + 2n <= 518 bytes */
    vq->used = (volatile struct rv_vring_used *)(rpage + 1024);    /* 6 + 8n <= 2054 bytes */
    vq->size = (uint16_t)size;
    vq->num_free = (uint16_t)size;
    for (unsigned i = 0; i + 1 < size; i++)
        vq->desc[i].next = (uint16_t)(i + 1);
    arm(vd, vq);
    qd.size = size;
    qd.desc = rv_virt_to_maddr(dpage);
    qd.avail = rv_virt_to_maddr(rpage);
    qd.used = rv_virt_to_maddr(rpage + 1024);
    r = rv_hc_virtio_op(RV_VIRTIO_QUEUE_SET, vd->index, (unsigned long)&qd);
    if (r < 0)
        vq->size = 0;
    return r;
}

static int in_linear_map(const void *p, uint32_t len)
{
    uint32_t off = (uint32_t)p - rv_start_info->virt_base;
    uint32_t mapped = rv_start_info->nr_mapped < rv_start_info->nr_pages ? rv_start_info->nr_mapped
                                                                         : rv_start_info->nr_pages;
    return (uint32_t)p >= rv_start_info->virt_base && off < mapped * RV_PAGE_SIZE &&
           len <= mapped * RV_PAGE_SIZE - off;
}

long rv_vq_add(struct rv_vdev *vd, unsigned q, const struct rv_vbuf *bufs, unsigned n_out, unsigned n_in)
{
    struct rv_vq *vq = &vd->vq[q];
    unsigned n = n_out + n_in;
    if (q >= RV_VDEV_QUEUES || !vq->size || n == 0)
        return -RV_EINVAL;
    if (n > vq->num_free)
        return -RV_ENOSPC;
    for (unsigned i = 0; i < n; i++)
        if (!in_linear_map(bufs[i].addr, bufs[i].len))
            return -RV_EINVAL;
    uint16_t head = vq->free_head, d = head;
    for (unsigned i = 0; i < n; i++) {
        vq->desc[d].addr = rv_virt_to_maddr(bufs[i].addr);
        vq->desc[d].len = bufs[i].len;
        vq->desc[d].flags = (uint16_t)((i >= n_out ? RV_VRING_DESC_F_WRITE : 0) |
                                       (i + 1 < n ? RV_VRING_DESC_F_NEXT : 0));
        if (i + 1 < n)
            d = vq->desc[d].next;
    }
    vq->free_head = vq->desc[d].next;
    vq->num_free = (uint16_t)(vq->num_free - n);
    vq->avail->ring[vq->avail_idx & (vq->size - 1)] = head;
    barrier();
    vq->avail->idx = ++vq->avail_idx;
    return head;
}

long rv_vq_kick(struct rv_vdev *vd, unsigned q)
{
    struct rv_vq *vq = &vd->vq[q];
    uint16_t old = vq->kicked_idx;
    barrier();
    int need = event_idx(vd) ? rv_vring_need_event(*rv_vring_avail_event(vq->used, vq->size), vq->avail_idx, old)
                             : !(vq->used->flags & RV_VRING_USED_F_NO_NOTIFY);
    vq->kicked_idx = vq->avail_idx;
    if (!need) {
        vd->notifies_saved++;
        return 0;
    }
    vd->notifies++;
    return rv_hc_virtio_op(RV_VIRTIO_NOTIFY, vd->index, q);
}

/* Puts a used chain's descriptors back on the free list. */
static void free_chain(struct rv_vq *vq, uint16_t head)
{
    uint16_t d = head, n = 1;
    while (vq->desc[d].flags & RV_VRING_DESC_F_NEXT) {
        d = vq->desc[d].next;
        n++;
    }
    vq->desc[d].next = vq->free_head;
    vq->free_head = head;
    vq->num_free = (uint16_t)(vq->num_free + n);
}

long rv_vq_get(struct rv_vdev *vd, unsigned q, uint32_t *len)
{
    struct rv_vq *vq = &vd->vq[q];
    barrier();
    if (!vq->size || vq->last_used == vq->used->idx)
        return -RV_EAGAIN;
    barrier();
    volatile struct rv_vring_used_elem *e = &vq->used->ring[vq->last_used & (vq->size - 1)];
    uint32_t id = e->id;
    if (len)
        *len = e->len;
    if (id >= vq->size)
        return -RV_EINVAL; /* not a chain of ours: a device bug */
    vq->last_used++;
    free_chain(vq, (uint16_t)id);
    arm(vd, vq);
    return (long)id;
}

/* Sleeps until the device's port is pending or the deadline passes; clears the port. */
static long wait_port(struct rv_vdev *vd, uint64_t deadline)
{
    uint32_t port = vd->info.evtchn;
    struct rv_sched_poll p = { .ports = (uint32_t)&port, .nr_ports = 1, .timeout = deadline };
    long r = rv_hc_sched_op(RV_SCHED_POLL, (unsigned long)&p, 0);
    rv_evtchn_test_and_clear(port);
    return r;
}

long rv_vq_wait(struct rv_vdev *vd, unsigned q, uint32_t *len, uint64_t timeout_ns)
{
    struct rv_vq *vq = &vd->vq[q];
    uint64_t deadline = rv_time_ns() + (timeout_ns ? timeout_ns : DEFAULT_WAIT_NS);
    int events = vq->events;
    long r;
    while ((r = rv_vq_get(vd, q, len)) == -RV_EAGAIN) {
        rv_vq_events(vd, q, 1);                 /* then look again: it may have come meanwhile */
        if ((r = rv_vq_get(vd, q, len)) != -RV_EAGAIN)
            break;
        if (wait_port(vd, deadline) == -RV_ETIMEDOUT && (r = rv_vq_get(vd, q, len)) == -RV_EAGAIN) {
            r = -RV_ETIMEDOUT;
            break;
        }
    }
    if (vq->events != events)
        rv_vq_events(vd, q, events);
    return r;
}

long rv_vq_call(struct rv_vdev *vd, unsigned q, const struct rv_vbuf *bufs, unsigned n_out, unsigned n_in,
                uint32_t *len)
{
    long head = rv_vq_add(vd, q, bufs, n_out, n_in), r;
    if (head < 0)
        return head;
    if ((r = rv_vq_kick(vd, q)) < 0)
        return r;
    r = rv_vq_wait(vd, q, len, 0);
    if (r >= 0 && r != head)
        return -RV_EINVAL; /* someone else's chain: this helper wants the queue to itself */
    return r;
}
