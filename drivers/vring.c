/*
 * drivers/vring.c: split virtqueues (virtio 1.1, 2.6) in a guest's memory,
 * seen from the device side.
 *
 * Every address in a ring is a machine address the guest chose, so each
 * one is checked before it is touched: the frame must belong to the
 * domain (frame_info owner), and a frame the device writes must not be a
 * page table in use (type L1, L2 or L3 with a type count): the guest maps
 * those read-only, and a device write would change a validated table
 * behind the monitor's back (the DMA attack of direct paging).  The
 * monitor is never preempted, so a check made while a chain is taken
 * still holds when the back end writes the buffer in the same hypercall;
 * the copy routines check each frame again anyway.  The same checks stand
 * before a disk's bus-master DMA (chain_each_maddr, drivers/disk.c),
 * which also ends before the hypercall returns.
 *
 * Guest memory is reached by machine address through the monitor's frame
 * window (map_frame), one page at a time: a buffer may cross pages, and
 * the device may work while another domain's page tables are loaded (a
 * console interrupt).  The guest is not running while we look, so the
 * device's own copies of the indices (last_avail, used_idx) are the only
 * state that matters; the guest may scribble on used->idx, never on ours.
 */
#include "vdev.h"
#include "abi.h"
#include "domain.h"
#include "mm.h"
#include "paging.h"
#include "rvlib.h"

/* 0, -RV_EPERM (not the domain's) or -RV_EBUSY (a page table, for a write). */
static int frame_ok(struct domain *d, uint32_t mfn, int write)
{
    struct frame_info *fi = frame_info(mfn);
    if (!fi || fi->owner != d->id)
        return -RV_EPERM;
    if (write && fi->type_count && fi->type >= PGT_L1)
        return -RV_EBUSY;
    return 0;
}

/* Every frame of [addr, addr + len), len > 0, below 4 GiB. */
static int range_ok(struct domain *d, uint64_t addr, uint64_t len, int write)
{
    if (addr >= (1ull << 32) || len > (1ull << 32) - addr)
        return -RV_EPERM;
    uint32_t last = (uint32_t)((addr + len - 1) >> 12);
    for (uint32_t mfn = (uint32_t)(addr >> 12); mfn <= last; mfn++) {
        int rc = frame_ok(d, mfn, write);
        if (rc)
            return rc;
    }
    return 0;
}

/* Copies len bytes between buf and the guest's machine address addr. */
static int gcopy(struct domain *d, uint64_t addr, void *buf, uint32_t len, int to_guest)
{
    uint8_t *b = buf;
    int rc = len ? range_ok(d, addr, len, to_guest) : 0;
    while (!rc && len) {
        uint32_t off = (uint32_t)addr & 4095, n = 4096 - off < len ? 4096 - off : len;
        uint8_t *page = map_frame((uint32_t)(addr >> 12));
        if (to_guest)
            memcpy(page + off, b, n);
        else
            memcpy(b, page + off, n);
        unmap_frame(page);
        addr += n;
        b += n;
        len -= n;
    }
    return rc;
}

static int is_pow2(uint32_t n) { return n && !(n & (n - 1)); }

int vq_check_layout(struct vdev *v, uint32_t size, uint64_t desc, uint64_t avail, uint64_t used)
{
    int rc;
    if (!is_pow2(size) || size > VQ_MAX_SIZE)
        return -RV_EINVAL;
    if (desc % RV_VRING_DESC_ALIGN || avail % RV_VRING_AVAIL_ALIGN || used % RV_VRING_USED_ALIGN)
        return -RV_EINVAL;
    if ((rc = range_ok(v->d, desc, RV_VRING_DESC_BYTES(size), 0)) ||
        (rc = range_ok(v->d, avail, RV_VRING_AVAIL_BYTES(size), 0)) ||
        (rc = range_ok(v->d, used, RV_VRING_USED_BYTES(size), 1)))
        return rc;
    return 0;
}

static uint32_t qnum(struct vdev *v, struct vq *q) { return (uint32_t)(q - v->vq); }

/* One descriptor of a chain, checked and added to c. */
static int take_desc(struct vdev *v, struct vq *q, struct chain *c, uint32_t i, struct rv_vring_desc *dsc)
{
    uint32_t qn = qnum(v, q);
    int rc, write;
    if (gcopy(v->d, q->desc + 16ull * i, dsc, sizeof(*dsc), 0))
        return vdev_fail(v, -RV_EPERM, "queue %u: descriptor table unreadable", qn);
    if (dsc->flags & RV_VRING_DESC_F_INDIRECT)
        return vdev_fail(v, -RV_EINVAL, "queue %u: descriptor %u is indirect (not offered)", qn, i);
    if (dsc->flags & ~(RV_VRING_DESC_F_NEXT | RV_VRING_DESC_F_WRITE))
        return vdev_fail(v, -RV_EINVAL, "queue %u: descriptor %u has unknown flags 0x%x", qn, i, dsc->flags);
    if (dsc->len == 0)
        return vdev_fail(v, -RV_EINVAL, "queue %u: descriptor %u has length 0", qn, i);
    write = (dsc->flags & RV_VRING_DESC_F_WRITE) != 0;
    rc = range_ok(v->d, dsc->addr, dsc->len, write);
    if (rc)
        return vdev_fail(v, rc, "queue %u: descriptor %u: buffer 0x%llx+%u %s", qn, i,
                         (unsigned long long)dsc->addr, dsc->len,
                         rc == -RV_EBUSY ? "is in a page-table frame" : "is not the domain's memory");
    if (!write && c->n_in)
        return vdev_fail(v, -RV_EINVAL, "queue %u: descriptor %u: readable after writable", qn, i);
    uint32_t *total = write ? &c->in_len : &c->out_len;
    if (*total + dsc->len < *total)
        return vdev_fail(v, -RV_EINVAL, "queue %u: chain of descriptor %u longer than 4 GiB", qn, i);
    *total += dsc->len;
    c->seg[c->n_out + c->n_in] = (struct seg){ dsc->addr, dsc->len };
    if (write)
        c->n_in++;
    else
        c->n_out++;
    return 0;
}

int vq_pop(struct vdev *v, struct vq *q, struct chain *c)
{
    uint32_t qn = qnum(v, q);
    uint16_t idx, head;
    if (gcopy(v->d, q->avail + 2, &idx, 2, 0))
        return vdev_fail(v, -RV_EPERM, "queue %u: available ring unreadable", qn);
    uint16_t pending = (uint16_t)(idx - q->last_avail);
    if (pending == 0)
        return 0;
    /* The used ring must still take our answer, or the request is not started at all. */
    if (range_ok(v->d, q->used, RV_VRING_USED_BYTES(q->size), 1))
        return vdev_fail(v, -RV_EBUSY, "queue %u: the used ring is in a page-table frame now", qn);
    if (pending > q->size)
        return vdev_fail(v, -RV_EINVAL, "queue %u: available index %u is %u entries ahead of %u (size %u)",
                         qn, idx, pending, q->last_avail, q->size);
    if (gcopy(v->d, q->avail + 4 + 2ull * (q->last_avail & (q->size - 1)), &head, 2, 0))
        return vdev_fail(v, -RV_EPERM, "queue %u: available ring unreadable", qn);
    if (head >= q->size)
        return vdev_fail(v, -RV_EINVAL, "queue %u: chain head %u beyond the queue (size %u)", qn, head, q->size);
    c->head = head;
    c->n_out = c->n_in = c->out_len = c->in_len = 0;
    /* A chain has at most size descriptors: one more means it loops (virtio 1.1, 2.6.5.3.1). */
    for (uint32_t i = head, n = 0;; n++) {
        struct rv_vring_desc dsc;
        if (n == q->size)
            return vdev_fail(v, -RV_EINVAL, "queue %u: chain from %u is longer than the queue: a loop", qn, head);
        int rc = take_desc(v, q, c, i, &dsc);
        if (rc)
            return rc;
        if (!(dsc.flags & RV_VRING_DESC_F_NEXT))
            break;
        if (dsc.next >= q->size)
            return vdev_fail(v, -RV_EINVAL, "queue %u: descriptor %u: next %u beyond the queue", qn, i, dsc.next);
        i = dsc.next;
    }
    q->last_avail++;
    return 1;
}

int vq_push(struct vdev *v, struct vq *q, uint16_t head, uint32_t len)
{
    struct rv_vring_used_elem e = { head, len };
    uint16_t next = (uint16_t)(q->used_idx + 1);
    if (gcopy(v->d, q->used + 4 + 8ull * (q->used_idx & (q->size - 1)), &e, sizeof(e), 1) ||
        gcopy(v->d, q->used + 2, &next, 2, 1))
        return vdev_fail(v, -RV_EBUSY, "queue %u: used ring not writable (a page table now?)", qnum(v, q));
    q->used_idx = next;
    return 0;
}

/*
 * Event index (virtio 1.1, 2.6.7 and 2.6.10): avail_event tells the driver
 * we want a notification for every new buffer (we work synchronously, so
 * there is never a reason to be spared one); used_event tells us when the
 * driver wants its event.  Without the feature, NO_INTERRUPT does.
 */
void vq_done(struct vdev *v, struct vq *q, uint16_t used_before)
{
    uint16_t word;
    if (!vdev_running(v))
        return;
    if (vdev_has(v, RV_VIRTIO_F_RING_EVENT_IDX)) {
        word = q->last_avail;
        if (gcopy(v->d, q->used + 4 + 8ull * q->size, &word, 2, 1)) {
            vdev_fail(v, -RV_EBUSY, "queue %u: used ring not writable (a page table now?)", qnum(v, q));
            return;
        }
    }
    if (q->used_idx == used_before)
        return;
    if (vdev_has(v, RV_VIRTIO_F_RING_EVENT_IDX)) {
        if (gcopy(v->d, q->avail + 4 + 2ull * q->size, &word, 2, 0) ||
            !rv_vring_need_event(word, q->used_idx, used_before))
            return;
    } else if (gcopy(v->d, q->avail, &word, 2, 0) || (word & RV_VRING_AVAIL_F_NO_INTERRUPT)) {
        return;
    }
    vdev_raise(v);
}

int chain_each_maddr(struct vdev *v, const struct chain *c, int writable, uint32_t off, uint32_t len,
                     int (*fn)(void *ctx, uint64_t maddr, uint32_t n), void *ctx)
{
    uint32_t first = writable ? c->n_out : 0, end = writable ? c->n_out + c->n_in : c->n_out;
    for (uint32_t s = first; s < end && len; s++) {
        if (off >= c->seg[s].len) {
            off -= c->seg[s].len;
            continue;
        }
        uint64_t addr = c->seg[s].addr + off;
        uint32_t left = c->seg[s].len - off < len ? c->seg[s].len - off : len;
        off = 0;
        len -= left;
        while (left) {
            uint32_t po = (uint32_t)addr & 4095, n = 4096 - po < left ? 4096 - po : left;
            int rc = frame_ok(v->d, (uint32_t)(addr >> 12), writable);
            if (rc || (rc = fn(ctx, addr, n)))
                return rc;
            addr += n;
            left -= n;
        }
    }
    return len ? -RV_EINVAL : 0;
}

struct mapped {
    void (*fn)(void *ctx, uint8_t *guest, uint32_t n);
    void *ctx;
};

static int map_piece(void *ctx, uint64_t maddr, uint32_t n)
{
    struct mapped *m = ctx;
    uint8_t *page = map_frame((uint32_t)(maddr >> 12));
    m->fn(m->ctx, page + ((uint32_t)maddr & 4095), n);
    unmap_frame(page);
    return 0;
}

int chain_each(struct vdev *v, const struct chain *c, int writable, uint32_t off, uint32_t len,
               void (*fn)(void *ctx, uint8_t *guest, uint32_t n), void *ctx)
{
    struct mapped m = { fn, ctx };
    return chain_each_maddr(v, c, writable, off, len, map_piece, &m);
}

struct cursor {
    uint8_t *p;
};

static void to_guest(void *ctx, uint8_t *guest, uint32_t n)
{
    struct cursor *cu = ctx;
    memcpy(guest, cu->p, n);
    cu->p += n;
}

static void from_guest(void *ctx, uint8_t *guest, uint32_t n)
{
    struct cursor *cu = ctx;
    memcpy(cu->p, guest, n);
    cu->p += n;
}

int chain_read(struct vdev *v, const struct chain *c, uint32_t off, void *buf, uint32_t len)
{
    struct cursor cu = { buf };
    return chain_each(v, c, 0, off, len, from_guest, &cu);
}

int chain_write(struct vdev *v, const struct chain *c, uint32_t off, const void *buf, uint32_t len)
{
    struct cursor cu = { (uint8_t *)buf };
    return chain_each(v, c, 1, off, len, to_guest, &cu);
}
