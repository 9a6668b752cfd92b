/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/virtio/viokit.h: what the virtio tests share: the
 * hypercall, a device brought up step by step, raw queues the tests fill
 * by hand (to build the bad rings libpvguest's driver never would),
 * block requests on such a queue, and addresses that are not the
 * domain's to give.
 */
#ifndef VIOKIT_H
#define VIOKIT_H

#include "rvtest.h"

#define VIO_EXPECT(call, rc, what) RVT_EXPECT_RC(call, rc, what)

static inline long vio_op(unsigned cmd, unsigned dev, unsigned long arg)
{
    return rv_hc_virtio_op(cmd, dev, arg);
}

/* Expect the device status byte. */
void vio_expect_status(unsigned dev, long status, const char *what);

/* Reset, ACKNOWLEDGE, DRIVER, driver features (64 bits), FEATURES_OK: all must work. */
void vio_negotiate(unsigned dev, uint64_t features);
/* The device's offered features (64 bits). */
uint64_t vio_offered(unsigned dev);
#define VIO_F(bit) (1ull << (bit))
#define VIO_V1 VIO_F(RV_VIRTIO_F_VERSION_1)
#define VIO_EVIDX VIO_F(RV_VIRTIO_F_RING_EVENT_IDX)
/* DRIVER_OK on top of FEATURES_OK. */
void vio_ready(unsigned dev);

/* A queue the test drives by hand, in two frames of its own (kept across set-ups). */
struct vio_q {
    unsigned dev, index, size;
    volatile struct rv_vring_desc *desc;
    volatile struct rv_vring_avail *avail;
    volatile struct rv_vring_used *used;
    uint16_t avail_idx, last_used;
    uint8_t *dpage, *rpage;
};
/* Zeroes its frames and sets it up (QUEUE_SET must succeed). */
void vio_queue(struct vio_q *q, unsigned dev, unsigned index, unsigned size);
/* A device negotiated with features, queue 0 of size, DRIVER_OK. */
void vio_bringup(struct vio_q *q, unsigned dev, uint64_t features, unsigned size);
void vio_desc(struct vio_q *q, unsigned i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next);
/* Puts head on the available ring (not notified). */
void vio_post(struct vio_q *q, uint16_t head);
long vio_notify(struct vio_q *q);
/* Used entries not yet looked at. */
unsigned vio_used_new(struct vio_q *q);
/* The next used entry (fails the test if there is none). */
struct rv_vring_used_elem vio_take_used(struct vio_q *q);

/* Block requests on a raw queue: header in the request area, data, status. */
struct vio_req {
    struct rv_virtio_blk_req hdr;
    uint8_t status;
};
extern struct vio_req *vio_reqs;      /* 32 of them in a frame of ours */
uint64_t vio_maddr(const volatile void *va);
/* One request in descriptors 3k, 3k+1, 3k+2 (data may be NULL/0: no data descriptor); posts it. */
void vio_blk_post(struct vio_q *q, unsigned k, uint32_t type, uint64_t sector, void *data, uint32_t len);
/* Post, notify, take the used entry: the status byte. */
int vio_blk_do(struct vio_q *q, uint32_t type, uint64_t sector, void *data, uint32_t len);

/* Machine addresses the domain does not own, or may not have the device write. */
uint64_t vio_pt_maddr(void);          /* its L3 page-table frame (start_info pt_base) */
uint64_t vio_first_maddr(void);       /* its first frame */
uint64_t vio_end_maddr(void);         /* just past its last frame */

/* Bad pointers for the hypercall's own argument. */
#define VIO_HOLE 0xfc000000u
uint32_t vio_readonly_va(void);       /* a read-only page: the L3 */

/* A zeroed frame (rvt_error if none). */
void *vio_page(void);
/* Maps a linear-map page read-only (0) or writable (1) again (update_va_mapping, INVLPG). */
void vio_protect(const void *page, int writable);
/* A fresh read-only page holding n bytes of data. */
uint32_t vio_readonly_copy(const void *data, unsigned n);

#endif
