/*
 * monitor/domain_build.c: turning a Multiboot module into a running guest.
 *
 * The start-of-day state is Xen's, simplified (ABI.md "Start of day"): the
 * domain owns one contiguous run of frames; the image is loaded at its ELF
 * addresses; after it come the start_info page, the page tables, a boot
 * stack.  Frame k of the domain is mapped at virt_base + k * 4 KiB, and the
 * shared_info page just past the last mapped frame.  The page tables are
 * real PAE tables (direct paging): the guest sees them, read-only.  Their
 * top L2 carries the monitor's own slots for the hole.
 *
 * Anything wrong with a module refuses that module with one line naming it
 * and the reason; the other modules still become domains.
 */
#include "abi.h"
#include "console.h"
#include "cpu.h"
#include "devices.h"
#include "domain.h"
#include "elf.h"
#include "frame.h"
#include "gdt.h"
#include "layout.h"
#include "mm.h"
#include "modline.h"
#include "outcome.h"
#include "multiboot.h"
#include "paging.h"
#include "rvlib.h"
#include "scrub.h"
#include "start_info.h"

#define BOOT_STACK_PAGES 4


struct layout {
    uint32_t virt_base, nr_pages, nr_mapped;
    uint32_t img_pages;             /* image frames, from frame 0 */
    uint32_t si_pfn;                /* start_info */
    uint32_t pt_pfn, nr_pt;         /* page tables: L3, the L2s, the L1s */
    uint32_t first_gib, span_l2;    /* L2 tables for GiBs first_gib.. */
    uint32_t nr_l2;                 /* span_l2, plus one for GiB 3 if the span stops short */
    uint32_t first_slot, nr_l1;     /* L1 tables for 2 MiB slots first_slot.. */
    uint32_t stack_pfn;
    uint32_t initrd_pfn, initrd_len;  /* the initrd module's copy, after the stack */
    uint32_t free_pfn;
    uint32_t shared_va;
};

static uint32_t next_domid = 1; /* ids are never reused within a boot */

static void refuse(int index, const char *path, const char *why)
{
    mlog("module %d (%s): refused: %s\n", index, path, why);
    outcome_refused(index);
    unmap_frames();
}

static void plan(const struct elf_image *ei, uint32_t nr_pages, uint32_t initrd_len, struct layout *l)
{
    l->virt_base = ei->va_lo;
    l->nr_pages = nr_pages;
    l->img_pages = (ei->va_hi - ei->va_lo) >> 12;
    uint32_t room = ((RV_HOLE_START - l->virt_base) >> 12) - 1; /* one VA page for shared_info */
    l->nr_mapped = nr_pages < room ? nr_pages : room;
    l->shared_va = l->virt_base + (l->nr_mapped << 12);
    uint32_t last = l->shared_va + 4095;
    l->first_slot = l->virt_base >> 21;
    l->nr_l1 = (last >> 21) - l->first_slot + 1;
    l->first_gib = l->virt_base >> 30;
    l->span_l2 = (last >> 30) - l->first_gib + 1;
    l->nr_l2 = l->span_l2 + ((last >> 30) < 3); /* the top GiB always has an L2: the hole is there */
    l->si_pfn = l->img_pages;
    l->pt_pfn = l->si_pfn + 1;
    l->nr_pt = 1 + l->nr_l2 + l->nr_l1;
    l->stack_pfn = l->pt_pfn + l->nr_pt;
    l->initrd_pfn = l->stack_pfn + BOOT_STACK_PAGES;
    l->initrd_len = initrd_len;
    l->free_pfn = l->initrd_pfn + ((initrd_len + 4095) >> 12);
}

/* The frame of the L2 table for GiB gib (the top GiB's may be the extra one). */
static uint32_t l2_pfn(const struct layout *l, uint32_t gib)
{
    uint32_t i = gib - l->first_gib;
    if (gib < l->first_gib || i >= l->span_l2)
        i = l->nr_l2 - 1;
    return l->pt_pfn + 1 + i;
}

static int is_pt_pfn(const struct layout *l, uint32_t pfn)
{
    return pfn >= l->pt_pfn && pfn < l->pt_pfn + l->nr_pt;
}

static void load_segments(struct domain *d, const struct layout *l, const uint8_t *img,
                          const struct elf_image *ei)
{
    for (uint32_t s = 0; s < ei->nsegs; s++) {
        const struct elf_seg *seg = &ei->seg[s];
        uint32_t done = 0;
        while (done < seg->filesz) {
            uint32_t va = seg->va + done;
            uint32_t chunk = 4096 - (va & 4095);
            if (chunk > seg->filesz - done)
                chunk = seg->filesz - done;
            uint8_t *page = map_frame(d->first_mfn + ((va - l->virt_base) >> 12));
            memcpy(page + (va & 4095), img + seg->offset + done, chunk);
            unmap_frame(page);
            done += chunk;
        }
    }
}

/* PAE: L3 entries take only P (and cache bits), SDM Vol. 3A 4.4.1. */
static void build_l3(struct domain *d, const struct layout *l)
{
    pte_t *l3 = map_frame(d->first_mfn + l->pt_pfn);
    for (uint32_t g = 0; g < 4; g++) {
        int used = (g >= l->first_gib && g - l->first_gib < l->span_l2) || g == 3;
        if (used)
            l3[g] = ((pte_t)(d->first_mfn + l2_pfn(l, g)) << 12) | PG_P;
    }
    unmap_frame(l3);
}

static void build_l2s(struct domain *d, const struct layout *l)
{
    for (uint32_t i = 0; i < l->nr_l1; i++) {
        uint32_t slot = l->first_slot + i;
        pte_t *l2 = map_frame(d->first_mfn + l2_pfn(l, slot >> 9));
        l2[slot & 511] = ((pte_t)(d->first_mfn + l->pt_pfn + 1 + l->nr_l2 + i) << 12) |
                         PG_P | PG_RW | PG_US | PG_A;
        unmap_frame(l2);
    }
    pte_t *top = map_frame(d->first_mfn + l2_pfn(l, 3));
    for (uint32_t i = MON_L2_FIRST; i < 512; i++)
        top[i] = mon_l2_top[i];
    unmap_frame(top);
}

static pte_t leaf(uint32_t mfn, int writable)
{
    return ((pte_t)mfn << 12) | PG_P | PG_US | PG_A | PG_D | (writable ? PG_RW : 0);
}

static void build_l1s(struct domain *d, const struct layout *l)
{
    for (uint32_t i = 0; i < l->nr_l1; i++) {
        pte_t *l1 = map_frame(d->first_mfn + l->pt_pfn + 1 + l->nr_l2 + i);
        uint32_t slot_va = (l->first_slot + i) << 21;
        for (uint32_t e = 0; e < 512; e++) {
            uint32_t va = slot_va + (e << 12);
            if (va < l->virt_base || va > l->shared_va)
                continue;
            uint32_t pfn = (va - l->virt_base) >> 12;
            l1[e] = va == l->shared_va ? leaf(d->shared_mfn, 1)
                                       : leaf(d->first_mfn + pfn, !is_pt_pfn(l, pfn));
        }
        unmap_frame(l1);
    }
}

/* The initrd, page by page from a boot module's frames (it may be larger
 * than the window) or from a control domain's buffer (checked readable). */
static void load_initrd(struct domain *d, const struct layout *l, const struct build_src *src)
{
    for (uint32_t done = 0; done < l->initrd_len; done += 4096) {
        uint32_t n = l->initrd_len - done < 4096 ? l->initrd_len - done : 4096;
        uint8_t *dst = map_frame(d->first_mfn + l->initrd_pfn + (done >> 12));
        if (src->initrd_va) {
            memcpy(dst, src->initrd_va + done, n);
            unmap_frame(dst);
            continue;
        }
        uint32_t pa = src->initrd_pa + done;
        const uint8_t *from = map_frame(pa >> 12);
        uint32_t first = 4096 - (pa & 4095) < n ? 4096 - (pa & 4095) : n;
        memcpy(dst, from + (pa & 4095), first);
        unmap_frame((void *)from);
        if (first < n) { /* a module that is not page aligned straddles two frames */
            from = map_frame((pa >> 12) + 1);
            memcpy(dst + first, from, n - first);
            unmap_frame((void *)from);
        }
        unmap_frame(dst);
    }
}

/* Hypercall stubs, RV_HYPERCALL_STUB_SIZE bytes each: mov eax, nr; int 0x82; ret.
 * The iret stub pushes EAX first and does not return (pv-abi/hypercall.h). */
static void fill_hypercall_page(uint8_t *p)
{
    memset(p, 0xcc, 4096); /* int3 */
    for (uint32_t nr = 0; nr < 4096 / RV_HYPERCALL_STUB_SIZE; nr++) {
        uint8_t *s = p + nr * RV_HYPERCALL_STUB_SIZE;
        if (nr == RV_HC_iret)
            *s++ = 0x50; /* push eax */
        *s++ = 0xb8;     /* mov eax, imm32 */
        memcpy(s, &nr, 4);
        s += 4;
        *s++ = 0xcd;     /* int 0x82 */
        *s++ = RV_HYPERCALL_VECTOR;
        if (nr != RV_HC_iret)
            *s = 0xc3;   /* ret */
    }
}

static void fill_start_info(struct domain *d, const struct layout *l, const struct modline *ml)
{
    struct rv_start_info *si = map_frame(d->first_mfn + l->si_pfn);
    strlcpy(si->magic, RV_START_INFO_MAGIC, sizeof(si->magic));
    si->abi_version = RV_ABI_VERSION;
    si->flags = d->id == 1 ? RV_SIF_CONSOLE_FOCUS : 0;
    si->domid = d->id;
    si->nr_pages = l->nr_pages;
    si->first_mfn = d->first_mfn;
    si->virt_base = l->virt_base;
    si->nr_mapped = l->nr_mapped;
    si->shared_info = l->shared_va;
    si->pt_base = l->virt_base + (l->pt_pfn << 12);
    si->nr_pt_frames = l->nr_pt;
    si->image_end = l->virt_base + (l->img_pages << 12);
    si->free_start = l->virt_base + (l->free_pfn << 12);
    si->stack_top = l->virt_base + (l->initrd_pfn << 12);
    if (l->initrd_len) {
        si->mod_start = si->stack_top;
        si->mod_len = l->initrd_len;
    }
    strlcpy(si->cmdline, ml->cmdline, sizeof(si->cmdline));
    unmap_frame(si);
}

static struct domain *domain_alloc(void)
{
    for (uint32_t i = 0; i < MAX_DOMAINS; i++)
        if (domains[i].state == DOM_FREE) {
            if (domain_slots < i + 1)
                domain_slots = i + 1; /* the scheduler's scans stop here */
            return &domains[i];
        }
    return 0;
}

/* A new domain starts with zeros: frames the scrubber gave back are known
 * to hold them (frame.c); the others (never used since boot) are zeroed. */
static void zero_dirty(uint32_t mfn, uint32_t n)
{
    for (uint32_t i = 0; i < n;) {
        i += frames_zeroed_run(mfn + i, n - i, 1);
        uint32_t dirty = frames_zeroed_run(mfn + i, n - i, 0);
        while (dirty) {
            uint32_t mapped;
            void *va = map_run(mfn + i, dirty, &mapped);
            uint32_t k = mapped < dirty ? mapped : dirty;
            zero_pages(va, k);
            i += k;
            dirty -= k;
        }
    }
}

static int build_memory(struct domain *d, const struct layout *l, const uint8_t *img,
                        const struct elf_image *ei)
{
    d->first_mfn = frames_alloc_contig(l->nr_pages);
    if (!d->first_mfn)
        return -1;
    d->shared_mfn = frame_alloc_below(MON_DIRECT_FRAMES);
    if (!d->shared_mfn) {
        frames_free(d->first_mfn, l->nr_pages);
        return -1;
    }
    d->nr_pages = l->nr_pages;
    mm_assign(d, d->first_mfn, l->nr_pages);
    mm_assign_shared(d, d->shared_mfn);
    d->shared = PA2VA(d->shared_mfn << 12);
    memset(d->shared, 0, 4096);
    d->shared->vcpu_info[0].evtchn_upcall_mask = 1; /* events start masked, as on Xen */
    zero_dirty(d->first_mfn, l->nr_pages);
    load_segments(d, l, img, ei);
    build_l3(d, l);
    build_l2s(d, l);
    build_l1s(d, l);
    /* Type and count everything the tables reference, as if the guest had
     * pinned its L3 and loaded it: the same validation as later updates. */
    if (mm_install_base(d, d->first_mfn + l->pt_pfn))
        panic("d%u: the start-of-day page tables do not validate", d->id);
    if (ei->fill_hypercall_page) {
        uint8_t *p = map_frame(d->first_mfn + ((ei->note.hypercall_page - l->virt_base) >> 12));
        fill_hypercall_page(p);
        unmap_frame(p);
    }
    return 0;
}

static void describe_need(char *buf, uint32_t n, const struct layout *l, const struct elf_image *ei)
{
    uint32_t need_kb = l->free_pfn * 4;
    if (ei->note.min_mem_kb > need_kb)
        need_kb = ei->note.min_mem_kb;
    rv_snprintf(buf, n, "too little memory: mem=%uK, the image needs at least %uK", l->nr_pages * 4, need_kb);
}

/* The domain's identity and policy, from its options. */
static void domain_init(struct domain *d, const struct modline *ml, const struct build_src *src)
{
    d->id = next_domid++;
    strlcpy(d->name, ml->name, sizeof(d->name));
    d->module = src->module;
    d->weight = ml->weight;
    d->cap = ml->cap;
    d->restart = src->module < 0 ? RESTART_NEVER : ml->restart; /* no module to start again from */
    d->control = ml->control;
}

/*
 * The one way a domain comes to be, for a boot module and for domctl
 * CREATE alike: the image is checked (elf.c), the options (already parsed
 * by modline.c) are checked against it, then memory, devices, initrd and
 * start_info.  Returns 0 with *out set, or a negative RV_E* with *why a
 * one-line reason (why_buf may hold it).  Nothing is left behind on a
 * refusal but frames on their way through the scrub queue.
 */
int domain_create(const struct modline *ml, const struct build_src *src, struct domain **out,
                  char *why_buf, uint32_t why_len, const char **why)
{
    struct elf_image ei;
    if (elf_parse(src->img, src->img_len, &ei, why))
        return -RV_EINVAL;
    struct layout l;
    plan(&ei, ml->mem_kb / 4, src->initrd_len, &l);
    if (l.free_pfn > l.nr_mapped || ml->mem_kb < ei.note.min_mem_kb) {
        describe_need(why_buf, why_len, &l, &ei);
        *why = why_buf;
        return -RV_EINVAL;
    }
    if (next_domid > 0xffff) { /* frame owners and event channels keep 16-bit ids */
        *why = "domain ids used up";
        return -RV_ENOSPC;
    }
    struct domain *d = domain_alloc();
    if (!d) {
        *why = "too many domains";
        return -RV_ENOSPC;
    }
    domain_init(d, ml, src);
    if (build_memory(d, &l, src->img, &ei)) {
        uint32_t busy = scrub_frames_left();
        rv_snprintf(why_buf, why_len, busy ? "not enough free memory for mem=%uK (%u KiB still being scrubbed)"
                                           : "not enough free memory for mem=%uK", ml->mem_kb, busy * 4);
        *why = why_buf;
        memset(d, 0, sizeof(*d));
        return -RV_ENOMEM;
    }
    unmap_frames(); /* the image is copied: the window is free for disk=next */
    if (virtio_domain_create(d, ml, src->next_module, why)) {
        domain_destroy(d, -1);
        return -RV_EINVAL;
    }
    if (l.initrd_len)
        load_initrd(d, &l, src);
    fill_start_info(d, &l, ml);
    d->kstack_canary = KSTACK_CANARY;
    gdt_domain_init(d);
    memcpy(d->fpu_state, fpu_init_state, sizeof(d->fpu_state));
    vcpu_prepare(d, ei.note.entry, l.virt_base + (l.initrd_pfn << 12), l.virt_base + (l.si_pfn << 12));
    d->state = DOM_RUNNABLE;
    dlog(d, "started, %u KiB at mfn 0x%x, entry 0x%x%s%s\n", ml->mem_kb, d->first_mfn, ei.note.entry,
         l.initrd_len ? (src->module >= 0 ? ", with the next module as its initrd" : ", with an initrd")
                      : "",
         d->control ? ", a control domain" : "");
    domain_print_memory(d);
    *out = d;
    return 0;
}

/*
 * Builds the domain of module `index`; returns how many modules it used,
 * built or refused (its own, its initrd, one per disk=next).
 */
int domain_build(int index)
{
    static struct modline ml; /* big (the guest command line): keep it off the stack */
    static char why_buf[96];
    const struct multiboot_module *m = &boot_modules[index], *initrd = 0;
    const char *why;
    if (modline_parse(m->string ? PA2VA(m->string) : "", &ml, &why)) {
        refuse(index, ml.path, why);
        return 1;
    }
    if (ml.initrd_next) {
        if (index + 1 >= (int)nr_boot_modules) {
            refuse(index, ml.path, "initrd=next but no module follows");
            return 1;
        }
        initrd = &boot_modules[index + 1];
    }
    int used = (int)modline_modules_used(&ml);
    if (index + used > (int)nr_boot_modules) {
        refuse(index, ml.path, "disk=next but no module follows for it");
        return (int)nr_boot_modules - index;
    }
    uint32_t len = m->mod_end - m->mod_start;
    const uint8_t *img = map_frames(m->mod_start >> 12, ((m->mod_start & 4095) + len + 4095) >> 12);
    if (!img) {
        refuse(index, ml.path, "image larger than the monitor's 8 MiB module window");
        return used;
    }
    struct build_src src = { .img = img + (m->mod_start & 4095), .img_len = len, .module = index,
                             .next_module = (uint32_t)index + (initrd ? 2 : 1) };
    if (initrd) {
        src.initrd_pa = initrd->mod_start;
        src.initrd_len = initrd->mod_end - initrd->mod_start;
    }
    struct domain *d;
    if (domain_create(&ml, &src, &d, why_buf, sizeof(why_buf), &why))
        refuse(index, ml.path, why);
    return used;
}
