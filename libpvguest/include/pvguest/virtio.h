/* SPDX-License-Identifier: MIT */
/*
 * pvguest/virtio.h: a small virtio driver over the virtio_op transport
 * (pv-abi/virtio.h, ABI.md "Devices"): probing, feature negotiation, split
 * virtqueues in the guest's own frames, and requests; the block,
 * console and network devices on top.
 *
 * Buffers handed to a queue are linear-map addresses (virt_base ..,
 * pvguest/mm.h): the domain's memory is one run of machine frames mapped
 * in order there, so such a buffer is contiguous in machine memory too
 * and takes one descriptor.  The image, its .bss and rv_frame_alloc()
 * pages all qualify.
 *
 * ringvisor's devices work synchronously: when the notify hypercall
 * returns, every buffer made available before it has been used.  The
 * helpers still wait properly (sched_op poll on the device's event
 * channel) so they would work with a device that completes later.  A
 * queue starts with its events suppressed (we look at the used ring after
 * each notify); rv_vq_events(.., 1) asks for them, e.g. to sleep until
 * console input arrives.  The driver owns its device's event channel: it
 * clears the pending bit when it has looked.
 *
 * The structs below start zeroed (static, or memset) and may be opened
 * again later: their queue frames are kept and reused.
 */
#ifndef PVGUEST_VIRTIO_H
#define PVGUEST_VIRTIO_H

#include <stddef.h>
#include <stdint.h>
#include <ringvisor.h>

#define RV_VDEV_QUEUES 2       /* queues a struct rv_vdev holds */
#define RV_VQ_DEFAULT_SIZE 128

struct rv_vbuf {
    const void *addr;          /* a linear-map address */
    uint32_t len;
};

struct rv_vq {
    uint16_t size;             /* 0: not set up */
    uint16_t num_free, free_head;
    uint16_t avail_idx;        /* our copy of avail->idx */
    uint16_t kicked_idx;       /* avail_idx at the last notify */
    uint16_t last_used;        /* the next used entry we read */
    int events;                /* we asked to be notified of used buffers */
    volatile struct rv_vring_desc *desc;
    volatile struct rv_vring_avail *avail;
    volatile struct rv_vring_used *used;
};

struct rv_vdev {
    uint32_t index;            /* the device number */
    struct rv_virtio_info info;
    uint64_t features;         /* negotiated */
    struct rv_vq vq[RV_VDEV_QUEUES];
    uint32_t notifies;         /* notify hypercalls made */
    uint32_t notifies_saved;   /* kicks the device's event index said were not needed */
};

/* ---- the transport ---------------------------------------------------------- */

long rv_hc_virtio_op(unsigned cmd, unsigned dev, unsigned long arg);
long rv_virtio_probe(unsigned dev, struct rv_virtio_info *info);
/* The device number of the nth (0, 1, ...) device of type device_id, or -RV_ENOENT. */
long rv_virtio_find(uint32_t device_id, unsigned nth);

/*
 * Resets device dev, acknowledges it, and negotiates: the device's offer
 * ANDed with `wanted` (device-type bits) plus VERSION_1 (required: a
 * device without it is -RV_EINVAL) and RING_EVENT_IDX; then FEATURES_OK.
 * Queues next (rv_vq_setup), then rv_virtio_ready.
 */
long rv_virtio_open(struct rv_vdev *vd, unsigned dev, uint64_t wanted);
long rv_virtio_config_read(struct rv_vdev *vd, unsigned off, unsigned len, uint64_t *val);
long rv_virtio_status(struct rv_vdev *vd);                 /* the status byte */
long rv_virtio_ready(struct rv_vdev *vd);                  /* DRIVER_OK */
long rv_virtio_reset(struct rv_vdev *vd);                  /* status 0; the queues are forgotten */
static inline int rv_virtio_has(const struct rv_vdev *vd, unsigned feature)
{
    return (vd->features >> feature) & 1;
}

/* Queue q of size (power of two; cut to the device's maximum) in two fresh frames. */
long rv_vq_setup(struct rv_vdev *vd, unsigned q, unsigned size);

/*
 * One chain: n_out device-readable buffers, then n_in device-writable
 * ones.  Returns its head (the id rv_vq_get gives back), -RV_ENOSPC when
 * the queue is full, -RV_EINVAL for a buffer outside the linear map.
 * Nothing reaches the device before rv_vq_kick.
 */
long rv_vq_add(struct rv_vdev *vd, unsigned q, const struct rv_vbuf *bufs, unsigned n_out, unsigned n_in);
/* Notifies the device if it wants it (event index); the notify's result or 0. */
long rv_vq_kick(struct rv_vdev *vd, unsigned q);
/* The next used chain: its head, with *len bytes written; -RV_EAGAIN if none. */
long rv_vq_get(struct rv_vdev *vd, unsigned q, uint32_t *len);
/* rv_vq_get, waiting on the event channel up to timeout_ns (0 = 5 s); -RV_ETIMEDOUT. */
long rv_vq_wait(struct rv_vdev *vd, unsigned q, uint32_t *len, uint64_t timeout_ns);
/* add + kick + wait for that chain: *len as rv_vq_get. */
long rv_vq_call(struct rv_vdev *vd, unsigned q, const struct rv_vbuf *bufs, unsigned n_out, unsigned n_in,
                uint32_t *len);
/* Ask for an event for each used buffer (1) or for none (0). */
void rv_vq_events(struct rv_vdev *vd, unsigned q, int on);

/* ---- block ------------------------------------------------------------------ */

#define RV_VBLK_MAX_SECTORS 256 /* per request; the helpers split larger transfers */

struct rv_vblk {
    struct rv_vdev dev;
    uint64_t capacity;         /* 512-byte sectors */
    int ro;
    struct rv_virtio_blk_req *hdr;  /* in a frame of ours, with the status byte */
    uint8_t *status;
};

/* The nth block device: 0 or -RV_E*. */
long rv_vblk_open(struct rv_vblk *b, unsigned nth);
/*
 * count sectors at sector, to or from buf (linear map).  0 when the device
 * says OK, a positive RV_VIRTIO_BLK_S_* (IOERR, UNSUPP) when it does not,
 * -RV_E* when the transport fails.
 */
long rv_vblk_read(struct rv_vblk *b, uint64_t sector, void *buf, uint32_t count);
long rv_vblk_write(struct rv_vblk *b, uint64_t sector, const void *buf, uint32_t count);
long rv_vblk_flush(struct rv_vblk *b);
/* The device's id string (up to 20 bytes, NUL terminated into id[21]). */
long rv_vblk_get_id(struct rv_vblk *b, char id[RV_VIRTIO_BLK_ID_BYTES + 1]);

/* ---- console ------------------------------------------------------------------ */

#define RV_VCONS_RX_BUFS 8
#define RV_VCONS_RX_BUF 64

struct rv_vcons {
    struct rv_vdev dev;
    uint8_t *page;             /* receive buffers, then the transmit buffer */
    long rx_head;              /* a used receive buffer being read, or -1 */
    uint32_t rx_off, rx_len;
};

/* The nth console device, its receive buffers posted: 0 or -RV_E*. */
long rv_vcons_open(struct rv_vcons *c, unsigned nth);
/* Writes n bytes (in pieces of up to 2 KiB); returns n or -RV_E*. */
long rv_vcons_write(struct rv_vcons *c, const void *buf, size_t n);
/* Input that has arrived, at most n bytes; never blocks.  The count or -RV_E*. */
long rv_vcons_read(struct rv_vcons *c, void *buf, size_t n);
/* Sleeps until input arrives or timeout_ns passes (sched_op poll); 0 or -RV_ETIMEDOUT. */
long rv_vcons_wait(struct rv_vcons *c, uint64_t timeout_ns);

/* ---- network ------------------------------------------------------------------ */

#define RV_VNET_RXQ 64             /* receive buffers posted */
#define RV_VNET_TXQ 32             /* frames that may wait in the transmit queue */
#define RV_VNET_BUF 2048           /* one buffer: the 12-byte header and a frame of up to 1518 bytes */

struct rv_vnet {
    struct rv_vdev dev;
    uint8_t mac[6];                /* the device's (config space) */
    uint16_t mtu;
    uint8_t *rx_pages[RV_VNET_RXQ / 2];  /* two buffers a frame */
    uint8_t *tx_pages[RV_VNET_TXQ / 2];
    uint32_t sent, received;       /* frames */
};

/* The nth network device, its receive buffers posted: 0 or -RV_E*. */
long rv_vnet_open(struct rv_vnet *n, unsigned nth);
/*
 * Sends one Ethernet frame (destination, source, type, payload; 14 to
 * 1518 bytes, no CRC), copied: 0 or -RV_E* (-RV_EINVAL for a bad length).
 */
long rv_vnet_send(struct rv_vnet *n, const void *frame, uint32_t len);
/* The same without notifying the device (-RV_ENOSPC when RV_VNET_TXQ wait); rv_vnet_flush notifies. */
long rv_vnet_queue(struct rv_vnet *n, const void *frame, uint32_t len);
long rv_vnet_flush(struct rv_vnet *n);
/*
 * The next frame received, copied into buf (cut to size): its length.
 * Waits up to timeout_ns for one (sleeping on the device's event
 * channel); timeout 0 does not wait: -RV_EAGAIN.  -RV_ETIMEDOUT.
 */
long rv_vnet_recv(struct rv_vnet *n, void *buf, uint32_t size, uint64_t timeout_ns);

#endif
