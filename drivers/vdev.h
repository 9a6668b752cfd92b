/*
 * drivers/vdev.h: the monitor's virtio devices, inside.  A device is a
 * struct vdev (transport state: status, features, queues, its event
 * channel) plus a back end (struct vdev_ops: console, block or network).
 * The transport (virtio.c) answers virtio_op; the ring code (vring.c)
 * walks a guest's split virtqueues by machine address, checking every
 * address against the domain's frames; the back ends (vconsole.c,
 * vblk.c, vnet.c) do the work of one descriptor chain.  Everything runs
 * synchronously inside a hypercall or an interrupt, with interrupts off,
 * never preempted.
 */
#ifndef DRV_VDEV_H
#define DRV_VDEV_H

#include <stdint.h>
#include "virtio.h"
#include "modline.h"
#include "disk.h"

struct domain;
struct vdev;

#define VDEV_MAX_QUEUES 2        /* console, net: receive and transmit; block: one */
#define VQ_MAX_SIZE 256          /* rv_virtio_info.max_queue_size */
#define VCONS_IN_MAX 256         /* console input held while no buffer is posted */

struct vq {
    uint32_t size;               /* 0: not set up */
    uint64_t desc, avail, used;  /* machine addresses */
    uint16_t last_avail;         /* the next available entry the device takes */
    uint16_t used_idx;           /* the device's own copy of used->idx */
};

/* One descriptor chain, checked: device-readable segments, then writable ones. */
struct seg {
    uint64_t addr;
    uint32_t len;
};
struct chain {
    uint16_t head;
    uint32_t n_out, n_in;        /* segments seg[0 .. n_out) readable, then n_in writable */
    uint32_t out_len, in_len;    /* bytes of each part */
    struct seg seg[VQ_MAX_SIZE];
};

struct vdev_ops {
    uint32_t device_id;
    uint32_t num_queues;
    uint32_t config_len;
    /* the device-type feature bits it offers (VERSION_1 and EVENT_IDX come on top) */
    uint64_t (*features)(struct vdev *v);
    void (*config_read)(struct vdev *v, uint32_t off, uint32_t len, uint8_t *out);
    int (*config_write)(struct vdev *v, uint32_t off, uint32_t len, uint64_t val); /* 0 or -RV_EPERM */
    /* Uses what the driver made available on queue q: chains done or -RV_E* (a bad ring). */
    int (*notify)(struct vdev *v, uint32_t q);
    void (*reset)(struct vdev *v);
    void (*destroy)(struct vdev *v);   /* give back what it holds, print its counts */
};

struct vdev {
    struct domain *d;
    uint32_t index;              /* device number in its domain */
    uint32_t port;               /* the event channel it raises */
    const struct vdev_ops *ops;
    char name[16];
    uint8_t status;              /* RV_VIRTIO_S_* */
    uint64_t driver_features;
    uint32_t complaints;         /* console lines about bad rings (bounded) */
    struct vq vq[VDEV_MAX_QUEUES];
    union {
        struct {
            struct disk disk;
            uint32_t reqs, flushes, errors;
            uint64_t read_bytes, written_bytes;
        } blk;
        struct {
            char in[VCONS_IN_MAX]; /* input not yet in a receive buffer */
            uint32_t in_head, in_tail;
        } cons;
        struct {
            uint8_t mac[6];
            int port;            /* its switch port (switch.h) */
            uint32_t tx_bad;     /* frames shorter than a header or longer than 1518 bytes */
            uint32_t rx_small;   /* frames dropped for a receive buffer too small */
        } net;
    } u;
};

/* ---- virtio.c: the transport ------------------------------------------------ */

int vdev_has(const struct vdev *v, unsigned feature);
int vdev_running(const struct vdev *v);        /* DRIVER_OK and not broken */
/* A bad ring: NEEDS_RESET, a config-change event, one console line; returns err. */
int vdev_fail(struct vdev *v, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void vdev_raise(struct vdev *v);               /* the device's event channel */

/* Another live device on ATA drive `drive` whose region overlaps (not both read-only). */
struct vdev *virtio_find_ata(uint8_t drive, uint64_t start, uint64_t sectors, int ro, const struct vdev *self);

/* ---- vring.c: split virtqueues in guest memory -------------------------------- */

/* Checks a queue layout for QUEUE_SET: 0 or -RV_EINVAL/-RV_EPERM/-RV_EBUSY. */
int vq_check_layout(struct vdev *v, uint32_t size, uint64_t desc, uint64_t avail, uint64_t used);
/* The next available chain into c: 1, 0 when there is none, or -RV_E* for a bad ring. */
int vq_pop(struct vdev *v, struct vq *q, struct chain *c);
/* Puts chain head on the used ring with len bytes written: 0 or -RV_EBUSY. */
int vq_push(struct vdev *v, struct vq *q, uint16_t head, uint32_t len);
/* After a batch: event-index bookkeeping, and the event if the driver wants one. */
void vq_done(struct vdev *v, struct vq *q, uint16_t used_before);
/* Copies between the monitor and the readable (read) or writable (write) part of a chain. */
int chain_read(struct vdev *v, const struct chain *c, uint32_t off, void *buf, uint32_t len);
int chain_write(struct vdev *v, const struct chain *c, uint32_t off, const void *buf, uint32_t len);
/* Calls fn on each mapped piece of a part of a chain, page by page. */
int chain_each(struct vdev *v, const struct chain *c, int writable, uint32_t off, uint32_t len,
               void (*fn)(void *ctx, uint8_t *guest, uint32_t n), void *ctx);
/*
 * The same walk by machine address, nothing mapped (for a device's DMA):
 * fn gets each piece, at most a page, once its frame has passed the same
 * checks (the domain's; not a page table in use, for the writable part).
 * 0, the checks' -RV_E*, -RV_EINVAL if the part is shorter, or fn's own
 * non-zero value, which stops the walk.
 */
int chain_each_maddr(struct vdev *v, const struct chain *c, int writable, uint32_t off, uint32_t len,
                     int (*fn)(void *ctx, uint64_t maddr, uint32_t n), void *ctx);

/* ---- back ends ------------------------------------------------------------------ */

extern const struct vdev_ops vconsole_ops, vblk_ops, vnet_ops;
/* vblk.c: sets up disk from its module-line description; 0 or -1 with *why. */
int vblk_create(struct vdev *v, const struct ml_dev *ml, uint32_t module, const char **why);
/* vnet.c: its MAC and its switch port, from the module line; 0 or -1 with *why. */
int vnet_create(struct vdev *v, const struct ml_dev *ml, const char **why);
/* vconsole.c: serial input for d; 1 if its virtio console took it. */
int vconsole_input(struct vdev *v, char c);

#endif
