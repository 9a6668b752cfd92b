/* SPDX-License-Identifier: MIT */
/*
 * libpvguest/aspace.c: address spaces for ring-3 processes.
 *
 * A space is a PAE tree (SDM Vol. 3A 4.4): an L3 of 4 entries, one per
 * GiB, each naming an L2 of 512 entries (2 MiB each), each naming an L1
 * of 512 page entries.  The kernel's mappings are shared, not copied: a
 * new space's L2 starts with the kernel L2's entries with U/S cleared, so
 * its 2 MiB slots point at the kernel's very L1s but only ring 1 can use
 * them (U/S is the AND of the levels, SDM Vol. 3A 4.6.1).  The process
 * gets its own L1s for the slots it maps.  Tables the space allocated, and
 * pages mapped with RV_PTE_OWNED, carry RV_PTE_OWNED (an AVAIL bit the
 * MMU ignores) in the entry that points at them: that is what
 * rv_as_destroy frees, so no other bookkeeping is needed.
 *
 * Life of a space, with the monitor's rules (ABI.md "Direct paging"):
 *   1. built with plain writes: the tables are ordinary writable frames;
 *   2. pinned: their linear mappings made read-only, then PIN_L3_TABLE
 *      validates the tree -- one multicall, with NEW_BASEPTR if it is
 *      being activated;
 *   3. changed only through mmu_update (the queue in mmu.c);
 *   4. destroyed: switched away from, unpinned, made writable again (and
 *      the TLB flushed: no stale read-only translation may linger, SDM
 *      Vol. 3A 4.10.4.3), then its frames go back to the allocator.
 */
#include <pvguest.h>

#define L3_SLOT(va) ((va) >> 30)
#define L2_SLOT(va) (((va) >> 21) & 511)
#define L1_SLOT(va) (((va) >> 12) & 511)

static struct rv_as kernel_as;
static struct rv_as *current_as;

struct rv_as *rv_as_kernel(void)
{
    if (!kernel_as.l3_mfn) {
        kernel_as.l3_mfn = rv_virt_to_mfn((void *)rv_start_info->pt_base);
        kernel_as.pinned = 1; /* the monitor pinned and loaded it */
    }
    return &kernel_as;
}

struct rv_as *rv_as_current(void)
{
    return current_as ? current_as : rv_as_kernel();
}

static uint32_t entry_mfn(uint64_t e)
{
    return (uint32_t)((e & RV_PTE_ADDR) >> RV_PAGE_SHIFT);
}

/* The table (or page) a present entry points at, through the linear map; NULL if none. */
static uint64_t *target(uint64_t e)
{
    if (!(e & RV_PTE_P) || !rv_mfn_mapped(entry_mfn(e)))
        return 0;
    return rv_mfn_to_virt(entry_mfn(e));
}

static int owned(uint64_t e)
{
    return (e & RV_PTE_P) && (e & RV_PTE_OWNED);
}

/* Slots of an L2 the guest controls: in the top GiB the hole's belong to the monitor. */
static unsigned l2_slots(unsigned gib)
{
    return gib == 3 ? RV_L2_HOLE_FIRST : 512;
}

static uint64_t *l3_of(const struct rv_as *as)
{
    return rv_mfn_to_virt(as->l3_mfn);
}

/* ---- building -------------------------------------------------------------- */

/* Frees every RV_PTE_OWNED frame of a tree whose tables are plain writable frames again. */
static void free_tree(struct rv_as *as)
{
    uint64_t *l3 = l3_of(as);

    for (unsigned g = 0; g < 4; g++) {
        uint64_t *l2 = owned(l3[g]) ? target(l3[g]) : 0;

        for (unsigned s = 0; l2 && s < l2_slots(g); s++) {
            uint64_t *l1 = owned(l2[s]) ? target(l2[s]) : 0;

            for (unsigned p = 0; l1 && p < 512; p++)
                if (owned(l1[p]) && target(l1[p]))
                    rv_frame_free(target(l1[p]));
            if (l1)
                rv_frame_free(l1);
        }
        if (l2)
            rv_frame_free(l2);
    }
    rv_frame_free(l3);
    as->l3_mfn = 0;
}

long rv_as_create(struct rv_as *as)
{
    const uint64_t *kl3 = l3_of(rv_as_kernel());
    uint64_t *l3 = rv_frame_alloc();

    if (!l3)
        return -RV_ENOMEM;
    as->l3_mfn = rv_virt_to_mfn(l3);
    as->pinned = 0;
    for (unsigned g = 0; g < 4; g++) {
        const uint64_t *kl2 = target(kl3[g]);
        uint64_t *l2;

        if (!kl2 && g != 3)
            continue; /* no kernel mappings in this GiB: rv_as_map adds an L2 if needed */
        if (!(l2 = rv_frame_alloc())) {
            free_tree(as);
            return -RV_ENOMEM;
        }
        /* PAE L3 entries take only P and the cache bits (SDM Vol. 3A 4.4.1). */
        l3[g] = rv_virt_to_maddr(l2) | RV_PTE_P | RV_PTE_OWNED;
        /* The kernel's L1s, supervisor-only; the top L2's hole slots are left to the monitor. */
        for (unsigned s = 0; kl2 && s < l2_slots(g); s++)
            if (kl2[s] & RV_PTE_P)
                l2[s] = kl2[s] & ~(RV_PTE_US | RV_PTE_OWNED);
    }
    return 0;
}

/* Writes one entry of as: directly while its tables are plain frames, else queued. */
static long set_entry(struct rv_as *as, uint64_t *slot, uint64_t val)
{
    if (!as->pinned) {
        *slot = val;
        return 0;
    }
    return rv_mmu_queue(rv_virt_to_maddr(slot), val);
}

/*
 * A new, empty table for *slot.  In a pinned space it must be read-only
 * before the entry naming it is written (the monitor validates it then),
 * and the batch is sent at once so that the walk that follows sees it.
 */
static long new_table(struct rv_as *as, uint64_t *slot, uint64_t flags)
{
    uint64_t *t = rv_frame_alloc();
    long rc;

    if (!t)
        return -RV_ENOMEM;
    if (!as->pinned) {
        *slot = rv_virt_to_maddr(t) | flags;
        return 0;
    }
    rv_mmu_queue_readonly(t);
    rv_mmu_queue(rv_virt_to_maddr(slot), rv_virt_to_maddr(t) | flags);
    if ((rc = rv_mmu_flush()) == 0)
        return 0;
    rv_mmu_queue_writable(t); /* give it back as the ordinary page it was */
    if (rv_mmu_flush() == 0)
        rv_frame_free(t);
    return rc;
}

/* The L1 table that maps va in as, or NULL. */
static uint64_t *find_l1(const struct rv_as *as, uint32_t va)
{
    uint64_t *l2 = target(l3_of(as)[L3_SLOT(va)]);

    return l2 ? target(l2[L2_SLOT(va)]) : 0;
}

long rv_as_map(struct rv_as *as, uint32_t va, uint32_t mfn, uint64_t flags)
{
    const uint64_t allowed = RV_L1_ALLOWED & ~RV_PTE_ADDR;
    uint64_t *l3e = &l3_of(as)[L3_SLOT(va)], *l2e, *l2, *l1;
    long rc;

    if (va >= RV_HOLE_START || (va & (RV_PAGE_SIZE - 1)) || (flags & ~allowed))
        return -RV_EINVAL;
    if (!(*l3e & RV_PTE_P) && (rc = new_table(as, l3e, RV_PTE_P | RV_PTE_OWNED)) != 0)
        return rc;
    if (!(l2 = target(*l3e)))
        return -RV_EINVAL;
    l2e = &l2[L2_SLOT(va)];
    if ((*l2e & RV_PTE_P) && !(*l2e & RV_PTE_OWNED) && as != &kernel_as)
        return -RV_EPERM; /* a kernel L1: every space shares it */
    if (!(*l2e & RV_PTE_P) &&
        (rc = new_table(as, l2e, RV_PTE_P | RV_PTE_RW | RV_PTE_US | RV_PTE_OWNED)) != 0)
        return rc;
    if (!(l1 = target(*l2e)))
        return -RV_EINVAL;
    if (l1[L1_SLOT(va)] & RV_PTE_P)
        return -RV_EEXIST;
    /* Not present before: no TLB entry to invalidate (SDM Vol. 3A 4.10.4.3). */
    return set_entry(as, &l1[L1_SLOT(va)], ((uint64_t)mfn << RV_PAGE_SHIFT) | flags | RV_PTE_P);
}

uint64_t rv_as_pte_maddr(const struct rv_as *as, uint32_t va)
{
    uint64_t *l1 = va < RV_HOLE_START ? find_l1(as, va) : 0;

    return l1 ? rv_virt_to_maddr(&l1[L1_SLOT(va)]) : 0;
}

uint64_t rv_as_pte(const struct rv_as *as, uint32_t va)
{
    uint64_t *l1 = va < RV_HOLE_START ? find_l1(as, va) : 0;

    return l1 ? l1[L1_SLOT(va)] : 0;
}

/* ---- pinning, switching, destroying --------------------------------------- */

/* Queues the linear mappings of every table as owns to read-only or writable. */
static void protect_tables(struct rv_as *as, int writable)
{
    long (*prot)(const void *) = writable ? rv_mmu_queue_writable : rv_mmu_queue_readonly;
    uint64_t *l3 = l3_of(as);

    for (unsigned g = 0; g < 4; g++) {
        uint64_t *l2 = owned(l3[g]) ? target(l3[g]) : 0;

        for (unsigned s = 0; l2 && s < l2_slots(g); s++)
            if (owned(l2[s]) && target(l2[s]))
                prot(target(l2[s]));
        if (l2)
            prot(l2);
    }
    prot(l3);
}

static void queue_pin(struct rv_as *as)
{
    protect_tables(as, 0);
    rv_mmuext_queue(RV_MMUEXT_PIN_L3_TABLE, as->l3_mfn);
}

long rv_as_pin(struct rv_as *as)
{
    long rc = rv_mmu_flush(); /* the caller's own batch first: its errors are its own */

    if (rc || as->pinned)
        return rc;
    queue_pin(as);
    if ((rc = rv_mmu_flush()) == 0)
        as->pinned = 1;
    return rc;
}

long rv_as_activate(struct rv_as *as)
{
    long rc = rv_mmu_flush();

    if (rc)
        return rc;
    if (!as->pinned)
        queue_pin(as);
    if (as != rv_as_current())
        rv_mmuext_queue(RV_MMUEXT_NEW_BASEPTR, as->l3_mfn); /* replaces MOV CR3 */
    /* NEW_BASEPTR cannot fail on an L3 just pinned: an error is the pin's. */
    if ((rc = rv_mmu_flush()) == 0) {
        as->pinned = 1;
        current_as = as;
    }
    return rc;
}

long rv_as_destroy(struct rv_as *as)
{
    long rc = rv_mmu_flush();

    if (rc)
        return rc;
    if (as == rv_as_kernel() || !as->l3_mfn)
        return -RV_EINVAL;
    if (as == rv_as_current()) {
        /* The kernel's L3 is pinned and valid: this switch cannot fail. */
        rv_mmuext_queue(RV_MMUEXT_NEW_BASEPTR, kernel_as.l3_mfn);
        current_as = &kernel_as;
    }
    if (as->pinned)
        rv_mmuext_queue(RV_MMUEXT_UNPIN_TABLE, as->l3_mfn);
    protect_tables(as, 1);
    rv_mmuext_queue(RV_MMUEXT_TLB_FLUSH, 0);
    if ((rc = rv_mmu_flush()) != 0)
        return rc; /* some table is still in use: keep its frames */
    as->pinned = 0;
    free_tree(as);
    return 0;
}
