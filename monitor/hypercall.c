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

void hypercall_dispatch(struct domain *d, struct trap_frame *f)
{
    const uint32_t a[5] = { f->ebx, f->ecx, f->edx, f->esi, f->edi };
    uint32_t nr = f->eax;
    d->stats.hypercalls++;
    int32_t r = hypercall_call(d, nr, a);
    if (nr != RV_HC_iret) /* iret has set the whole frame, EAX included */
        f->eax = (uint32_t)r;
}
