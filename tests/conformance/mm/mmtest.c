/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/mm/mmtest.c: the direct-paging helpers (mmtest.h).
 *
 * Everything here is derived from start_info and from reading the page
 * tables themselves, which the guest may do (they are mapped read-only);
 * only the hypercalls under test change them.
 */
#include "mmtest.h"

static uint32_t alloc_next; /* VA of the next frame mt_alloc hands out */

/* ---- hypercalls ------------------------------------------------------------ */

long mt_mmu(const struct rv_mmu_update *reqs, uint32_t count, uint32_t *done)
{
    return rv_hypercall(RV_HC_mmu_update, (uint32_t)reqs, count, (uint32_t)done, 0, 0);
}

long mt_mmu1(uint64_t ptr, uint64_t val)
{
    struct rv_mmu_update u = { .ptr = ptr, .val = val };
    return mt_mmu(&u, 1, 0);
}

long mt_ext(const struct rv_mmuext_op *ops, uint32_t count, uint32_t *done)
{
    return rv_hypercall(RV_HC_mmuext_op, (uint32_t)ops, count, (uint32_t)done, 0, 0);
}

long mt_ext1(uint32_t cmd, uint32_t arg)
{
    struct rv_mmuext_op op = { .cmd = cmd, .arg = arg };
    return mt_ext(&op, 1, 0);
}

long mt_uvm(uint32_t va, mt_pte_t val, uint32_t flags)
{
    return rv_hypercall(RV_HC_update_va_mapping, va, (uint32_t)val, (uint32_t)(val >> 32), flags, 0);
}

long mt_memop(uint32_t cmd, void *arg)
{
    return rv_hypercall(RV_HC_memory_op, cmd, (uint32_t)arg, 0, 0, 0);
}

struct rv_mem_stats mt_stats(void)
{
    struct rv_mem_stats st;
    RVT_REQUIRE_OK(mt_memop(RV_MEMOP_STATS, &st), "memory_op STATS");
    return st;
}

/* ---- frames ---------------------------------------------------------------- */

uint32_t mt_first_mfn(void)
{
    return rv_start_info->first_mfn;
}

uint32_t mt_nr_pages(void)
{
    return rv_start_info->nr_pages;
}

int mt_owns(uint32_t mfn)
{
    return mfn - mt_first_mfn() < mt_nr_pages();
}

uint32_t mt_mfn_of(uint32_t va)
{
    const struct rv_start_info *si = rv_start_info;
    uint32_t k = (va - si->virt_base) >> 12;
    if (va < si->virt_base || k >= si->nr_mapped)
        rvt_error("0x%x is not a start-of-day VA of an own frame", va);
    return si->first_mfn + k;
}

uint32_t mt_va_of(uint32_t mfn)
{
    const struct rv_start_info *si = rv_start_info;
    uint32_t k = mfn - si->first_mfn;
    if (k >= si->nr_mapped)
        rvt_error("mfn 0x%x has no start-of-day mapping", mfn);
    return si->virt_base + (k << 12);
}

mt_pte_t mt_read_slot(uint32_t mfn, unsigned slot)
{
    return ((const volatile mt_pte_t *)mt_va_of(mfn))[slot];
}

uint32_t mt_l3_mfn(void)
{
    return mt_mfn_of(rv_start_info->pt_base);
}

uint32_t mt_base_mfn(void)
{
    return mt_stats().base_mfn;
}

uint32_t mt_l2_mfn(unsigned gib)
{
    mt_pte_t e = mt_read_slot(mt_base_mfn(), gib);
    return (e & RV_PTE_P) ? mt_pte_mfn(e) : 0;
}

uint64_t mt_l1e(uint32_t va)
{
    uint32_t l2 = mt_l2_mfn(va >> 30);
    if (!l2)
        return 0;
    mt_pte_t e = mt_read_slot(l2, (va >> 21) & 511);
    if (!(e & RV_PTE_P))
        return 0;
    return mt_slot(mt_pte_mfn(e), (va >> 12) & 511);
}

mt_pte_t mt_get_pte(uint32_t va)
{
    uint64_t ptr = mt_l1e(va);
    return ptr ? mt_read_slot((uint32_t)(ptr >> 12), ((uint32_t)ptr & 4095) / 8) : 0;
}

uint32_t mt_shared_mfn(void)
{
    mt_pte_t e = mt_get_pte(rv_start_info->shared_info);
    if (!(e & RV_PTE_P))
        rvt_error("shared_info at 0x%x is not mapped", rv_start_info->shared_info);
    return mt_pte_mfn(e);
}

/* ---- allocation and mappings -------------------------------------------- */

static uint32_t alloc_end(void)
{
    return rv_start_info->virt_base + rv_start_info->nr_mapped * RV_PAGE_SIZE;
}

uint32_t mt_frames_left(void)
{
    return (alloc_end() - alloc_next) / RV_PAGE_SIZE;
}

uint32_t mt_alloc(void)
{
    if (alloc_next >= alloc_end())
        rvt_error("out of free frames (give the test more mem=)");
    uint32_t va = alloc_next;
    alloc_next += RV_PAGE_SIZE;
    memset((void *)va, 0, RV_PAGE_SIZE);
    return va;
}

void mt_make_ro(uint32_t va)
{
    long rc = mt_uvm(va, mt_pte(mt_mfn_of(va), MT_RO), RV_UVMF_INVLPG);
    if (rc)
        rvt_error("making 0x%x read-only: %s", va, rv_errname(rc));
}

void mt_make_rw(uint32_t va)
{
    long rc = mt_uvm(va, mt_pte(mt_mfn_of(va), MT_RW), RV_UVMF_INVLPG);
    if (rc)
        rvt_error("making 0x%x writable: %s", va, rv_errname(rc));
}

uint32_t mt_alloc_ro(void)
{
    uint32_t va = mt_alloc();
    mt_make_ro(va);
    return va;
}

uint32_t mt_scratch(unsigned i)
{
    uint32_t va = rv_start_info->shared_info + (i + 1) * RV_PAGE_SIZE;
    if (va >= RV_HOLE_START || !mt_l1e(va))
        rvt_error("no L1 for scratch VA %u (0x%x)", i, va);
    return va;
}

void mt_map(uint32_t va, uint32_t mfn, uint64_t flags)
{
    long rc = mt_uvm(va, mt_pte(mfn, flags), RV_UVMF_INVLPG);
    if (rc)
        rvt_error("mapping mfn 0x%x at 0x%x: %s", mfn, va, rv_errname(rc));
}

void mt_unmap(uint32_t va)
{
    long rc = mt_uvm(va, 0, RV_UVMF_INVLPG);
    if (rc)
        rvt_error("unmapping 0x%x: %s", va, rv_errname(rc));
}

void mt_flush(void)
{
    RVT_REQUIRE_OK(mt_ext1(RV_MMUEXT_TLB_FLUSH, 0), "mmuext TLB_FLUSH");
}

void mt_invlpg(uint32_t va)
{
    RVT_REQUIRE_OK(mt_ext1(RV_MMUEXT_INVLPG, va), "mmuext INVLPG");
}

void mt_pin(uint32_t cmd, uint32_t mfn)
{
    long rc = mt_ext1(cmd, mfn);
    if (rc)
        rvt_error("pin (cmd %u) of mfn 0x%x: %s", cmd, mfn, rv_errname(rc));
}

void mt_unpin(uint32_t mfn)
{
    long rc = mt_ext1(RV_MMUEXT_UNPIN_TABLE, mfn);
    if (rc)
        rvt_error("unpin of mfn 0x%x: %s", mfn, rv_errname(rc));
}

/* ---- probes ---------------------------------------------------------------- */

static void read_byte(void *p)
{
    (void)*(volatile uint8_t *)p;
}

static void write_same(void *p)
{
    volatile uint8_t *b = p;
    *b = *b;
}

int mt_readable(uint32_t va)
{
    return !rvt_expect_fault(14, read_byte, (void *)va, 0);
}

int mt_writable(uint32_t va)
{
    return mt_readable(va) && !rvt_expect_fault(14, write_same, (void *)va, 0);
}

/* ---- set-up ------------------------------------------------------------------ */

void mt_init(void)
{
    const struct rv_start_info *si = rv_start_info;
    struct rv_mem_stats st = mt_stats();

    alloc_next = si->free_start;
    if (si->nr_mapped != si->nr_pages)
        rvt_error("expected every frame mapped (nr_mapped %u, nr_pages %u)", si->nr_mapped, si->nr_pages);
    if (st.base_mfn != mt_l3_mfn())
        rvt_error("memory_op base_mfn 0x%x is not the start-of-day L3 (mfn 0x%x at pt_base 0x%x)",
                  st.base_mfn, mt_l3_mfn(), si->pt_base);
    /* The layout mmtest.h assumes: the L1 entry of a start-of-day VA names its frame. */
    uint32_t probe = si->free_start;
    if (mt_pte_mfn(mt_get_pte(probe)) != mt_mfn_of(probe))
        rvt_error("the L1 entry for 0x%x names mfn 0x%x, not 0x%x", probe,
                  mt_pte_mfn(mt_get_pte(probe)), mt_mfn_of(probe));
}
