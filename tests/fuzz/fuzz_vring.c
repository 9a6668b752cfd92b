/*
 * tests/fuzz/fuzz_vring.c: drivers/vring.c (the device side of split
 * virtqueues) on rings a hostile guest wrote.  The input is a queue layout
 * (size, machine addresses of the three rings, the EVENT_IDX feature) and
 * the bytes of the guest's frames; the harness then takes chains as the
 * back ends do (vq_pop, chain_read, chain_write, vq_push, vq_done).
 *
 * A small fake machine stands in for the monitor's memory (frame_info,
 * map_frame): frames GUEST_MFN.. belong to domain 1, whose device this is;
 * one of them is a page table in use (type L1, type_count 1); the frames
 * after them belong to domain 2 and to nobody (the monitor).  Besides ASan
 * and UBSan, the harness checks what vring.c promises: it maps only the
 * domain's frames, never writes a page table or another domain's frame
 * (checked by content afterwards), and every chain it returns lies in the
 * domain's memory, with its writable part outside page tables.
 */
#include <string.h>
#include "fuzz.h"
#include "domain.h"
#include "mm.h"
#include "paging.h"
#include "vdev.h"

#define GUEST_MFN 0x100u
#define GUEST_FRAMES 12u             /* domain 1: 0x100 .. 0x10b */
#define PT_MFN (GUEST_MFN + 11)      /* its last frame is an L1 in use */
#define OTHER_MFN (GUEST_MFN + 12)   /* domain 2 */
#define MONITOR_MFN (GUEST_MFN + 13) /* owner 0 */
#define NFRAMES 14u
#define HDR 28                       /* bytes of layout before the frames' contents */

static uint8_t mem[NFRAMES][4096] __attribute__((aligned(4096)));
static struct frame_info fi[NFRAMES];
static struct domain dom;
static int failed, raised;

struct frame_info *frame_info(uint32_t mfn)
{
    return mfn >= GUEST_MFN && mfn < GUEST_MFN + NFRAMES ? &fi[mfn - GUEST_MFN] : NULL;
}

void *map_frame(uint32_t mfn)
{
    FUZZ_ASSERT(mfn >= GUEST_MFN && mfn < PT_MFN + 1 && fi[mfn - GUEST_MFN].owner == dom.id,
                "maps frame %#x, not the domain's", mfn);
    return mem[mfn - GUEST_MFN];
}

void unmap_frame(void *va) { (void)va; }

int vdev_fail(struct vdev *v, int err, const char *fmt, ...)
{
    (void)v;
    (void)fmt;
    failed = 1;
    return err;
}

int vdev_has(const struct vdev *v, unsigned feature) { return (v->driver_features >> feature) & 1; }
int vdev_running(const struct vdev *v) { (void)v; return !failed; }
void vdev_raise(struct vdev *v) { (void)v; raised++; }

static void machine(const uint8_t *data, size_t size)
{
    memset(fi, 0, sizeof fi);
    for (uint32_t i = 0; i < GUEST_FRAMES; i++)
        fi[i].owner = 1;
    fi[PT_MFN - GUEST_MFN] = (struct frame_info){ .owner = 1, .type = PGT_L1, .type_count = 1, .ref_count = 1 };
    fi[OTHER_MFN - GUEST_MFN].owner = 2;
    memset(mem, 0x5a, sizeof mem);
    size_t n = size > HDR ? size - HDR : 0;
    memcpy(mem, data + HDR, n < GUEST_FRAMES * 4096 ? n : GUEST_FRAMES * 4096);
    dom.id = 1;
    failed = raised = 0;
}

/* The frames vring.c must never write: the page table and the others'. */
static uint64_t untouchable_sum(void)
{
    uint64_t h = 1469598103934665603ull;
    for (uint32_t f = PT_MFN - GUEST_MFN; f < NFRAMES; f++)
        for (uint32_t i = 0; i < 4096; i++)
            h = (h ^ mem[f][i]) * 1099511628211ull;
    return h;
}

static void check_chain(const struct vq *q, const struct chain *c)
{
    uint64_t out = 0, in = 0;
    FUZZ_ASSERT(c->head < q->size && c->n_out + c->n_in <= q->size, "head %u, %u+%u segments, size %u",
                c->head, c->n_out, c->n_in, q->size);
    for (uint32_t s = 0; s < c->n_out + c->n_in; s++) {
        uint64_t a = c->seg[s].addr, end = a + c->seg[s].len;
        int w = s >= c->n_out;
        FUZZ_ASSERT(c->seg[s].len && a >= GUEST_MFN * 4096ull && end <= (w ? PT_MFN : PT_MFN + 1) * 4096ull,
                    "segment %u %#llx+%u (%s) outside the domain's %s frames", s, (unsigned long long)a,
                    c->seg[s].len, w ? "writable" : "readable", w ? "non-table" : "");
        *(w ? &in : &out) += c->seg[s].len;
    }
    FUZZ_ASSERT(out == c->out_len && in == c->in_len, "lengths %u/%u, segments add up to %llu/%llu",
                c->out_len, c->in_len, (unsigned long long)out, (unsigned long long)in);
}

static void serve(struct vdev *v, struct vq *q)
{
    static struct chain c;
    static uint8_t buf[4096];
    uint16_t before = q->used_idx;
    for (int i = 0; i < 8 && !failed; i++) {
        int r = vq_pop(v, q, &c);
        if (r <= 0)
            break;
        check_chain(q, &c);
        uint32_t rd = c.out_len < sizeof buf ? c.out_len : sizeof buf;
        uint32_t wr = c.in_len < sizeof buf ? c.in_len : sizeof buf;
        FUZZ_ASSERT(chain_read(v, &c, 0, buf, rd) == 0, "chain_read of %u of %u bytes failed", rd, c.out_len);
        FUZZ_ASSERT(chain_read(v, &c, c.out_len, buf, 1) != 0, "chain_read past the readable part worked");
        FUZZ_ASSERT(chain_write(v, &c, 0, buf, wr) == 0, "chain_write of %u of %u bytes failed", wr, c.in_len);
        vq_push(v, q, c.head, wr);
    }
    vq_done(v, q, before);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct vdev v;
    machine(data, size);
    memset(&v, 0, sizeof v);
    v.d = &dom;
    v.driver_features = (data && size && (data[0] & 0x80)) ? 1ull << RV_VIRTIO_F_RING_EVENT_IDX : 0;
    uint32_t qsize = 1u << (size ? data[0] & 15 : 0);
    uint64_t desc = fuzz_u64(data, size, 4), avail = fuzz_u64(data, size, 12), used = fuzz_u64(data, size, 20);
    uint64_t before = untouchable_sum();
    if (vq_check_layout(&v, qsize, desc, avail, used) == 0) {
        FUZZ_ASSERT(qsize <= VQ_MAX_SIZE, "size %u accepted", qsize);
        v.vq[0] = (struct vq){ .size = qsize, .desc = desc, .avail = avail, .used = used,
                               .last_avail = (uint16_t)fuzz_u32(data, size, 1) };
        v.vq[0].used_idx = v.vq[0].last_avail;
        serve(&v, &v.vq[0]);
    }
    FUZZ_ASSERT(untouchable_sum() == before, "a page table or another domain's frame was written");
    return 0;
}
