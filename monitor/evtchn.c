/*
 * monitor/evtchn.c: event channels.  A port has a pending and a mask bit in
 * the domain's shared_info; raising a port that was not pending and is not
 * masked sets the port's selector bit and evtchn_upcall_pending, wakes the
 * domain if it sleeps, and, on the next return to the guest with the
 * virtual IF on, enters its event callback (pv-abi/event.h gives the
 * protocol).  Ports connect to a virtual IRQ or to a port of another
 * domain; sending on an interdomain port raises the peer's port.
 *
 * Guests change the bitmaps with locked instructions; the monitor changes
 * them only while the guest is not running (one CPU, never preempted), so
 * plain accesses suffice here.
 */
#include "evtchn.h"
#include "abi.h"
#include "domain.h"
#include "gdt.h"
#include "hypercall_table.h"
#include "uaccess.h"

static int test_bit(const uint32_t *map, uint32_t bit) { return (map[bit / 32] >> (bit % 32)) & 1; }
static void set_bit(uint32_t *map, uint32_t bit) { map[bit / 32] |= 1u << (bit % 32); }
static void clear_bit(uint32_t *map, uint32_t bit) { map[bit / 32] &= ~(1u << (bit % 32)); }

static int port_ok(uint32_t port) { return port > 0 && port < RV_NR_EVTCHN; }

int evtchn_is_pending(struct domain *d, uint32_t port)
{
    return port_ok(port) && test_bit(d->shared->evtchn_pending, port);
}

/* The selector bit and upcall flag for a pending, unmasked port. */
static void notify(struct domain *d, uint32_t port)
{
    struct rv_vcpu_info *vi = vcpu_info(d);
    if (test_bit(d->shared->evtchn_mask, port))
        return;
    vi->evtchn_pending_sel |= 1u << (port / 32);
    vi->evtchn_upcall_pending = 1;
    sched_wake(d);
}

void evtchn_set_pending(struct domain *d, uint32_t port)
{
    if (test_bit(d->shared->evtchn_pending, port))
        return;
    set_bit(d->shared->evtchn_pending, port);
    d->events_raised++;
    notify(d, port);
    sched_poll_wake(d, port);
}

void evtchn_send_virq(struct domain *d, unsigned virq)
{
    uint32_t port = d->virq_port[virq];
    if (port)
        evtchn_set_pending(d, port);
}

/*
 * The guest is inside its return window (vcpu_op SET_RETURN_WINDOW) with
 * the virtual IF already on: finish the return it is making, as the iret
 * hypercall would, so the event interrupts the code returned to.  Otherwise
 * the event would interrupt the last instructions of the guest kernel's exit
 * path, after the kernel last looked for work (a reschedule, a signal) to
 * do before returning.  A frame the iret hypercall would refuse is left for
 * the guest's own IRET to fault on.
 */
static void finish_return(struct domain *d, struct trap_frame *f)
{
    const struct rv_return_window *w = &d->ret_win;
    if ((f->cs & 3) != 1 || f->eip < w->start || f->eip >= w->end)
        return;
    if (iret_pop(d, f, f->eip < w->native))
        d->returns_finished++;
}

void evtchn_deliver(struct domain *d, struct trap_frame *f)
{
    struct rv_vcpu_info *vi = vcpu_info(d);
    if (!vi->evtchn_upcall_pending || vi->evtchn_upcall_mask || !d->callback_eip)
        return;
    finish_return(d, f);
    if (vi->evtchn_upcall_mask)
        return; /* the frame returned to had the virtual IF off */
    /* Exactly an exception frame without error code, events masked on entry. */
    push_guest_frame(d, f, 0, 0, d->callback_cs, d->callback_eip, 1, "the event callback");
    d->events_delivered++;
}

static uint32_t alloc_port(struct domain *d)
{
    for (uint32_t p = 1; p < RV_NR_EVTCHN; p++)
        if (d->evtchn[p].state == RV_EVTCHNSTAT_CLOSED)
            return p;
    return 0;
}

uint32_t evtchn_bind_device(struct domain *d, uint32_t dev)
{
    uint32_t p = alloc_port(d);
    if (p)
        d->evtchn[p] = (struct evtchn){ .state = RV_EVTCHNSTAT_DEVICE, .remote_port = (uint16_t)dev };
    return p;
}

static struct domain *live_domain(uint32_t id)
{
    struct domain *r = domain_by_id(id);
    return !r || r->state == DOM_DEAD ? 0 : r;
}

static int32_t bind_virq(struct domain *d, uint32_t arg)
{
    struct rv_evtchn_bind_virq b;
    if (copy_from_guest(&b, arg, sizeof(b)))
        return -RV_EFAULT;
    if (b.virq >= RV_NR_VIRQS)
        return -RV_EINVAL;
    if (d->virq_port[b.virq])
        return -RV_EEXIST;
    uint32_t p = alloc_port(d);
    if (!p)
        return -RV_ENOSPC;
    b.port = p;
    if (copy_to_guest(arg, &b, sizeof(b)))
        return -RV_EFAULT;
    d->evtchn[p] = (struct evtchn){ .state = RV_EVTCHNSTAT_VIRQ, .virq = (uint8_t)b.virq };
    d->virq_port[b.virq] = p;
    return 0;
}

static int32_t alloc_unbound(struct domain *d, uint32_t arg)
{
    struct rv_evtchn_alloc_unbound a;
    if (copy_from_guest(&a, arg, sizeof(a)))
        return -RV_EFAULT;
    if (!live_domain(a.remote_dom))
        return -RV_ESRCH;
    uint32_t p = alloc_port(d);
    if (!p)
        return -RV_ENOSPC;
    a.port = p;
    if (copy_to_guest(arg, &a, sizeof(a)))
        return -RV_EFAULT;
    d->evtchn[p] = (struct evtchn){ .state = RV_EVTCHNSTAT_UNBOUND, .remote_dom = (uint16_t)a.remote_dom };
    return 0;
}

static int32_t bind_interdomain(struct domain *d, uint32_t arg)
{
    struct rv_evtchn_bind_interdomain b;
    if (copy_from_guest(&b, arg, sizeof(b)))
        return -RV_EFAULT;
    struct domain *r = live_domain(b.remote_dom);
    if (!r)
        return -RV_ESRCH;
    if (!port_ok(b.remote_port) || r->evtchn[b.remote_port].state != RV_EVTCHNSTAT_UNBOUND ||
        r->evtchn[b.remote_port].remote_dom != d->id)
        return -RV_EINVAL;
    uint32_t p = alloc_port(d);
    if (!p)
        return -RV_ENOSPC;
    b.local_port = p;
    if (copy_to_guest(arg, &b, sizeof(b)))
        return -RV_EFAULT;
    d->evtchn[p] = (struct evtchn){ .state = RV_EVTCHNSTAT_INTERDOMAIN, .remote_dom = (uint16_t)r->id,
                                    .remote_port = (uint16_t)b.remote_port };
    r->evtchn[b.remote_port] = (struct evtchn){ .state = RV_EVTCHNSTAT_INTERDOMAIN,
                                                .remote_dom = (uint16_t)d->id, .remote_port = (uint16_t)p };
    return 0;
}

static int32_t send(struct domain *d, uint32_t port)
{
    if (!port_ok(port) || d->evtchn[port].state != RV_EVTCHNSTAT_INTERDOMAIN)
        return -RV_EINVAL;
    struct domain *r = live_domain(d->evtchn[port].remote_dom);
    if (r)
        evtchn_set_pending(r, d->evtchn[port].remote_port);
    return 0; /* a peer that has died loses the event, as a closed wire would */
}

/* Closing one end of an interdomain channel leaves the other end unbound. */
static void close_port(struct domain *d, uint32_t port)
{
    struct evtchn *e = &d->evtchn[port];
    if (e->state == RV_EVTCHNSTAT_VIRQ)
        d->virq_port[e->virq] = 0;
    if (e->state == RV_EVTCHNSTAT_INTERDOMAIN) {
        struct domain *r = live_domain(e->remote_dom);
        if (r && r->evtchn[e->remote_port].state == RV_EVTCHNSTAT_INTERDOMAIN &&
            r->evtchn[e->remote_port].remote_dom == d->id)
            r->evtchn[e->remote_port] = (struct evtchn){ .state = RV_EVTCHNSTAT_UNBOUND,
                                                         .remote_dom = (uint16_t)d->id };
    }
    *e = (struct evtchn){ 0 };
    clear_bit(d->shared->evtchn_pending, port);
}

void evtchn_close_all(struct domain *d)
{
    for (uint32_t p = 1; p < RV_NR_EVTCHN; p++)
        if (d->evtchn[p].state != RV_EVTCHNSTAT_CLOSED)
            close_port(d, p);
}

static int32_t status(struct domain *d, uint32_t arg)
{
    struct rv_evtchn_status s;
    if (copy_from_guest(&s, arg, sizeof(s)))
        return -RV_EFAULT;
    if (!port_ok(s.port))
        return -RV_EINVAL;
    const struct evtchn *e = &d->evtchn[s.port];
    s.status = e->state;
    s.remote_dom = e->state == RV_EVTCHNSTAT_VIRQ ? 0 : e->remote_dom;
    s.remote_port = e->state == RV_EVTCHNSTAT_VIRQ ? e->virq : e->remote_port;
    return copy_to_guest(arg, &s, sizeof(s));
}

int32_t hc_event_channel_op(struct domain *d, const uint32_t a[5])
{
    switch (a[0]) {
    case RV_EVTCHNOP_BIND_VIRQ:
        return bind_virq(d, a[1]);
    case RV_EVTCHNOP_ALLOC_UNBOUND:
        return alloc_unbound(d, a[1]);
    case RV_EVTCHNOP_BIND_INTERDOMAIN:
        return bind_interdomain(d, a[1]);
    case RV_EVTCHNOP_SEND:
        return send(d, a[1]);
    case RV_EVTCHNOP_CLOSE:
        if (!port_ok(a[1]) || d->evtchn[a[1]].state == RV_EVTCHNSTAT_CLOSED)
            return -RV_EINVAL;
        close_port(d, a[1]);
        return 0;
    case RV_EVTCHNOP_STATUS:
        return status(d, a[1]);
    case RV_EVTCHNOP_UNMASK:
        if (!port_ok(a[1]))
            return -RV_EINVAL;
        clear_bit(d->shared->evtchn_mask, a[1]);
        if (test_bit(d->shared->evtchn_pending, a[1]))
            notify(d, a[1]);
        return 0;
    default:
        return -RV_ENOSYS;
    }
}

int32_t hc_set_callbacks(struct domain *d, const uint32_t a[5])
{
    if (a[1] && (a[1] >= RV_HOLE_START || !gdt_ring1_selector_ok(d, a[0], 1)))
        return -RV_EINVAL;
    d->callback_cs = a[1] ? a[0] : 0;
    d->callback_eip = a[1];
    return 0;
}
