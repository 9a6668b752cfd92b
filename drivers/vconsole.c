/*
 * drivers/vconsole.c: virtio-console (virtio 1.1, 5.3), one port, no
 * multiport: queue 0 receives, queue 1 transmits.
 *
 * Output is the domain's console output, cut into "[d<ID> <NAME>]" lines
 * like console_io writes (console_guest_write), so a guest that prints
 * through its virtio console (Linux's hvc0) looks the same on the serial
 * line.  Input is the serial input the domain gets while it has the
 * console focus (console.c): once the driver is ready and has a receive
 * queue, each byte goes into its receive buffers instead of console_io's
 * queue, and no RV_VIRQ_CONSOLE is raised.  Bytes that arrive while no
 * buffer is posted wait here (VCONS_IN_MAX, then they are dropped, as a
 * UART overrun would) until the driver posts one and notifies queue 0.
 * F_EMERG_WRITE is offered: writing emerg_wr prints its low byte.
 */
#include "vdev.h"
#include "abi.h"
#include "console.h"
#include "domain.h"
#include "rvlib.h"

static struct chain chain; /* one at a time: the monitor is never preempted */

static uint64_t features(struct vdev *v)
{
    (void)v;
    return 1ull << RV_VIRTIO_CONSOLE_F_EMERG_WRITE;
}

static void config_read(struct vdev *v, uint32_t off, uint32_t len, uint8_t *out)
{
    struct rv_virtio_console_config cfg = { 0 };  /* emerg_wr reads as 0 */
    (void)v;
    memcpy(out, (const uint8_t *)&cfg + off, len);
}

static int config_write(struct vdev *v, uint32_t off, uint32_t len, uint64_t val)
{
    uint32_t field = __builtin_offsetof(struct rv_virtio_console_config, emerg_wr);
    if (off != field || len > 4)
        return -RV_EPERM;  /* every other field is read-only */
    char c = (char)val;
    console_guest_write(v->d, &c, 1);
    return 0;
}

static void show(void *ctx, uint8_t *guest, uint32_t n)
{
    console_guest_write(ctx, (const char *)guest, n);
}

/* Every transmit buffer to the console; their writable parts are ignored. */
static int transmit(struct vdev *v)
{
    struct vq *q = &v->vq[RV_VIRTIO_CONSOLE_TX];
    uint16_t before = q->used_idx;
    int done = 0, rc;
    while ((rc = vq_pop(v, q, &chain)) > 0) {
        chain_each(v, &chain, 0, 0, chain.out_len, show, v->d);
        if ((rc = vq_push(v, q, chain.head, 0)) < 0)
            break;
        done++;
    }
    vq_done(v, q, before);
    return rc < 0 ? rc : done;
}

/* Waiting input into as many receive buffers as it takes. */
static int receive(struct vdev *v)
{
    struct vq *q = &v->vq[RV_VIRTIO_CONSOLE_RX];
    uint16_t before = q->used_idx;
    int done = 0, rc = 0;
    char buf[VCONS_IN_MAX];
    while (v->u.cons.in_head != v->u.cons.in_tail && (rc = vq_pop(v, q, &chain)) > 0) {
        if (chain.n_in == 0) {
            rc = vdev_fail(v, -RV_EINVAL, "queue 0: receive buffer %u is not device-writable", chain.head);
            break;
        }
        uint32_t n = 0;
        while (n < chain.in_len && v->u.cons.in_tail != v->u.cons.in_head)
            buf[n++] = v->u.cons.in[v->u.cons.in_tail++ % VCONS_IN_MAX];
        chain_write(v, &chain, 0, buf, n);
        if ((rc = vq_push(v, q, chain.head, n)) < 0)
            break;
        done++;
    }
    vq_done(v, q, before);
    return rc < 0 ? rc : done;
}

static int notify(struct vdev *v, uint32_t q)
{
    return q == RV_VIRTIO_CONSOLE_TX ? transmit(v) : receive(v);
}

int vconsole_input(struct vdev *v, char c)
{
    if (!vdev_running(v) || !v->vq[RV_VIRTIO_CONSOLE_RX].size)
        return 0;  /* not ready: console_io read gets it */
    if (v->u.cons.in_head - v->u.cons.in_tail < VCONS_IN_MAX)
        v->u.cons.in[v->u.cons.in_head++ % VCONS_IN_MAX] = c;
    receive(v);
    return 1;
}

static void reset(struct vdev *v)
{
    v->u.cons.in_head = v->u.cons.in_tail = 0;
}

const struct vdev_ops vconsole_ops = {
    .device_id = RV_VIRTIO_ID_CONSOLE,
    .num_queues = 2,
    .config_len = sizeof(struct rv_virtio_console_config),
    .features = features,
    .config_read = config_read,
    .config_write = config_write,
    .notify = notify,
    .reset = reset,
};
