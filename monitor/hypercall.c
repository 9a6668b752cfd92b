/*
 * monitor/hypercall.c: the hypercall entry.  int 0x82 from ring 1 arrives
 * here with the number in EAX and up to five arguments in EBX, ECX, EDX,
 * ESI and EDI; the result goes back in EAX (pv-abi/hypercall.h).  The
 * dispatch table is generated from the one list in pv-abi, bounds-checked,
 * and an unknown number is -RV_ENOSYS.
 */
#include "hypercall_table.h"
#include "abi.h"
#include "domain.h"
#include "evtchn.h"

#define HC_ENTRY(nr, name, nargs) [nr] = hc_##name,
static const hc_fn table[RV_NR_HYPERCALLS] = { RV_HYPERCALLS(HC_ENTRY) };
#undef HC_ENTRY

int32_t hypercall_call(struct domain *d, uint32_t nr, const uint32_t a[5])
{
    if (nr >= RV_NR_HYPERCALLS || !table[nr])
        return -RV_ENOSYS;
    d->hc_count[nr]++;
    return table[nr](d, a);
}

/*
 * int 0x82 enters here when entry.asm's fast path (the null hypercall)
 * does not take it, with the guest's FS and GS still loaded and a[] the
 * argument registers as entry.asm pushed them.  regparm(3): nr in EAX, a
 * in EDX, f in ECX, so the entry needs no argument copying of its own.
 * The same work as trap_dispatch for a hypercall; the answer says whether
 * the exit must reload FS and GS from the frame.
 */
__attribute__((regparm(3))) int hypercall_entry_c(uint32_t nr, const uint32_t *a,
                                                   struct trap_frame *f)
{
    struct domain *d = current;
    uint32_t fs = f->fs, gs = f->gs;
    fsgs_stale = 0;
    d->frame = f;
    d->stats.hypercalls++;
    int32_t r = hypercall_call(d, nr, a);
    if (nr != RV_HC_iret) /* iret has set the whole frame, EAX included */
        f->eax = (uint32_t)r;
    if (need_resched)
        sched_check_resched();
    const struct rv_vcpu_info *vi = vcpu_info(current);
    if (vi->evtchn_upcall_pending && !vi->evtchn_upcall_mask)
        evtchn_deliver(current, f);
    return fsgs_stale | (fs != f->fs) | (gs != f->gs);
}
