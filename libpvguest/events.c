/* SPDX-License-Identifier: MIT */
/*
 * libpvguest/events.c: event channels (pvguest/events.h), Mini-OS style:
 * a table of handlers indexed by port, thin wrappers around
 * event_channel_op, and the dispatcher the event callback runs.
 *
 * The dispatcher is the protocol of ABI.md "Events and time", step by
 * step; the monitor relies on the order.  Clearing evtchn_upcall_pending
 * first means an event that arrives while we scan sets it again, and the
 * monitor re-enters the callback as soon as we iret.  Taking
 * evtchn_pending_sel with XCHG and each pending bit with LOCK BTR means a
 * bit the monitor sets between our read and our write is never lost: it
 * writes those words while we are not running, between any two of our
 * instructions, so only locked read-modify-writes are safe (SDM Vol. 3A
 * 8.1.2.2 for LOCK; XCHG with memory is always locked).
 */
#include <pvguest.h>

static struct {
    rv_evtchn_handler fn;
    void *arg;
} handlers[RV_NR_EVTCHN];

volatile uint32_t rv_evtchn_upcalls, rv_evtchn_handled;

static volatile struct rv_shared_info *sh(void)
{
    return rv_shared_info;
}

static int port_ok(uint32_t port)
{
    return port > 0 && port < RV_NR_EVTCHN;
}

void rv_evtchn_do_upcall(struct rv_trap_frame *f)
{
    volatile struct rv_vcpu_info *v = rv_vcpu();
    uint32_t sel;

    rv_evtchn_upcalls++;
    v->evtchn_upcall_pending = 0;                            /* step 1 */
    rv_barrier();
    sel = rv_xchg32(&v->evtchn_pending_sel, 0);              /* step 2 */
    while (sel) {
        uint32_t w = (uint32_t)__builtin_ctz(sel);
        uint32_t ready = sh()->evtchn_pending[w] & ~sh()->evtchn_mask[w];

        sel &= sel - 1;
        while (ready) {
            uint32_t port = w * 32 + (uint32_t)__builtin_ctz(ready);

            ready &= ready - 1;
            if (!rv_test_and_clear_bit(sh()->evtchn_pending, port))
                continue;                                    /* someone took it */
            rv_evtchn_handled++;
            if (handlers[port].fn)
                handlers[port].fn(port, f, handlers[port].arg);
        }
    }
    /* step 3: evtentry.asm returns with the iret hypercall */
}

static int callback_set;

int rv_events_ready(void)
{
    return callback_set;
}

long rv_events_init(void)
{
    for (unsigned w = 0; w < RV_NR_EVTCHN / 32; w++)
        sh()->evtchn_mask[w] = ~0u;
    long r = rv_hc_set_callbacks(RV_FLAT_RING1_CS, (unsigned long)rv_evtchn_callback);
    callback_set = r == 0;
    return r;
}

long rv_evtchn_set_handler(uint32_t port, rv_evtchn_handler fn, void *arg)
{
    if (!port_ok(port))
        return -RV_EINVAL;
    if (!fn) {
        rv_evtchn_mask(port);
        handlers[port].fn = 0;
        return 0;
    }
    handlers[port].arg = arg;
    rv_barrier();
    handlers[port].fn = fn;
    rv_evtchn_unmask(port);
    return 0;
}

/* A new port takes fn, if given; a failed call leaves nothing behind. */
static long bound(long port, rv_evtchn_handler fn, void *arg)
{
    if (port > 0 && fn)
        rv_evtchn_set_handler((uint32_t)port, fn, arg);
    return port;
}

long rv_evtchn_bind_virq(uint32_t virq, rv_evtchn_handler fn, void *arg)
{
    struct rv_evtchn_bind_virq b = { .virq = virq };
    long r = rv_hc_event_channel_op(RV_EVTCHNOP_BIND_VIRQ, &b);

    return bound(r < 0 ? r : (long)b.port, fn, arg);
}

long rv_evtchn_alloc_unbound(uint32_t remote_dom)
{
    struct rv_evtchn_alloc_unbound a = { .remote_dom = remote_dom };
    long r = rv_hc_event_channel_op(RV_EVTCHNOP_ALLOC_UNBOUND, &a);

    return r < 0 ? r : (long)a.port;
}

long rv_evtchn_bind_interdomain(uint32_t remote_dom, uint32_t remote_port,
                                rv_evtchn_handler fn, void *arg)
{
    struct rv_evtchn_bind_interdomain b = { .remote_dom = remote_dom, .remote_port = remote_port };
    long r = rv_hc_event_channel_op(RV_EVTCHNOP_BIND_INTERDOMAIN, &b);

    return bound(r < 0 ? r : (long)b.local_port, fn, arg);
}

long rv_evtchn_send(uint32_t port)
{
    return rv_hc_event_channel_op(RV_EVTCHNOP_SEND, (void *)(uintptr_t)port);
}

long rv_evtchn_close(uint32_t port)
{
    long r = rv_hc_event_channel_op(RV_EVTCHNOP_CLOSE, (void *)(uintptr_t)port);

    if (r == 0)
        rv_evtchn_set_handler(port, 0, 0);
    return r;
}

long rv_evtchn_status(uint32_t port, struct rv_evtchn_status *st)
{
    st->port = port;
    return rv_hc_event_channel_op(RV_EVTCHNOP_STATUS, st);
}

void rv_evtchn_mask(uint32_t port)
{
    if (port_ok(port))
        rv_test_and_set_bit(sh()->evtchn_mask, port);
}

/*
 * Clearing the mask bit is a plain locked write; a port that was already
 * pending raised no upcall while masked, so then ask the monitor to raise
 * it now (EVTCHNOP_UNMASK).  A port that becomes pending after our write
 * finds the mask clear and notifies by itself.
 */
void rv_evtchn_unmask(uint32_t port)
{
    if (!port_ok(port))
        return;
    rv_test_and_clear_bit(sh()->evtchn_mask, port);
    if (rv_evtchn_is_pending(port))
        rv_hc_event_channel_op(RV_EVTCHNOP_UNMASK, (void *)(uintptr_t)port);
}

int rv_evtchn_is_pending(uint32_t port)
{
    return port_ok(port) && ((sh()->evtchn_pending[port / 32] >> (port % 32)) & 1);
}

int rv_evtchn_is_masked(uint32_t port)
{
    return port_ok(port) && ((sh()->evtchn_mask[port / 32] >> (port % 32)) & 1);
}

int rv_evtchn_test_and_clear(uint32_t port)
{
    return port_ok(port) && rv_test_and_clear_bit(sh()->evtchn_pending, port);
}
