/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/virtio/viokit.c: see viokit.h.
 */
#include "viokit.h"

struct vio_req *vio_reqs;

void *vio_page(void)
{
    void *p = rv_frame_alloc();
    if (!p)
        rvt_error("out of frames");
    return p;
}

uint64_t vio_maddr(const volatile void *va)
{
    return rv_virt_to_maddr((const void *)va);
}

void vio_expect_status(unsigned dev, long status, const char *what)
{
    RVT_EXPECT_EQ(vio_op(RV_VIRTIO_GET_STATUS, dev, 0), status, what);
}

uint64_t vio_offered(unsigned dev)
{
    struct rv_virtio_features f;
    uint64_t bits = 0;
    for (uint32_t sel = 0; sel < 2; sel++) {
        f.sel = sel;
        RVT_REQUIRE_OK(vio_op(RV_VIRTIO_GET_FEATURES, dev, (unsigned long)&f), "GET_FEATURES");
        bits |= (uint64_t)f.bits << (32 * sel);
    }
    return bits;
}

void vio_negotiate(unsigned dev, uint64_t features)
{
    struct rv_virtio_features f;
    RVT_REQUIRE_OK(vio_op(RV_VIRTIO_SET_STATUS, dev, 0), "reset");
    RVT_REQUIRE_OK(vio_op(RV_VIRTIO_SET_STATUS, dev, RV_VIRTIO_S_ACKNOWLEDGE), "ACKNOWLEDGE");
    RVT_REQUIRE_OK(vio_op(RV_VIRTIO_SET_STATUS, dev, RV_VIRTIO_S_ACKNOWLEDGE | RV_VIRTIO_S_DRIVER), "DRIVER");
    for (uint32_t sel = 0; sel < 2; sel++) {
        f.sel = sel;
        f.bits = (uint32_t)(features >> (32 * sel));
        RVT_REQUIRE_OK(vio_op(RV_VIRTIO_SET_FEATURES, dev, (unsigned long)&f), "SET_FEATURES");
    }
    RVT_REQUIRE_OK(vio_op(RV_VIRTIO_SET_STATUS, dev,
                          RV_VIRTIO_S_ACKNOWLEDGE | RV_VIRTIO_S_DRIVER | RV_VIRTIO_S_FEATURES_OK),
                   "FEATURES_OK");
}

void vio_ready(unsigned dev)
{
    RVT_REQUIRE_OK(vio_op(RV_VIRTIO_SET_STATUS, dev,
                          RV_VIRTIO_S_ACKNOWLEDGE | RV_VIRTIO_S_DRIVER | RV_VIRTIO_S_FEATURES_OK |
                              RV_VIRTIO_S_DRIVER_OK),
                   "DRIVER_OK");
}

void vio_queue(struct vio_q *q, unsigned dev, unsigned index, unsigned size)
{
    if (!q->dpage) {
        q->dpage = vio_page();
        q->rpage = vio_page();
    }
    memset(q->dpage, 0, RV_PAGE_SIZE);
    memset(q->rpage, 0, RV_PAGE_SIZE);
    q->dev = dev;
    q->index = index;
    q->size = size;
    q->desc = (volatile struct rv_vring_desc *)q->dpage;
    q->avail = (volatile struct rv_vring_avail *)q->rpage;
    q->used = (volatile struct rv_vring_used *)(q->rpage + 1024);   /* avail: <= 518 bytes */
    q->avail_idx = q->last_used = 0;
    struct rv_virtio_queue qd = { .index = index, .size = size, .desc = vio_maddr(q->desc),
                                  .avail = vio_maddr(q->avail), .used = vio_maddr(q->used) };
    RVT_REQUIRE_OK(vio_op(RV_VIRTIO_QUEUE_SET, dev, (unsigned long)&qd), "QUEUE_SET");
    if (!vio_reqs)
        vio_reqs = vio_page();
}

void vio_bringup(struct vio_q *q, unsigned dev, uint64_t features, unsigned size)
{
    vio_negotiate(dev, features);
    vio_queue(q, dev, 0, size);
    vio_ready(dev);
}

void vio_desc(struct vio_q *q, unsigned i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
    q->desc[i].addr = addr;
    q->desc[i].len = len;
    q->desc[i].flags = flags;
    q->desc[i].next = next;
}

void vio_post(struct vio_q *q, uint16_t head)
{
    q->avail->ring[q->avail_idx % q->size] = head;
    __asm__ volatile("" : : : "memory");
    q->avail->idx = ++q->avail_idx;
}

long vio_notify(struct vio_q *q)
{
    return vio_op(RV_VIRTIO_NOTIFY, q->dev, q->index);
}

unsigned vio_used_new(struct vio_q *q)
{
    return (uint16_t)(q->used->idx - q->last_used);
}

struct rv_vring_used_elem vio_take_used(struct vio_q *q)
{
    if (!vio_used_new(q))
        rvt_failure("no used entry where one was expected (used idx %u)", q->used->idx);
    volatile struct rv_vring_used_elem *e = &q->used->ring[q->last_used++ % q->size];
    return (struct rv_vring_used_elem){ e->id, e->len };
}

void vio_blk_post(struct vio_q *q, unsigned k, uint32_t type, uint64_t sector, void *data, uint32_t len)
{
    struct vio_req *r = &vio_reqs[k];
    unsigned d = 3 * k;
    r->hdr = (struct rv_virtio_blk_req){ .type = type, .sector = sector };
    r->status = 0xee;
    uint16_t dataflags = type == RV_VIRTIO_BLK_T_OUT ? 0 : RV_VRING_DESC_F_WRITE;
    if (len) {
        vio_desc(q, d, vio_maddr(&r->hdr), sizeof(r->hdr), RV_VRING_DESC_F_NEXT, (uint16_t)(d + 1));
        vio_desc(q, d + 1, vio_maddr(data), len, dataflags | RV_VRING_DESC_F_NEXT, (uint16_t)(d + 2));
        vio_desc(q, d + 2, vio_maddr(&r->status), 1, RV_VRING_DESC_F_WRITE, 0);
    } else {
        vio_desc(q, d, vio_maddr(&r->hdr), sizeof(r->hdr), RV_VRING_DESC_F_NEXT, (uint16_t)(d + 2));
        vio_desc(q, d + 2, vio_maddr(&r->status), 1, RV_VRING_DESC_F_WRITE, 0);
    }
    vio_post(q, (uint16_t)d);
}

int vio_blk_do(struct vio_q *q, uint32_t type, uint64_t sector, void *data, uint32_t len)
{
    vio_blk_post(q, 0, type, sector, data, len);
    long r = vio_notify(q);
    if (r != 1)
        rvt_failure("notify of one request returned %s, expected 1", rv_errname(r));
    struct rv_vring_used_elem e = vio_take_used(q);
    RVT_EXPECT_EQ(e.id, 0, "used id of the request");
    return vio_reqs[0].status;
}

uint64_t vio_pt_maddr(void)
{
    return vio_maddr((const void *)rv_start_info->pt_base);
}

uint64_t vio_first_maddr(void)
{
    return (uint64_t)rv_start_info->first_mfn << RV_PAGE_SHIFT;
}

uint64_t vio_end_maddr(void)
{
    return (uint64_t)(rv_start_info->first_mfn + rv_start_info->nr_pages) << RV_PAGE_SHIFT;
}

uint32_t vio_readonly_va(void)
{
    return rv_start_info->pt_base;
}

void vio_protect(const void *page, int writable)
{
    uint64_t pte = ((uint64_t)rv_virt_to_mfn(page) << RV_PAGE_SHIFT) | RV_PTE_P | RV_PTE_US | RV_PTE_A | RV_PTE_D |
                   (writable ? RV_PTE_RW : 0);
    RVT_REQUIRE_OK(rv_hc_update_va_mapping((uint32_t)page, pte, RV_UVMF_INVLPG), "update_va_mapping");
}

uint32_t vio_readonly_copy(const void *data, unsigned n)
{
    uint8_t *page = vio_page();
    memcpy(page, data, n);
    vio_protect(page, 0);
    return (uint32_t)page;
}
