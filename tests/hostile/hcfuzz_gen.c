/* SPDX-License-Identifier: MIT */
/*
 * tests/hostile/hcfuzz_gen.c: the hypercall fuzzer's argument generator.
 *
 * Random values find little: a monitor refuses most of them at the first
 * check.  So every argument is drawn from the values where checks tend to
 * be wrong (0, -1, counts one past a maximum, pointers into the hole, onto
 * page boundaries, across into an unmapped page, onto read-only pages and
 * the fuzzer's own page tables), and the structures the monitor reads
 * (multicall arrays, page-table updates, trap tables, descriptors) are
 * built from the same kind of values.  Two promises keep the fuzzer alive
 * while it does that:
 *  - nothing it passes may legitimately destroy it: an accepted page-table
 *    write names an entry's current value, everything else it writes there
 *    is a value ABI.md "Direct paging" refuses; shutdown, block and iret
 *    are replaced by calls that return; a pointer never lands in its own
 *    code, data or stack (only in the region of hcfuzz.h);
 *  - every value ABI.md refuses is marked (must_refuse), so the checker
 *    can tell an acceptance the monitor must never make.
 */
#include "hcfuzz.h"
#include "../conformance/mm/mmtest.h"

struct fz_env fz;
static uint8_t region[FZ_PAGES * RV_PAGE_SIZE] __attribute__((aligned(RV_PAGE_SIZE)));
static uint32_t rng;

void fz_seed(uint32_t s) { rng = s ? s : 0x9e3779b9u; }

uint32_t fz_rand(void) /* xorshift32 (Marsaglia 2003): cheap, and a seed replays */
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

uint32_t fz_page(unsigned k) { return fz.region + k * RV_PAGE_SIZE; }

static void fz_handler(void) { }

void fz_env_init(void)
{
    const struct rv_start_info *si = rv_start_info;
    fz.region = (uint32_t)region;
    fz.code_va = (uint32_t)fz_handler;
    fz.domid = si->domid;
    for (uint32_t *w = (uint32_t *)fz_page(FZ_RO_PAGE); w < (uint32_t *)fz_page(FZ_RO_PAGE + 1); w++)
        *w = fz_rand() | 0x80000000u; /* as a count or an op: always too large */
    RVT_REQUIRE_OK(mt_uvm(fz_page(FZ_RO_PAGE), mt_get_pte(fz_page(FZ_RO_PAGE)) & ~RV_PTE_RW,
                          RV_UVMF_INVLPG), "make the read-only page");
    static const unsigned guards[] = { 0, FZ_GUARD_MID, FZ_RO_PAGE + 1 };
    for (unsigned i = 0; i < 3; i++)
        RVT_REQUIRE_OK(mt_uvm(fz_page(guards[i]), 0, RV_UVMF_INVLPG), "unmap a guard page");

    uint32_t l3 = mt_mfn_of(si->pt_base);
    for (uint32_t k = 0; k < si->nr_pt_frames && k < FZ_MAX_PT; k++) {
        fz.pt_va[k] = si->pt_base + k * RV_PAGE_SIZE;
        fz.pt_mfn[k] = mt_mfn_of(fz.pt_va[k]);
        fz.pt_level[k] = fz.pt_mfn[k] == l3 ? 3 : 1;
        fz.nr_pt = k + 1;
    }
    for (unsigned s = 0; s < 4; s++) {
        mt_pte_t e = mt_read_slot(l3, s);
        for (uint32_t k = 0; k < fz.nr_pt; k++)
            if ((e & RV_PTE_P) && mt_pte_mfn(e) == fz.pt_mfn[k])
                fz.pt_level[k] = 2;
    }
}

/* ---- values ------------------------------------------------------------------ */

static uint32_t gen_any(void)
{
    switch (fz_pick(14)) {
    case 0: return 0;
    case 1: return 1;
    case 2: return 2 + fz_pick(3);
    case 3: return 0xffffffffu;
    case 4: return 0xfffffffeu;
    case 5: return 0x7fffffffu;
    case 6: return 0x80000000u;
    case 7: return fz_pick(300);
    case 8: return RV_HOLE_START + fz_pick(8) * 4;
    case 9: return fz_page(fz_pick(FZ_PAGES));
    case 10: return 0xfff + fz_pick(2);
    default: return fz_rand();
    }
}

static uint32_t gen_count(uint32_t max)
{
    switch (fz_pick(11)) {
    case 0: return 0;
    case 1: return 1;
    case 2: return 2 + fz_pick(2);
    case 3: return max - 1;
    case 4: return max;
    case 5: return max + 1;
    case 6: return 0xffffffffu;
    case 7: return 0x80000000u;
    case 8: return fz_pick(max + 1);
    default: return fz_pick(8);
    }
}

/* A pointer; *rd and *wr say how many bytes from it are readable/writable
 * (~0u: more than any call uses, or not known exactly). */
static uint32_t gen_ptr(uint32_t *rd, uint32_t *wr)
{
    uint32_t p, end = fz_page(FZ_GUARD_MID), ro_end = fz_page(FZ_RO_PAGE + 1);
    *rd = *wr = 0;
    switch (fz_pick(16)) {
    case 0: case 1: case 2:
        p = fz_page(FZ_DATA_PAGE) + fz_pick(3 * RV_PAGE_SIZE / 4) * 4;
        *rd = *wr = end - p;
        return p;
    case 3:
        p = fz_page(FZ_DATA_PAGE) + fz_pick(3 * RV_PAGE_SIZE);
        *rd = *wr = end - p;
        return p;
    case 4: case 5: /* ends in the guard page */
        p = end - 1 - fz_pick(40);
        *rd = *wr = end - p;
        return p;
    case 6: return 0;
    case 7: return fz_page((unsigned[]){ 0, FZ_GUARD_MID, FZ_RO_PAGE + 1 }[fz_pick(3)]) + fz_pick(RV_PAGE_SIZE);
    case 8:
        p = fz_pick(2) ? fz_page(FZ_RO_PAGE) + fz_pick(RV_PAGE_SIZE / 4) * 4 : ro_end - 1 - fz_pick(40);
        *rd = ro_end - p;
        return p;
    case 9: case 10: /* the fuzzer's own page tables: readable, never writable */
        *rd = ~0u;
        return fz.pt_va[fz_pick(fz.nr_pt)] + fz_pick(RV_PAGE_SIZE / 8) * 8;
    case 11: return RV_HOLE_START + fz_pick(4) * RV_PAGE_SIZE + fz_pick(64);
    case 12: return 0xffffffffu - fz_pick(16);           /* wraps past 4 GiB */
    case 13: return RV_HOLE_START - 1 - fz_pick(16);     /* unmapped, runs into the hole */
    case 14: return 0x40000000u + fz_pick(1u << 20) * 4; /* no L2 there */
    default: return fz_pick(2) ? 0x1000 - fz_pick(8) : 0xfffff000u;
    }
}

/* Never a pointer into the fuzzer's own code, data, stack or shared_info. */
static uint32_t tame(uint32_t v)
{
    const struct rv_start_info *si = rv_start_info;
    int own = v - si->virt_base < si->nr_mapped * RV_PAGE_SIZE || (v ^ si->shared_info) < RV_PAGE_SIZE;
    int region = v - fz.region < FZ_PAGES * RV_PAGE_SIZE;
    return own && !region ? v ^ 0x80000000u : v;
}

static uint32_t gen_mfn(void)
{
    const struct rv_start_info *si = rv_start_info;
    switch (fz_pick(11)) {
    case 0: case 1: return fz.pt_mfn[fz_pick(fz.nr_pt)];
    case 2: return si->first_mfn + fz_pick(si->nr_pages);
    case 3: return mt_mfn_of(fz_page(FZ_DATA_PAGE + fz_pick(4)));
    case 4: return si->first_mfn - 1;
    case 5: return si->first_mfn + si->nr_pages;
    case 6: return 0;
    case 7: return MT_MONITOR_MFN;
    case 8: return fz_pick(2) ? 0xfffffu : 0xffffffffu;
    case 9: return mt_shared_mfn();
    default: return si->first_mfn + si->nr_pages - 1 - fz_pick(8); /* unmapped own frames */
    }
}

static mt_pte_t forbidden_bits(unsigned level)
{
    static const mt_pte_t l1[] = { MT_PTE_PAT, MT_PTE_G, MT_PTE_NX };
    static const mt_pte_t l3[] = { RV_PTE_RW, RV_PTE_US, RV_PTE_D, MT_PTE_PAT, MT_PTE_G, MT_PTE_NX };
    if (fz_pick(4) == 0)
        return 1ull << (36 + fz_pick(27)); /* above the 36-bit frame address */
    return level == 3 ? l3[fz_pick(6)] : l1[fz_pick(3)];
}

/* A value for an entry that holds cur at the given level: cur itself, or
 * one the monitor must refuse (*refuse = 1). */
static mt_pte_t gen_pte(mt_pte_t cur, unsigned level, uint32_t *refuse)
{
    const struct rv_start_info *si = rv_start_info;
    unsigned choice = fz_pick(8);
    if (!(cur & RV_PTE_P) && choice < 4)
        choice = 0; /* a non-present entry would take junk bits: keep it as it is */
    switch (choice) {
    case 1: case 2: case 3:
        *refuse = 1;
        return cur | forbidden_bits(level);
    case 4: case 5: { /* a frame the domain does not own */
        uint32_t mfn = fz_pick(3) ? si->first_mfn + si->nr_pages + fz_pick(2)
                                  : (fz_pick(2) ? MT_MONITOR_MFN : si->first_mfn - 1);
        *refuse = 1;
        return mt_pte(mfn, level == 3 ? RV_PTE_P : MT_RW);
    }
    case 6: /* L1: a page table mapped writable; L2/L3: a writable data frame as a table */
        *refuse = 1;
        if (level == 1)
            return mt_pte(fz.pt_mfn[fz_pick(fz.nr_pt)], MT_RW);
        return mt_pte(mt_mfn_of(fz_page(FZ_DATA_PAGE)), level == 3 ? RV_PTE_P : MT_L2E);
    default:
        return cur;
    }
}

/* ---- structures -------------------------------------------------------------- */

/* Where an array goes: mostly the array page (built there), sometimes a bad pointer. */
static uint32_t gen_array(uint32_t *rd, uint32_t *wr)
{
    uint32_t end = fz_page(FZ_GUARD_MID), p;
    switch (fz_pick(8)) {
    case 0: case 1: case 2: case 3:
        p = fz_page(FZ_ARRAY_PAGE) + fz_pick(64) * 4;
        break;
    case 4:
        p = end - 4 * (1 + fz_pick(24)) - fz_pick(4); /* the array runs into the guard page */
        break;
    default:
        return tame(gen_ptr(rd, wr));
    }
    *rd = *wr = end - p;
    return p;
}

/* Copies n bytes of src to p, as far as the region's writable scratch goes. */
static void put(uint32_t p, const void *src, uint32_t n)
{
    uint32_t lo = fz_page(FZ_DATA_PAGE), hi = fz_page(FZ_GUARD_MID);
    const uint8_t *s = src;
    for (uint32_t i = 0; i < n; i++)
        if (p + i - lo < hi - lo)
            *(volatile uint8_t *)(p + i) = s[i];
}

static int in_scratch(uint32_t p)
{
    return p - fz_page(FZ_DATA_PAGE) < (FZ_GUARD_MID - FZ_DATA_PAGE) * RV_PAGE_SIZE;
}

static void gen_desc(uint32_t *low, uint32_t *high)
{
    static const uint32_t types[] = { 0x0, 0x2, 0x3, 0x6, 0x7, 0xa, 0xb, 0xe, 0xf, 0x9, 0xc, 0x5 };
    static const uint32_t bases[] = { 0, 0x400000, RV_HOLE_START - 0x1000, RV_HOLE_START, 0xfffff000u, 0x1000 };
    if (fz_pick(6) == 0) {
        *low = fz_pick(4) ? fz_rand() : 0;
        *high = fz_pick(4) ? fz_rand() : 0;
        return;
    }
    uint32_t base = fz_pick(4) ? bases[fz_pick(6)] : fz_rand();
    uint32_t lim = (uint32_t[]){ 0, 0xfffff, ((RV_HOLE_START - base) >> 12) - 1, (RV_HOLE_START - base) >> 12,
                                 fz_rand() & 0xfffff }[fz_pick(5)] & 0xfffff;
    uint32_t type = types[fz_pick(12)], s = fz_pick(6) != 0, dpl = fz_pick(4), p = fz_pick(8) != 0;
    uint32_t l = fz_pick(10) == 0, db = fz_pick(3) != 0, g = fz_pick(3) != 0;
    *low = (base << 16) | (lim & 0xffff);
    *high = (base & 0xff000000u) | ((base >> 16) & 0xff) | (lim & 0xf0000) | type << 8 | s << 12 |
            dpl << 13 | p << 15 | l << 21 | db << 22 | g << 23;
}

void fz_gen(struct fz_call *c, int nested);

static void build_multicall(struct fz_call *c)
{
    uint32_t n = c->a[1] < 80 ? c->a[1] : 80;
    for (uint32_t i = 0; i < n; i++) {
        struct fz_call in;
        fz_gen(&in, 1);
        struct rv_multicall_entry e = { .op = in.nr, .result = 0x5a5a5a5a };
        for (int k = 0; k < 5; k++)
            e.args[k] = in.a[k];
        c->restore |= in.restore;
        put(c->a[0] + i * sizeof e, &e, sizeof e);
    }
}

static int is_pt_mfn(uint32_t mfn)
{
    for (uint32_t k = 0; k < fz.nr_pt; k++)
        if (fz.pt_mfn[k] == mfn)
            return 1;
    return 0;
}

static void build_mmu(struct fz_call *c)
{
    uint32_t n = c->a[1] < 300 ? c->a[1] : 300;
    for (uint32_t i = 0; i < n; i++) {
        struct rv_mmu_update u;
        unsigned choice = fz_pick(10);
        if (choice < 6) {
            uint32_t k = fz_pick(fz.nr_pt), lvl = fz.pt_level[k];
            uint32_t slot = lvl == 3 && fz_pick(8) ? fz_pick(4) : fz_pick(512);
            mt_pte_t cur = ((volatile mt_pte_t *)fz.pt_va[k])[slot];
            u.ptr = mt_slot(fz.pt_mfn[k], slot);
            u.val = gen_pte(cur, lvl, &c->must_refuse);
        } else {
            uint64_t frame = choice == 6 ? mt_mfn_of(fz_page(FZ_DATA_PAGE + fz_pick(3))) : gen_mfn();
            if (is_pt_mfn((uint32_t)frame))
                frame = mt_mfn_of(fz_page(FZ_DATA_PAGE)); /* a table only ever gets its own value */
            u.ptr = (frame << 12) | fz_pick(512) * 8;
            if (choice == 8)
                u.ptr |= fz_pick(2) ? 1 + fz_pick(7) : 1ull << (32 + fz_pick(31)); /* cmd bits, unaligned, > 4 GiB */
            u.val = fz_pick(2) ? mt_pte(gen_mfn(), MT_RW) : ((uint64_t)fz_rand() << 32 | fz_rand());
        }
        put(c->a[0] + i * sizeof u, &u, sizeof u);
    }
}

static void build_mmuext(struct fz_call *c)
{
    uint32_t n = c->a[1] < 500 ? c->a[1] : 500;
    for (uint32_t i = 0; i < n; i++) {
        struct rv_mmuext_op o;
        o.cmd = fz_pick(8) ? fz_pick(8) : gen_any();
        if (o.cmd == RV_MMUEXT_INVLPG)
            o.arg = fz_pick(2) ? fz_page(fz_pick(FZ_PAGES)) : gen_any();
        else
            o.arg = fz_pick(8) ? gen_mfn() : gen_any();
        put(c->a[0] + i * sizeof o, &o, sizeof o);
    }
}

/* A selector set_trap_table and set_callbacks must refuse whatever the GDT holds. */
static int bad_cs(uint32_t cs)
{
    return (cs & 3) != 1 || (cs & 4) || cs == RV_FLAT_RING1_DS || cs == RV_FLAT_RING3_CS;
}

static void build_traps(struct fz_call *c)
{
    static const uint16_t sels[] = { RV_FLAT_RING1_CS, RV_FLAT_RING1_CS, 0x0008, 0x0010, RV_FLAT_RING3_CS,
                                     0, 0x0818, 0x081d, RV_FLAT_RING1_DS };
    uint32_t n = c->a[1] < 300 ? c->a[1] : 300;
    for (uint32_t i = 0; i < n; i++) {
        struct rv_trap_info t;
        t.vector = fz_pick(4) ? fz_pick(32) : (uint8_t)(fz_pick(2) ? 0x82 : fz_rand());
        t.flags = fz_pick(4) ? fz_pick(8) : (uint8_t)fz_rand();
        t.cs = fz_pick(8) ? sels[fz_pick(9)] : (uint16_t)fz_rand();
        t.address = (uint32_t[]){ fz.code_va, fz.code_va, 0, RV_HOLE_START, 0xffffffffu, fz_rand() }[fz_pick(6)];
        if (t.address && (t.vector == 0x82 || t.address >= RV_HOLE_START || bad_cs(t.cs) || (t.flags & ~7u)))
            c->must_refuse |= i < c->a[1] && c->a[1] <= RV_TRAP_TABLE_MAX;
        put(c->a[0] + i * sizeof t, &t, sizeof t);
    }
    c->restore = 1;
}

static void build_gdt(struct fz_call *c)
{
    uint32_t n = c->a[1] < 300 ? c->a[1] : 300;
    for (uint32_t i = 0; i < n; i++) {
        struct rv_descriptor d = { 0, 0 };
        if (i > 0 || fz_pick(8) == 0)
            gen_desc(&d.low, &d.high);
        if (i < c->a[1] && c->a[1] <= RV_GDT_GUEST_ENTRIES && (i == 0 ? (d.low | d.high) != 0 : !fz_desc_safe(d.low, d.high)))
            c->must_refuse = 1;
        put(c->a[0] + i * sizeof d, &d, sizeof d);
    }
}

/* ABI.md "Segments": may a guest hold this descriptor?  (The fuzzer's own
 * reading of the rules, independent of monitor/desc.c.) */
int fz_desc_safe(uint32_t low, uint32_t high)
{
    uint32_t base = (low >> 16) | (high & 0xff) << 16 | (high & 0xff000000u);
    uint32_t lim = (low & 0xffff) | (high & 0xf0000), type = high >> 8 & 0xf;
    if (!low && !high)
        return 1;
    if (!(high & 1u << 12))
        return 0;                        /* system descriptors: never */
    if (!(high & 1u << 15))
        return 1;                        /* not present: cannot be loaded */
    if ((high >> 13 & 3) == 0 || (high & 1u << 21))
        return 0;                        /* DPL 0, 64-bit code */
    if ((type & 0xc) == 0xc)
        return 0;                        /* conforming code */
    uint64_t bytes = high & 1u << 23 ? ((uint64_t)lim << 12 | 0xfff) : lim;
    if ((type & 0x8) || !(type & 0x4))
        return (uint64_t)base + bytes < RV_HOLE_START;
    uint64_t top = high & 1u << 22 ? 0xffffffffull : 0xffffull;
    if (base >= RV_HOLE_START)
        return 0;
    if (bytes + 1 > top)
        return 1;                        /* no valid offset */
    uint64_t first = base + bytes + 1, last = base + top;
    if (last < (1ull << 32))
        return last < RV_HOLE_START;
    return first >= (1ull << 32);         /* wholly wrapped: below base */
}

/* The arguments of one call to hypercall c->nr (chosen here). */
static void gen_args(struct fz_call *c)
{
    uint32_t *a = c->a;
    switch (c->nr) {
    case RV_HC_version:
        a[0] = fz_pick(4) ? fz_pick(4) : gen_any();
        a[1] = gen_ptr(&c->rd[1], &c->wr[1]);
        break;
    case RV_HC_console_io:
        a[0] = fz_pick(4) ? fz_pick(3) : gen_any();
        a[1] = gen_count(RV_CONSOLE_MAX);
        a[2] = gen_ptr(&c->rd[2], &c->wr[2]);
        break;
    case RV_HC_sched_op:
        a[0] = fz_pick(5) ? fz_pick(5) : gen_any();
        a[1] = a[0] == RV_SCHED_POLL ? gen_ptr(&c->rd[1], &c->wr[1]) : gen_any();
        a[2] = gen_any();
        break;
    case RV_HC_set_trap_table: case RV_HC_set_gdt: case RV_HC_multicall:
    case RV_HC_mmu_update: case RV_HC_mmuext_op: {
        static const uint32_t max[] = { [RV_HC_set_trap_table] = RV_TRAP_TABLE_MAX,
            [RV_HC_set_gdt] = RV_GDT_GUEST_ENTRIES, [RV_HC_multicall] = RV_MULTICALL_MAX,
            [RV_HC_mmu_update] = RV_MMU_UPDATE_MAX, [RV_HC_mmuext_op] = RV_MMUEXT_MAX };
        a[0] = gen_array(&c->rd[0], &c->wr[0]);
        a[1] = gen_count(max[c->nr]);
        a[2] = fz_pick(3) ? 0 : gen_ptr(&c->rd[2], &c->wr[2]);
        break;
    }
    case RV_HC_stack_switch:
        a[0] = (uint32_t[]){ RV_FLAT_RING1_DS, RV_FLAT_RING1_CS, 0x0010, RV_FLAT_RING3_DS, 0, 0x0825 }[fz_pick(6)];
        a[1] = (uint32_t[]){ RV_HOLE_START, RV_HOLE_START + 4, fz_page(2), 0xffffffffu, 0 }[fz_pick(5)];
        c->must_refuse = a[1] > RV_HOLE_START || (a[0] & 3) != 1 || (a[0] & 4) || a[0] == RV_FLAT_RING1_CS;
        break;
    case RV_HC_update_descriptor:
        a[0] = (uint32_t[]){ 0, 1, 2 + fz_pick(253), 255, 256, 0xffffffffu, RVT_PROBE_GDT_INDEX }[fz_pick(7)];
        gen_desc(&a[1], &a[2]);
        c->must_refuse = !fz_desc_safe(a[1], a[2]);
        break;
    case RV_HC_fpu_taskswitch:
        a[0] = fz_pick(2) ? fz_pick(2) : gen_any();
        c->must_refuse = a[0] > 1;
        break;
    case RV_HC_vcpu_op: case RV_HC_memory_op: case RV_HC_event_channel_op:
        a[0] = fz_pick(4) ? fz_pick(c->nr == RV_HC_event_channel_op ? 8 : 3) : gen_any();
        if (c->nr == RV_HC_event_channel_op && (a[0] == 3 || a[0] == 4 || a[0] == 6))
            a[1] = fz_pick(2) ? fz_pick(8) : (uint32_t[]){ 0, 1023, 1024, 0xffffffffu }[fz_pick(4)];
        else
            a[1] = gen_ptr(&c->rd[1], &c->wr[1]);
        break;
    case RV_HC_update_va_mapping: {
        uint32_t va = fz_pick(4) ? fz_page(fz_pick(FZ_PAGES)) : (fz_pick(2) ? fz.code_va & ~0xfffu : gen_any());
        mt_pte_t v = fz_pick(8) ? 0 : ((uint64_t)fz_rand() << 32 | fz_rand());
        if (va - fz.region < FZ_PAGES * RV_PAGE_SIZE || va == (fz.code_va & ~0xfffu)) {
            v = gen_pte(mt_get_pte(va), 1, &c->must_refuse);
        } else {
            va = tame(va);
            c->must_refuse = va >= RV_HOLE_START;
        }
        a[0] = va;
        a[1] = (uint32_t)v;
        a[2] = (uint32_t)(v >> 32);
        a[3] = fz_pick(4) ? fz_pick(3) : gen_any();
        break;
    }
    case RV_HC_set_callbacks:
        a[0] = (uint32_t[]){ RV_FLAT_RING1_CS, 0x0008, 0x0818, RV_FLAT_RING3_CS, 0x081d, 0 }[fz_pick(6)];
        a[1] = (uint32_t[]){ 0, fz.code_va, RV_HOLE_START, 0xffffffffu, RV_HOLE_START - 1 }[fz_pick(5)];
        c->must_refuse = a[1] >= RV_HOLE_START || (a[1] && bad_cs(a[0]));
        c->restore = 1;
        break;
    case RV_HC_set_timer_op:
        a[0] = gen_any();
        a[1] = fz_pick(2) ? 0 : gen_any();
        break;
    case RV_HC_virtio_op:
        a[0] = fz_pick(4) ? fz_pick(11) : gen_any();
        a[1] = fz_pick(2) ? fz_pick(3) : gen_any();
        a[2] = gen_ptr(&c->rd[2], &c->wr[2]);
        break;
    default:
        for (int i = 0; i < 5; i++)
            a[i] = gen_any();
    }
}

/* Replaces what would end, block or redirect the fuzzer (see the top). */
static void make_safe(struct fz_call *c, int nested)
{
    uint32_t *a = c->a;
    for (int i = 0; i < 5; i++)
        if (c->nr != RV_HC_update_va_mapping || i == 3)
            a[i] = tame(a[i]);
    /* A multicall entry's output (or its poll structure) must not land on the
     * array it sits in: page 4, and the 64 bytes before it. */
    for (int i = 0; i < 5 && nested && c->nr != RV_HC_update_va_mapping; i++)
        if (a[i] - (fz_page(FZ_ARRAY_PAGE) - 64) < RV_PAGE_SIZE + 64)
            a[i] -= 2 * RV_PAGE_SIZE;  /* to page 2: 32 bytes from it stay off page 4 */
    if (c->nr == RV_HC_sched_op) {
        if (a[0] == RV_SCHED_BLOCK || (a[0] == RV_SCHED_YIELD && fz_pick(16)))
            a[0] = 4 + fz_pick(4);          /* unknown: -ENOSYS; a yield now and then */
        if (a[0] == RV_SCHED_SHUTDOWN && a[1] <= RV_SHUTDOWN_CRASH)
            a[1] += 3;                      /* -EINVAL */
        if (a[0] == RV_SCHED_POLL && in_scratch(a[1]) && nested)
            a[0] = 4 + fz_pick(4); /* an earlier entry's output could zero the timeout: it would sleep for good */
        if (a[0] == RV_SCHED_POLL && in_scratch(a[1])) {
            uint32_t rd, wr;
            struct rv_sched_poll p = { .ports = tame(fz_pick(2) ? gen_ptr(&rd, &wr) : fz_page(1)),
                                       .nr_ports = gen_count(RV_POLL_MAX), .timeout = 1 };
            put(a[1], &p, sizeof p);
        }
    }
    if (c->nr == RV_HC_console_io && a[0] == RV_CONSOLE_WRITE && a[1] <= RV_CONSOLE_MAX &&
        c->rd[2] > 8 && c->rd[2] != 0) {
        static const char dots[8] = "........";
        a[2] = (uint32_t)dots;              /* no floods of random bytes: 0-7 dots */
        a[1] &= 7;
        c->rd[2] = 8;
    }
}

void fz_gen(struct fz_call *c, int nested)
{
    *c = (struct fz_call){ 0 };
    for (int i = 0; i < 5; i++)
        c->rd[i] = c->wr[i] = ~0u;          /* not a pointer gen_ptr made: nothing known */
    unsigned r = fz_pick(32);
    if (r == 0)
        c->nr = (uint32_t[]){ RV_NR_HYPERCALLS, RV_NR_HYPERCALLS + 1, 255, 256, 0xffffffffu, 0x80000000u,
                              fz_rand() }[fz_pick(7)];
    else
        do c->nr = fz_pick(RV_NR_HYPERCALLS);
        while (c->nr == RV_HC_iret && !nested);
    if (nested && c->nr == RV_HC_multicall && fz_pick(2))
        c->nr = RV_HC_multicall;            /* nested: must be refused per entry */
    gen_args(c);
    if (fz_pick(8) == 0) {
        unsigned i = c->nr == RV_HC_update_va_mapping ? 3 : fz_pick(5); /* va and value stay tame */
        c->a[i] = gen_any();                /* one argument anything at all */
        c->rd[i] = c->wr[i] = ~0u;          /* ... and nothing known about it */
        c->must_refuse = 0;
    }
    make_safe(c, nested);
    if (!nested) {
        /* A multicall array lives in the array page, which no entry's output can reach
         * (make_safe): elsewhere an earlier entry could rewrite a later one into a shutdown. */
        if (c->nr == RV_HC_multicall && in_scratch(c->a[0]) && c->a[0] < fz_page(FZ_ARRAY_PAGE)) {
            c->a[0] = fz_page(FZ_ARRAY_PAGE) + (c->a[0] & (RV_PAGE_SIZE - 1));
            c->rd[0] = c->wr[0] = fz_page(FZ_GUARD_MID) - c->a[0];
        }
        if (c->nr == RV_HC_multicall && in_scratch(c->a[0]))
            build_multicall(c);
        if (c->nr == RV_HC_mmu_update && in_scratch(c->a[0]))
            build_mmu(c);
        if (c->nr == RV_HC_mmuext_op && in_scratch(c->a[0]))
            build_mmuext(c);
        if (c->nr == RV_HC_set_trap_table && in_scratch(c->a[0]))
            build_traps(c);
        if (c->nr == RV_HC_set_gdt && in_scratch(c->a[0]))
            build_gdt(c);
    }
    if (nested && (c->nr == RV_HC_multicall || c->nr == RV_HC_mmu_update || c->nr == RV_HC_mmuext_op ||
               c->nr == RV_HC_set_trap_table || c->nr == RV_HC_set_gdt)) {
        if (in_scratch(c->a[0]))
            c->a[0] = fz_page(FZ_ARRAY_PAGE) - 4 * (1 + fz_pick(4)) + RV_PAGE_SIZE * 2; /* the guard */
    }
    if (c->nr == RV_HC_set_trap_table || c->nr == RV_HC_set_callbacks)
        c->restore = 1;
}
