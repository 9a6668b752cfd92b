/*
 * monitor/mm.c: direct paging, made safe by typing every frame.
 *
 * A guest's page tables are the real PAE tables the MMU walks (SDM Vol. 3A
 * 4.4), in frames the guest owns.  What keeps it inside its own memory is a
 * table with one entry per machine frame: who owns it, what it is used as
 * (a writable page, or an L1, L2, top-L2 or L3 table) and how many
 * references need that use.  The rules, after Xen:
 *   - a present entry may only name a frame its domain owns;
 *   - a writable L1 entry takes a "writable" reference, so a frame that is
 *     a page table can never be mapped writable, and a frame mapped
 *     writable can never become a page table;
 *   - an L2 entry takes an "L1" reference on what it points at, an L3 entry
 *     an "L2" (or, in slot 3, "top L2") reference: a frame becomes a table
 *     of some level when the first such reference is taken, after every
 *     entry in it has been checked the same way (validation), and stops
 *     being one when the last goes (its entries' references are dropped);
 *   - the shared_info frame, which the monitor writes, is never a table;
 *   - the top L2 carries the monitor's own entries for the hole in slots
 *     480-511, which the guest can neither write nor replace, and every L3
 *     must have it: without it, loading the L3 would unmap the monitor.
 * Entry bits are checked against RV_L*_ALLOWED: no 2 MiB pages, no global
 * pages (they would outlive a CR3 switch into another domain), no PAT/NX.
 * The monitor is never preempted, so a table cannot change while it is
 * being validated.  When a frame stops being a page table, or becomes one
 * after being writable, the TLB and paging-structure caches are flushed
 * (MOV CR3, SDM Vol. 3A 4.10.4.1) so no stale translation outlives the rule.
 */
#include "mm.h"
#include "console.h"
#include "domain.h"
#include "frame.h"
#include "layout.h"
#include "memory.h"
#include "paging.h"
#include "rvlib.h"
#include "x86.h"

static struct frame_info *ft;
static uint32_t ft_frames;

void mm_init(uint32_t max_mfn)
{
    uint32_t pages = (max_mfn * (uint32_t)sizeof(*ft) + 4095) / 4096;
    uint32_t first = frames_alloc_contig_below(pages, MON_DIRECT_FRAMES);
    if (!first)
        panic("no room for a frame table of %u frames", max_mfn);
    ft = PA2VA(first << 12);
    ft_frames = max_mfn;
    memset(ft, 0, pages * 4096);
}

struct frame_info *frame_info(uint32_t mfn)
{
    return mfn < ft_frames ? &ft[mfn] : 0;
}

void mm_assign(struct domain *d, uint32_t mfn, uint32_t n)
{
    memset(&ft[mfn], 0, n * sizeof(*ft)); /* one pass: 131072 calls cost a 512 MiB build 4 ms */
    for (uint32_t i = 0; i < n; i++)
        ft[mfn + i].owner = (uint16_t)d->id;
}

/* A frame the monitor itself writes at any time (shared_info): the guest may
 * map it, but it can never become a page table, whose entries the monitor
 * would then be writing unchecked.  A permanent writable reference makes
 * every attempt a type conflict. */
void mm_assign_shared(struct domain *d, uint32_t mfn)
{
    mm_assign(d, mfn, 1);
    ft[mfn].type = PGT_WRITABLE;
    ft[mfn].type_count = ft[mfn].ref_count = 1;
}

void mm_release(uint32_t mfn, uint32_t n)
{
    memset(&ft[mfn], 0, n * sizeof(*ft));
}

void mm_flush_tlb(void)
{
    write_cr3(read_cr3());
}

static int is_table(unsigned type)
{
    return type >= PGT_L1;
}

static struct frame_info *owned(struct domain *d, uint32_t mfn)
{
    struct frame_info *fi = frame_info(mfn);
    return fi && fi->owner == d->id ? fi : 0;
}

static int validate(struct domain *d, uint32_t mfn, enum pgt type);
static void devalidate(uint32_t mfn, enum pgt type);

/* A reference that needs no type: a read-only mapping. */
static int get_page(struct domain *d, uint32_t mfn)
{
    struct frame_info *fi = owned(d, mfn);
    if (!fi)
        return -RV_EPERM;
    fi->ref_count++;
    return 0;
}

static void put_page(uint32_t mfn)
{
    ft[mfn].ref_count--;
}

static int get_type(struct domain *d, uint32_t mfn, enum pgt type)
{
    struct frame_info *fi = owned(d, mfn);
    if (!fi)
        return -RV_EPERM;
    if (fi->flags & FI_VALIDATING)
        return -RV_EBUSY; /* a table that refers to itself */
    if (fi->type_count && fi->type != type)
        return -RV_EBUSY;
    if (!fi->type_count) {
        if (is_table(type) && fi->type == PGT_WRITABLE)
            mm_flush_tlb(); /* no writable translation of a new table survives */
        fi->type = (uint8_t)type;
        if (is_table(type)) {
            fi->flags |= FI_VALIDATING;
            int rc = validate(d, mfn, type);
            fi->flags &= (uint8_t)~FI_VALIDATING;
            if (rc) {
                fi->type = PGT_NONE;
                return rc;
            }
        }
    }
    fi->type_count++;
    fi->ref_count++;
    return 0;
}

static void put_type(uint32_t mfn)
{
    struct frame_info *fi = &ft[mfn];
    fi->ref_count--;
    if (--fi->type_count == 0 && is_table(fi->type)) {
        devalidate(mfn, (enum pgt)fi->type);
        fi->type = PGT_NONE;
        mm_flush_tlb(); /* no cached walk through the old table survives */
    }
}

/* ---- one entry at each level ---------------------------------------------- */

static uint32_t entry_mfn(uint64_t e)
{
    return (uint32_t)((e & RV_PTE_ADDR) >> 12);
}

static int get_entry(struct domain *d, enum pgt level, unsigned slot, uint64_t e)
{
    if (!(e & RV_PTE_P))
        return 0;
    switch (level) {
    case PGT_L1:
        if (e & ~RV_L1_ALLOWED)
            return -RV_EINVAL;
        return (e & RV_PTE_RW) ? get_type(d, entry_mfn(e), PGT_WRITABLE) : get_page(d, entry_mfn(e));
    case PGT_L2:
    case PGT_L2_TOP:
        if (e & ~RV_L2_ALLOWED)
            return -RV_EINVAL;
        return get_type(d, entry_mfn(e), PGT_L1);
    case PGT_L3:
        if (e & ~RV_L3_ALLOWED)
            return -RV_EINVAL;
        return get_type(d, entry_mfn(e), slot == 3 ? PGT_L2_TOP : PGT_L2);
    default:
        return -RV_EINVAL;
    }
}

static void put_entry(enum pgt level, uint64_t e)
{
    if (!(e & RV_PTE_P))
        return;
    if (level == PGT_L1 && !(e & RV_PTE_RW))
        put_page(entry_mfn(e));
    else
        put_type(entry_mfn(e));
}

/* Slots of a table the guest controls. */
static unsigned guest_slots(enum pgt type)
{
    return type == PGT_L3 ? 4 : type == PGT_L2_TOP ? RV_L2_HOLE_FIRST : 512;
}

/* Bit 5 of a PAE L3 entry is reserved on hardware (SDM Vol. 3A 4.4.1), but
 * QEMU's TCG sets it as an accessed bit when it loads an L3: clear it so a
 * table read back from a loaded L3 validates, and MOV CR3 never faults. */
#define L3_ACCESSED 0x20ull

/*
 * The first slot from i on, below n, whose entry is present.  Most of a
 * process's tables are empty, and pinning or unpinning one visits all 512
 * slots: eight entries are tested at once, by ORing the low words that
 * hold their P bits (bit 0, SDM Vol. 3A 4.4.2), before looking at one.
 */
static unsigned next_present(const pte_t *t, unsigned i, unsigned n)
{
    const uint32_t *w = (const uint32_t *)t;
    while (i < n) {
        if (!(i & 7) && i + 8 <= n) {
            const uint32_t *g = w + 2 * i;
            if (!((g[0] | g[2] | g[4] | g[6] | g[8] | g[10] | g[12] | g[14]) & (uint32_t)RV_PTE_P)) {
                i += 8;
                continue;
            }
        }
        if (w[2 * i] & (uint32_t)RV_PTE_P)
            return i;
        i++;
    }
    return n;
}

/* The group of 16 slots a slot is in, as a bit of frame_info.present. */
#define PRESENT_GROUP(slot) (1u << ((slot) / 16))

/*
 * A refused frame is left exactly as it was: the guest may hold it mapped
 * read-only, and the monitor must never write what the guest could not
 * (ABI.md "Calling convention"), so L3 bit 5 is ignored while checking
 * and cleared only once the frame has become a table.
 */
static int validate(struct domain *d, uint32_t mfn, enum pgt type)
{
    pte_t *t = map_frame(mfn);
    pte_t ignored = type == PGT_L3 ? L3_ACCESSED : 0;
    unsigned n = guest_slots(type), done = 0;
    uint32_t present = 0;
    int rc = 0;
    if (type == PGT_L3 && !(t[3] & RV_PTE_P))
        rc = -RV_EINVAL; /* slot 3 holds the hole */
    else
        for (done = next_present(t, 0, n); done < n; done = next_present(t, done + 1, n)) {
            if ((rc = get_entry(d, type, done, t[done] & ~ignored)) != 0)
                break;
            present |= PRESENT_GROUP(done);
        }
    ft[mfn].present = present;
    if (rc) {
        while (done--) /* undo the entries taken before the bad one */
            put_entry(type, t[done]);
    } else if (type == PGT_L2_TOP) {
        for (unsigned i = RV_L2_HOLE_FIRST; i < 512; i++)
            t[i] = mon_l2_top[i];
    } else if (type == PGT_L3) {
        for (unsigned i = 0; i < 4; i++)
            t[i] &= ~L3_ACCESSED;
    }
    unmap_frame(t);
    return rc;
}

/*
 * Drops the references of a table's entries.  Only the groups of slots
 * frame_info.present names can hold present entries (validate and
 * mm_update_entry keep it), so an exiting process's mostly empty tables
 * cost a few groups each, not a scan of 512 slots.
 */
static void devalidate(uint32_t mfn, enum pgt type)
{
    pte_t *t = map_frame(mfn);
    unsigned n = guest_slots(type);
    for (uint32_t g = ft[mfn].present; g; g &= g - 1) {
        unsigned first = 16 * (unsigned)__builtin_ctz(g), end = first + 16 < n ? first + 16 : n;
        for (unsigned i = next_present(t, first, end); i < end; i = next_present(t, i + 1, end))
            put_entry(type, t[i]);
    }
    ft[mfn].present = 0;
    unmap_frame(t);
}

/* ---- the operations behind the hypercalls -------------------------------- */

/*
 * The table the last entry update wrote stays mapped until mm_update_done():
 * a batch mostly writes runs of entries of one table (a fork's copy, an
 * munmap), which then cost one map_frame.  Only the mapping is kept; every
 * request's table is still checked for owner and type.
 */
static uint32_t upd_mfn;
static pte_t *upd_t;

void mm_update_done(void)
{
    if (upd_t)
        unmap_frame(upd_t);
    upd_t = 0;
}

static pte_t *upd_map(uint32_t mfn)
{
    if (!upd_t || upd_mfn != mfn) {
        mm_update_done();
        upd_t = map_frame(mfn);
        upd_mfn = mfn;
    }
    return upd_t;
}

/*
 * Writes one entry of a page table in use.  The new entry's reference is
 * taken before the old one's is dropped, so rewriting an entry with the
 * same target never drops a table to zero references in between.
 */
int mm_update_entry(struct domain *d, uint64_t ptr, uint64_t val)
{
    if ((ptr & 3) != RV_MMU_NORMAL_PT_UPDATE)
        return -RV_ENOSYS;
    if ((ptr & 7) || (ptr >> 32))
        return -RV_EINVAL;
    uint32_t mfn = (uint32_t)(ptr >> 12), slot = ((uint32_t)ptr & 4095) / 8;
    struct frame_info *fi = owned(d, mfn);
    if (!fi)
        return -RV_EPERM;
    enum pgt type = (enum pgt)fi->type;
    if (!fi->type_count || !is_table(type))
        return -RV_EINVAL; /* not a page table in use: write it directly */
    if (slot >= guest_slots(type))
        return type == PGT_L3 ? -RV_EINVAL : -RV_EPERM; /* beyond the PDPT, or the hole */
    if (type == PGT_L3 && slot == 3 && !(val & RV_PTE_P))
        return -RV_EINVAL;
    if (type == PGT_L3)
        val &= ~L3_ACCESSED;
    int rc = get_entry(d, type, slot, val);
    if (rc)
        return rc;
    pte_t *t = upd_map(mfn);
    uint64_t old = t[slot];
    t[slot] = val;
    if (val & RV_PTE_P)
        fi->present |= PRESENT_GROUP(slot);
    put_entry(type, old);
    if (type == PGT_L3 && mfn == d->base_mfn && d == current)
        write_cr3(d->cr3); /* PDPTEs are cached at MOV CR3 only (SDM Vol. 3A 4.4.1) */
    return 0;
}

/* The machine address of the L1 entry that maps va in d's current tables. */
static int l1e_of(struct domain *d, uint32_t va, uint64_t *ptr)
{
    pte_t *t = map_frame(d->base_mfn);
    uint64_t e = t[va >> 30];
    unmap_frame(t);
    if (!(e & RV_PTE_P))
        return -RV_EINVAL;
    t = map_frame(entry_mfn(e));
    e = t[(va >> 21) & 511];
    unmap_frame(t);
    if (!(e & RV_PTE_P))
        return -RV_EINVAL;
    *ptr = ((uint64_t)entry_mfn(e) << 12) | (((va >> 12) & 511) * 8);
    return 0;
}

int mm_update_va(struct domain *d, uint32_t va, uint64_t val)
{
    uint64_t ptr;
    if (va >= RV_HOLE_START)
        return -RV_EINVAL;
    int rc = l1e_of(d, va, &ptr);
    if (rc == 0)
        rc = mm_update_entry(d, ptr, val);
    mm_update_done();
    return rc;
}

int mm_pin(struct domain *d, uint32_t mfn, enum pgt type)
{
    struct frame_info *fi = owned(d, mfn);
    if (!fi)
        return -RV_EPERM;
    if (fi->flags & FI_PINNED)
        return -RV_EEXIST;
    int rc = get_type(d, mfn, type);
    if (rc == 0)
        fi->flags |= FI_PINNED;
    return rc;
}

int mm_unpin(struct domain *d, uint32_t mfn)
{
    struct frame_info *fi = owned(d, mfn);
    if (!fi)
        return -RV_EPERM;
    if (!(fi->flags & FI_PINNED))
        return -RV_EINVAL;
    if (mfn == d->base_mfn)
        return -RV_EBUSY;
    fi->flags &= (uint8_t)~FI_PINNED;
    put_type(mfn);
    return 0;
}

int mm_new_base(struct domain *d, uint32_t mfn)
{
    int rc = get_type(d, mfn, PGT_L3);
    if (rc)
        return rc;
    uint32_t old = d->base_mfn;
    d->base_mfn = mfn;
    d->cr3 = mfn << 12;
    if (d == current)
        write_cr3(d->cr3);
    if (old)
        put_type(old);
    return 0;
}

int mm_install_base(struct domain *d, uint32_t root)
{
    int rc = mm_pin(d, root, PGT_L3);
    return rc ? rc : mm_new_base(d, root);
}

void mm_count(struct domain *d, uint32_t *pt, uint32_t *pinned, uint32_t *writable)
{
    *pt = *pinned = *writable = 0;
    for (uint32_t i = 0; i < d->nr_pages; i++) {
        const struct frame_info *fi = &ft[d->first_mfn + i];
        if (fi->type_count && is_table(fi->type))
            (*pt)++;
        if (fi->type_count && fi->type == PGT_WRITABLE)
            (*writable)++;
        if (fi->flags & FI_PINNED)
            (*pinned)++;
    }
}
