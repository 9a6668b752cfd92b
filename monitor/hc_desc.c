/*
 * monitor/hc_desc.c: update_descriptor and set_gdt, the only ways a
 * descriptor reaches the GDT (they replace LGDT and writes to a GDT).
 * Every descriptor passes desc_check(): no DPL 0, no system descriptors
 * (so no call, task or interrupt gates and no TSS/LDT), and no segment
 * that reaches the hole.  The caller's own CS and SS entries may not be
 * changed under it (-RV_EBUSY): the CPU's cached copies would no longer
 * match the table.  (The monitor itself rewrites an entry only to flip a
 * cut 4 GiB segment between two views that pass desc_check: segfix.c; a
 * guest write makes the entry the guest's again, gdt_set_entry.)
 */
#include "abi.h"
#include "desc.h"
#include "domain.h"
#include "gdt.h"
#include "hypercall_table.h"
#include "rvlib.h"
#include "uaccess.h"

#define DESC_ACCESSED (1u << 8) /* type bit 0 in the high word */

static uint64_t join(uint32_t lo, uint32_t hi)
{
    /* Set the accessed bit now so the CPU never writes it back (SDM Vol. 3A 3.4.5.1). */
    if (hi & (1u << 12))
        hi |= DESC_ACCESSED;
    return ((uint64_t)hi << 32) | lo;
}

static int in_use(struct domain *d, uint32_t idx)
{
    return idx == (d->frame->cs & 0xffff) >> 3 || idx == (d->frame->ss & 0xffff) >> 3;
}

int32_t hc_update_descriptor(struct domain *d, const uint32_t a[5])
{
    const char *why;
    uint32_t idx = a[0];
    if (idx == 0 || idx >= RV_GDT_GUEST_ENTRIES)
        return -RV_EINVAL;
    if (desc_check(a[1], a[2], &why))
        return -RV_EINVAL;
    uint64_t e = join(a[1], a[2]);
    if (in_use(d, idx) && e != d->gdt[idx])
        return -RV_EBUSY;
    gdt_set_entry(d, idx, e);
    return 0;
}

int32_t hc_set_gdt(struct domain *d, const uint32_t a[5])
{
    static struct rv_descriptor tab[RV_GDT_GUEST_ENTRIES];
    const char *why;
    uint32_t count = a[1];
    if (count == 0)
        return -RV_EINVAL;
    if (count > RV_GDT_GUEST_ENTRIES)
        return -RV_E2BIG;
    if (copy_from_guest(tab, a[0], count * sizeof(tab[0])))
        return -RV_EFAULT;
    if (tab[0].low || tab[0].high)
        return -RV_EINVAL;
    for (uint32_t i = 1; i < count; i++)
        if (desc_check(tab[i].low, tab[i].high, &why))
            return -RV_EINVAL;
    for (uint32_t i = 1; i < RV_GDT_GUEST_ENTRIES; i++) {
        uint64_t e = i < count ? join(tab[i].low, tab[i].high) : 0;
        if (in_use(d, i) && e != d->gdt[i])
            return -RV_EBUSY;
    }
    for (uint32_t i = 1; i < RV_GDT_GUEST_ENTRIES; i++)
        gdt_set_entry(d, i, i < count ? join(tab[i].low, tab[i].high) : 0);
    return 0;
}
