/*
 * monitor/hypercall_table.h: the handlers behind pv-abi/hypercall.h.  The
 * table and these prototypes are generated from RV_HYPERCALLS, so a
 * hypercall is added in one place.  a[0..4] are the arguments (EBX, ECX,
 * EDX, ESI, EDI); the return value goes to the guest's EAX.
 */
#ifndef MON_HYPERCALL_TABLE_H
#define MON_HYPERCALL_TABLE_H
#include <stdint.h>
#include "hypercall.h"

struct domain;
struct trap_frame;
typedef int32_t (*hc_fn)(struct domain *d, const uint32_t a[5]);

#define HC_PROTO(nr, name, nargs) int32_t hc_##name(struct domain *d, const uint32_t a[5]);
RV_HYPERCALLS(HC_PROTO)
#undef HC_PROTO

int32_t hypercall_call(struct domain *d, uint32_t nr, const uint32_t a[5]);
void bounce(struct domain *d, struct trap_frame *f, unsigned v, int has_err, uint32_t err);
void push_guest_frame(struct domain *d, struct trap_frame *f, int has_err, uint32_t err,
                      uint32_t cs, uint32_t eip, int mask_events, const char *what);

#endif
