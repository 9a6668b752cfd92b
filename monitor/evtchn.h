/*
 * monitor/evtchn.h: event channels, the virtual interrupts of a domain
 * (pv-abi/event.h).
 */
#ifndef MON_EVTCHN_H
#define MON_EVTCHN_H
#include <stdint.h>
#include "event.h"

struct domain;
struct trap_frame;

struct evtchn {
    uint8_t state;        /* RV_EVTCHNSTAT_* */
    uint8_t virq;
    uint16_t remote_dom;  /* unbound: who may bind; interdomain: the peer */
    uint16_t remote_port;
};

void evtchn_send_virq(struct domain *d, unsigned virq);
void evtchn_set_pending(struct domain *d, uint32_t port);
void evtchn_close_all(struct domain *d);
/* A port bound by the monitor to d's device number dev (RV_EVTCHNSTAT_DEVICE); 0 if none is free. */
uint32_t evtchn_bind_device(struct domain *d, uint32_t dev);
/* On the way back to a guest: enter its event callback if it is due. */
void evtchn_deliver(struct domain *d, struct trap_frame *f);
int evtchn_is_pending(struct domain *d, uint32_t port);
#endif
