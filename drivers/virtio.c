/*
 * drivers/virtio.c: the virtio transport over the virtio_op hypercall
 * (pv-abi/virtio.h, ABI.md "Devices").  What PCI or MMIO registers are to
 * virtio, virtio_op commands are here: probing, feature negotiation, the
 * status byte, configuration space, queue set-up and notification.
 *
 * A domain's devices come from its module line (console=, disk=, net=), are
 * built with it (virtio_domain_create, each with an event channel bound
 * at once) and go when it is destroyed.  The device status follows the
 * virtio 1.x life cycle: ACKNOWLEDGE, DRIVER, features, FEATURES_OK (only
 * with VERSION_1), queues, DRIVER_OK; 0 resets.  A bad ring costs the
 * device, never the monitor: it is marked NEEDS_RESET, its event channel
 * is raised (a configuration change), and it does nothing more until the
 * driver resets it.  A device number the domain does not have:
 * -RV_ENOENT.
 */
#include <stdarg.h>
#include "abi.h"
#include "console.h"
#include "domain.h"
#include "evtchn.h"
#include "hypercall_table.h"
#include "rvlib.h"
#include "uaccess.h"
#include "vdev.h"
#include "devices.h"

#define MAX_VDEVS 64                 /* devices of all domains together */
#define MAX_COMPLAINTS 8             /* console lines about bad rings, per device */
#define ALWAYS_OFFERED ((1ull << RV_VIRTIO_F_VERSION_1) | (1ull << RV_VIRTIO_F_RING_EVENT_IDX))
#define KNOWN_STATUS (RV_VIRTIO_S_ACKNOWLEDGE | RV_VIRTIO_S_DRIVER | RV_VIRTIO_S_DRIVER_OK | \
                      RV_VIRTIO_S_FEATURES_OK | RV_VIRTIO_S_NEEDS_RESET | RV_VIRTIO_S_FAILED)

static struct vdev pool[MAX_VDEVS];
static uint8_t pool_used[MAX_VDEVS];

/* ---- what the back ends use --------------------------------------------------- */

int vdev_has(const struct vdev *v, unsigned feature)
{
    return (v->driver_features >> feature) & 1;
}

int vdev_running(const struct vdev *v)
{
    return (v->status & RV_VIRTIO_S_DRIVER_OK) &&
           !(v->status & (RV_VIRTIO_S_NEEDS_RESET | RV_VIRTIO_S_FAILED));
}

/* Only while the port is still the one bound to us: the guest may have closed it. */
void vdev_raise(struct vdev *v)
{
    const struct evtchn *e = &v->d->evtchn[v->port];
    if (v->port && e->state == RV_EVTCHNSTAT_DEVICE && e->remote_port == v->index)
        evtchn_set_pending(v->d, v->port);
}

int vdev_fail(struct vdev *v, int err, const char *fmt, ...)
{
    va_list ap;
    if (v->complaints < MAX_COMPLAINTS) {
        dlog(v->d, "%s: ", v->name);
        va_start(ap, fmt);
        kvprintf(fmt, ap);
        va_end(ap);
        kprintf(v->complaints + 1 < MAX_COMPLAINTS ? "; the device needs a reset\n"
                                                    : "; the device needs a reset (no more of these lines)\n");
        v->complaints++;
    }
    if (!(v->status & RV_VIRTIO_S_NEEDS_RESET)) {
        v->status |= RV_VIRTIO_S_NEEDS_RESET;
        vdev_raise(v); /* virtio 1.1, 2.1.2: a configuration change notification */
    }
    return err;
}

/* ---- building and tearing down --------------------------------------------------- */

static struct vdev *vdev_alloc(void)
{
    for (uint32_t i = 0; i < MAX_VDEVS; i++)
        if (!pool_used[i]) {
            pool_used[i] = 1;
            memset(&pool[i], 0, sizeof(pool[i]));
            return &pool[i];
        }
    return 0;
}

static void vdev_free(struct vdev *v)
{
    pool_used[v - pool] = 0;
}

static int create_one(struct domain *d, const struct ml_dev *ml, uint32_t *module, const char **why)
{
    struct vdev *v = vdev_alloc();
    if (!v) {
        *why = "too many virtio devices in the machine";
        return -1;
    }
    v->d = d;
    v->index = d->nr_vdevs;
    d->vdev[d->nr_vdevs++] = v;
    v->port = evtchn_bind_device(d, v->index);
    if (!v->port) {
        *why = "no free event channel for a device";
        return -1;
    }
    if (ml->kind == MLDEV_CONSOLE) {
        v->ops = &vconsole_ops;
        strlcpy(v->name, "console", sizeof(v->name));
        dlog(d, "%s: virtio-console, event channel %u; its input comes through the device once the "
             "driver is ready\n", v->name, v->port);
        return 0;
    }
    if (ml->kind == MLDEV_NET) {
        uint32_t nets = 0;
        for (uint32_t i = 0; i + 1 < d->nr_vdevs; i++)
            nets += d->vdev[i]->ops == &vnet_ops;
        rv_snprintf(v->name, sizeof(v->name), "net%u", nets);
        v->ops = &vnet_ops;
        return vnet_create(v, ml, why);
    }
    uint32_t disks = 0;
    for (uint32_t i = 0; i + 1 < d->nr_vdevs; i++)
        disks += d->vdev[i]->ops == &vblk_ops;
    rv_snprintf(v->name, sizeof(v->name), "disk%u", disks);
    v->ops = &vblk_ops;
    if (vblk_create(v, ml, ml->kind == MLDEV_DISK_NEXT ? (*module)++ : 0, why))
        return -1;
    return 0;
}

int virtio_domain_create(struct domain *d, const struct modline *ml, uint32_t first_module, const char **why)
{
    uint32_t module = first_module;
    for (uint32_t i = 0; i < ml->nr_devs; i++)
        if (create_one(d, &ml->devs[i], &module, why)) {
            virtio_domain_destroy(d);
            return -1;
        }
    return 0;
}

void virtio_domain_destroy(struct domain *d)
{
    for (uint32_t i = 0; i < d->nr_vdevs; i++) {
        struct vdev *v = d->vdev[i];
        if (v->ops && v->ops->destroy)
            v->ops->destroy(v);
        vdev_free(v);
        d->vdev[i] = 0;
    }
    d->nr_vdevs = 0;
}

int virtio_console_input(struct domain *d, char c)
{
    for (uint32_t i = 0; i < d->nr_vdevs; i++)
        if (d->vdev[i]->ops == &vconsole_ops)
            return vconsole_input(d->vdev[i], c);
    return 0;
}

struct vdev *virtio_find_ata(uint8_t drive, uint64_t start, uint64_t sectors, int ro, const struct vdev *self)
{
    for (uint32_t i = 0; i < MAX_VDEVS; i++) {
        const struct vdev *v = &pool[i];
        const struct disk *dk = &v->u.blk.disk;
        if (!pool_used[i] || v == self || v->ops != &vblk_ops || dk->kind != DISK_ATA || dk->drive != drive)
            continue;
        if (start < dk->start + dk->sectors && dk->start < start + sectors && !(ro && dk->ro))
            return (struct vdev *)v;
    }
    return 0;
}

/* ---- the commands ---------------------------------------------------------------- */

static uint64_t offered(struct vdev *v)
{
    return ALWAYS_OFFERED | v->ops->features(v);
}

static void reset(struct vdev *v)
{
    v->status = 0;
    v->driver_features = 0;
    memset(v->vq, 0, sizeof(v->vq));
    if (v->ops->reset)
        v->ops->reset(v);
}

static int32_t probe(struct vdev *v, uint32_t arg)
{
    struct rv_virtio_info info = {
        .device_id = v->ops->device_id,
        .vendor_id = RV_VIRTIO_VENDOR,
        .num_queues = v->ops->num_queues,
        .max_queue_size = VQ_MAX_SIZE,
        .evtchn = v->port,
        .config_len = v->ops->config_len,
    };
    strlcpy(info.name, v->name, sizeof(info.name));
    return copy_to_guest(arg, &info, sizeof(info));
}

static int32_t get_features(struct vdev *v, uint32_t arg)
{
    struct rv_virtio_features f;
    if (copy_from_guest(&f, arg, sizeof(f)))
        return -RV_EFAULT;
    f.bits = f.sel < 2 ? (uint32_t)(offered(v) >> (32 * f.sel)) : 0;
    return copy_to_guest(arg, &f, sizeof(f));
}

/* Only bits the device offers, and only until FEATURES_OK. */
static int32_t set_features(struct vdev *v, uint32_t arg)
{
    struct rv_virtio_features f;
    if (copy_from_guest(&f, arg, sizeof(f)))
        return -RV_EFAULT;
    if (v->status & RV_VIRTIO_S_FEATURES_OK)
        return -RV_EBUSY;
    uint32_t allowed = f.sel < 2 ? (uint32_t)(offered(v) >> (32 * f.sel)) : 0;
    if (f.bits & ~allowed)
        return -RV_EINVAL;
    if (f.sel < 2) {
        uint32_t shift = 32 * f.sel;
        v->driver_features = (v->driver_features & ~(0xffffffffull << shift)) | ((uint64_t)f.bits << shift);
    }
    return 0;
}

/* Uses whatever the driver made available before DRIVER_OK (it may fill a queue first). */
static void start(struct vdev *v)
{
    for (uint32_t q = 0; q < v->ops->num_queues && vdev_running(v); q++)
        if (v->vq[q].size)
            v->ops->notify(v, q);
}

/*
 * The driver only adds bits (0 resets); FEATURES_OK needs DRIVER and
 * VERSION_1 among the driver's features, DRIVER_OK needs FEATURES_OK.  A
 * refused write changes nothing.  NEEDS_RESET stays until a reset.
 */
static int32_t set_status(struct vdev *v, uint32_t status)
{
    if (status == 0) {
        reset(v);
        return 0;
    }
    if (status & ~(uint32_t)KNOWN_STATUS)
        return -RV_EINVAL;
    uint8_t cur = v->status & ~RV_VIRTIO_S_NEEDS_RESET, want = (uint8_t)status & ~RV_VIRTIO_S_NEEDS_RESET;
    uint8_t added = want & ~cur;
    if (cur & ~want)
        return -RV_EINVAL;
    if ((added & RV_VIRTIO_S_DRIVER) && !(want & RV_VIRTIO_S_ACKNOWLEDGE))
        return -RV_EINVAL;
    if ((added & RV_VIRTIO_S_FEATURES_OK) &&
        (!(want & RV_VIRTIO_S_DRIVER) || !vdev_has(v, RV_VIRTIO_F_VERSION_1)))
        return -RV_EINVAL;
    if ((added & RV_VIRTIO_S_DRIVER_OK) && !(want & RV_VIRTIO_S_FEATURES_OK))
        return -RV_EINVAL;
    v->status = want | (v->status & RV_VIRTIO_S_NEEDS_RESET);
    if (added & RV_VIRTIO_S_DRIVER_OK)
        start(v);
    return 0;
}

static int32_t config_access(struct vdev *v, uint32_t arg, int write)
{
    struct rv_virtio_config c;
    if (copy_from_guest(&c, arg, sizeof(c)))
        return -RV_EFAULT;
    if (c.len != 1 && c.len != 2 && c.len != 4 && c.len != 8)
        return -RV_EINVAL;
    if (c.offset > v->ops->config_len || c.len > v->ops->config_len - c.offset)
        return -RV_ERANGE;
    if (write)
        return v->ops->config_write(v, c.offset, c.len, c.value);
    uint8_t bytes[8] = { 0 };
    v->ops->config_read(v, c.offset, c.len, bytes);
    c.value = 0;
    memcpy(&c.value, bytes, c.len);
    return copy_to_guest(arg, &c, sizeof(c));
}

static int32_t queue_get(struct vdev *v, uint32_t arg)
{
    struct rv_virtio_queue q;
    if (copy_from_guest(&q, arg, sizeof(q)))
        return -RV_EFAULT;
    if (q.index >= v->ops->num_queues)
        return -RV_EINVAL;
    const struct vq *vq = &v->vq[q.index];
    q.size = VQ_MAX_SIZE;
    q.desc = vq->desc;
    q.avail = vq->avail;
    q.used = vq->used;
    return copy_to_guest(arg, &q, sizeof(q));
}

/* Between FEATURES_OK and DRIVER_OK, as virtio 1.x drivers do it (3.1.1). */
static int32_t queue_set(struct vdev *v, uint32_t arg)
{
    struct rv_virtio_queue q;
    if (copy_from_guest(&q, arg, sizeof(q)))
        return -RV_EFAULT;
    if (q.index >= v->ops->num_queues)
        return -RV_EINVAL;
    if (!(v->status & RV_VIRTIO_S_FEATURES_OK) || (v->status & RV_VIRTIO_S_DRIVER_OK))
        return -RV_EBUSY;
    struct vq *vq = &v->vq[q.index];
    if (q.size == 0) {
        memset(vq, 0, sizeof(*vq));
        return 0;
    }
    int rc = vq_check_layout(v, q.size, q.desc, q.avail, q.used);
    if (rc)
        return rc;
    *vq = (struct vq){ .size = q.size, .desc = q.desc, .avail = q.avail, .used = q.used };
    return 0;
}

/* Returns the chains used; 0 before DRIVER_OK or on a queue not set up. */
static int32_t notify(struct vdev *v, uint32_t q)
{
    if (q >= v->ops->num_queues)
        return -RV_EINVAL;
    if (v->status & (RV_VIRTIO_S_NEEDS_RESET | RV_VIRTIO_S_FAILED))
        return -RV_EBUSY;
    if (!vdev_running(v) || !v->vq[q].size)
        return 0;
    return v->ops->notify(v, q);
}

int32_t hc_virtio_op(struct domain *d, const uint32_t a[5])
{
    uint32_t cmd = a[0], dev = a[1], arg = a[2];
    if (cmd > RV_VIRTIO_NOTIFY)
        return -RV_ENOSYS;
    if (dev >= d->nr_vdevs)
        return -RV_ENOENT;
    struct vdev *v = d->vdev[dev];
    switch (cmd) {
    case RV_VIRTIO_PROBE:
        return probe(v, arg);
    case RV_VIRTIO_GET_FEATURES:
        return get_features(v, arg);
    case RV_VIRTIO_SET_FEATURES:
        return set_features(v, arg);
    case RV_VIRTIO_GET_STATUS:
        return v->status;
    case RV_VIRTIO_SET_STATUS:
        return set_status(v, arg);
    case RV_VIRTIO_CONFIG_READ:
        return config_access(v, arg, 0);
    case RV_VIRTIO_CONFIG_WRITE:
        return config_access(v, arg, 1);
    case RV_VIRTIO_QUEUE_GET:
        return queue_get(v, arg);
    case RV_VIRTIO_QUEUE_SET:
        return queue_set(v, arg);
    default:
        return notify(v, arg);
    }
}
