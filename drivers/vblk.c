/*
 * drivers/vblk.c: virtio-blk (virtio 1.1, 5.2), one request queue.
 *
 * A request is one chain: a 16-byte header the device reads, the data,
 * and a status byte the device writes last.  How the driver cuts that
 * into descriptors is its business (2.6.4: no framing assumptions), so the
 * header and data are read as byte ranges of the chain's readable part and
 * the data and status written into its writable part.  A request the
 * disk cannot do (a sector out of range, a length that is not whole
 * sectors, a write to a read-only disk, an I/O error) completes with
 * IOERR; an unknown type with UNSUPP; a chain with no header or no status
 * byte is a bad ring.  Work is synchronous: when RV_VIRTIO_NOTIFY returns,
 * every request made available before it has completed, and a completed
 * write to an ATA disk has reached the drive (FLUSH: its medium).
 *
 * Features: FLUSH, SEG_MAX (a chain may hold all but two descriptors of
 * data), BLK_SIZE (512), RO for a read-only disk.  The configuration
 * never changes while the domain lives.
 */
#include "vdev.h"
#include "abi.h"
#include "console.h"
#include "domain.h"
#include "multiboot.h"
#include "rvlib.h"

#define SECTOR RV_VIRTIO_BLK_SECTOR

static struct chain chain; /* one at a time: the monitor is never preempted */

static uint64_t features(struct vdev *v)
{
    return (1ull << RV_VIRTIO_BLK_F_FLUSH) | (1ull << RV_VIRTIO_BLK_F_SEG_MAX) |
           (1ull << RV_VIRTIO_BLK_F_BLK_SIZE) | ((uint64_t)v->u.blk.disk.ro << RV_VIRTIO_BLK_F_RO);
}

static void config_read(struct vdev *v, uint32_t off, uint32_t len, uint8_t *out)
{
    struct rv_virtio_blk_config cfg = {
        .capacity = v->u.blk.disk.sectors,
        .seg_max = VQ_MAX_SIZE - 2,
        .blk_size = SECTOR,
    };
    memcpy(out, (const uint8_t *)&cfg + off, len);
}

static int config_write(struct vdev *v, uint32_t off, uint32_t len, uint64_t val)
{
    (void)v, (void)off, (void)len, (void)val;
    return -RV_EPERM; /* no writable field (writeback needs CONFIG_WCE, not offered) */
}

/* bytes from sector on: whole sectors inside the disk. */
static int in_range(const struct disk *dk, uint64_t sector, uint32_t bytes)
{
    return bytes % SECTOR == 0 && sector <= dk->sectors && bytes / SECTOR <= dk->sectors - sector;
}

static int get_id(struct vdev *v, const struct chain *c, uint32_t *written)
{
    char id[RV_VIRTIO_BLK_ID_BYTES + 1];
    uint32_t n = c->in_len - 1 < RV_VIRTIO_BLK_ID_BYTES ? c->in_len - 1 : RV_VIRTIO_BLK_ID_BYTES;
    memset(id, 0, sizeof(id));
    rv_snprintf(id, sizeof(id), "ringvisor-d%u-%s", v->d->id, v->name);
    chain_write(v, c, 0, id, n);
    *written = n + 1;
    return RV_VIRTIO_BLK_S_OK;
}

/* One request: its status byte, or -RV_E* for a chain that is not a request. */
static int request(struct vdev *v, const struct chain *c, uint32_t *written)
{
    struct rv_virtio_blk_req h;
    struct disk *dk = &v->u.blk.disk;
    uint32_t data;
    if (c->out_len < sizeof(h) || c->in_len < 1)
        return vdev_fail(v, -RV_EINVAL, "queue 0: chain %u has no request header or no status byte", c->head);
    chain_read(v, c, 0, &h, sizeof(h));
    *written = 1;
    switch (h.type) {
    case RV_VIRTIO_BLK_T_IN:
        data = c->in_len - 1;
        if (!in_range(dk, h.sector, data) || disk_read(dk, h.sector, data / SECTOR, v, c, 0))
            return RV_VIRTIO_BLK_S_IOERR;
        v->u.blk.read_bytes += data;
        *written = c->in_len;
        return RV_VIRTIO_BLK_S_OK;
    case RV_VIRTIO_BLK_T_OUT:
        data = c->out_len - sizeof(h);
        if (dk->ro || !in_range(dk, h.sector, data) || disk_write(dk, h.sector, data / SECTOR, v, c, sizeof(h)))
            return RV_VIRTIO_BLK_S_IOERR;
        v->u.blk.written_bytes += data;
        return RV_VIRTIO_BLK_S_OK;
    case RV_VIRTIO_BLK_T_FLUSH:
        v->u.blk.flushes++;
        return disk_flush(dk) ? RV_VIRTIO_BLK_S_IOERR : RV_VIRTIO_BLK_S_OK;
    case RV_VIRTIO_BLK_T_GET_ID:
        return get_id(v, c, written);
    default:
        return RV_VIRTIO_BLK_S_UNSUPP;
    }
}

static int notify(struct vdev *v, uint32_t qn)
{
    struct vq *q = &v->vq[qn];
    uint16_t before = q->used_idx;
    int done = 0, rc;
    while ((rc = vq_pop(v, q, &chain)) > 0) {
        uint32_t written = 0;
        int st = request(v, &chain, &written);
        if (st < 0) {
            rc = st;
            break;
        }
        uint8_t status = (uint8_t)st;
        chain_write(v, &chain, chain.in_len - 1, &status, 1);
        v->u.blk.reqs++;
        v->u.blk.errors += status != RV_VIRTIO_BLK_S_OK;
        if ((rc = vq_push(v, q, chain.head, written)) < 0)
            break;
        done++;
    }
    vq_done(v, q, before);
    return rc < 0 ? rc : done;
}

static void destroy(struct vdev *v)
{
    if (v->u.blk.reqs)
        dlog(v->d, "%s: %u requests (%u not OK), %u KiB read, %u KiB written, %u flushes\n", v->name,
             v->u.blk.reqs, v->u.blk.errors, (uint32_t)(v->u.blk.read_bytes >> 10),
             (uint32_t)(v->u.blk.written_bytes >> 10), v->u.blk.flushes);
    if (v->u.blk.disk.kind == DISK_ATA && (v->u.blk.disk.dma_cmds || v->u.blk.disk.pio_cmds))
        dlog(v->d, "%s: ata%u: %u DMA commands, %u PIO commands\n", v->name, v->u.blk.disk.drive,
             v->u.blk.disk.dma_cmds, v->u.blk.disk.pio_cmds);
    disk_destroy(&v->u.blk.disk);
}

const struct vdev_ops vblk_ops = {
    .device_id = RV_VIRTIO_ID_BLOCK,
    .num_queues = 1,
    .config_len = sizeof(struct rv_virtio_blk_config),
    .features = features,
    .config_read = config_read,
    .config_write = config_write,
    .notify = notify,
    .destroy = destroy,
};

int vblk_create(struct vdev *v, const struct ml_dev *ml, uint32_t module, const char **why)
{
    static char why_buf[96];
    struct disk *dk = &v->u.blk.disk;
    char what[96];
    int rc;
    if (ml->kind == MLDEV_DISK_NEXT) {
        const struct multiboot_module *m = &boot_modules[module];
        uint32_t len = m->mod_end - m->mod_start;
        if (len == 0) {
            *why = "disk=next: the module is empty";
            return -1;
        }
        rc = memdisk_init(dk, m->mod_start, len, (len + SECTOR - 1) / SECTOR, why);
    } else if (ml->kind == MLDEV_DISK_RAM) {
        rc = memdisk_init(dk, 0, 0, ml->sectors, why);
    } else {
        rc = atadisk_init(dk, ml->drive, ml->start, ml->sectors, why);
        struct vdev *other = rc ? 0 : virtio_find_ata(ml->drive, ml->start, ml->sectors, ml->ro, v);
        if (other) {
            rv_snprintf(why_buf, sizeof(why_buf), "disk=ata%u:%llu+%llu overlaps %s of d%u %s", ml->drive,
                        (unsigned long long)ml->start, (unsigned long long)ml->sectors, other->name,
                        other->d->id, other->d->name);
            *why = why_buf;
            dk->kind = 0; /* nothing of the drive's to give back */
            return -1;
        }
    }
    if (rc)
        return -1;
    dk->ro = ml->ro;
    disk_describe(dk, what, sizeof(what));
    dlog(v->d, "%s: virtio-blk, %llu sectors (%llu KiB)%s, event channel %u: %s", v->name,
         (unsigned long long)dk->sectors, (unsigned long long)(dk->sectors / 2), dk->ro ? ", read-only" : "",
         v->port, what);
    if (ml->kind == MLDEV_DISK_NEXT)
        kprintf(" (module %u)", module);
    kprintf("\n");
    return 0;
}
