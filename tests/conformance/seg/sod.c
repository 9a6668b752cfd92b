/* SPDX-License-Identifier: MIT */
/*
 * seg-sod: the start of day (ABI.md "Start of day", start_info).  The
 * image's note names sod_entry as its entry (mkbad.py patches it in), so
 * the first instructions record ESP, ESI, EFLAGS, the segment registers
 * and the FPU environment before crt0's _start changes anything.  Then:
 * every start_info field, the frame order (image, start_info, page tables,
 * 16 KiB boot stack, free memory), the page tables themselves (walked from
 * pt_base: frame first_mfn + k at virt_base + k * 4096, user-accessible,
 * writable except the page tables, which fault on write with a protection
 * #PF), shared_info, events masked, .bss zero and the command line.
 *
 * The command line is "kb=<mem= in KiB> start-of-day a.b_c=d": nr_pages
 * must match kb, and the whole line must arrive byte for byte.
 */
#include "segutil.h"

#define BOOT_STACK_SIZE 16384u
#define PTE_P 1u
#define PTE_RW 2u
#define PTE_US 4u

/* Filled by sod_entry (.bss, so zero until it runs). */
uint32_t sod_esp, sod_esi, sod_eflags, sod_cs, sod_ds, sod_es, sod_fs, sod_gs, sod_ss, sod_done;
uint32_t sod_fenv[7];

__asm__(".text\n"
        ".globl sod_entry\n"
        "sod_entry:\n\t"
        "movl %esp, sod_esp\n\t"
        "movl %esi, sod_esi\n\t"
        "pushfl\n\t"
        "popl sod_eflags\n\t"
        "movw %cs, sod_cs\n\t"
        "movw %ds, sod_ds\n\t"
        "movw %es, sod_es\n\t"
        "movw %fs, sod_fs\n\t"
        "movw %gs, sod_gs\n\t"
        "movw %ss, sod_ss\n\t"
        "fnstenv sod_fenv\n\t"  /* #NM here (CR0.TS set) would kill us: no handler yet */
        "movl $1, sod_done\n\t"
        "jmp _start\n");

extern char _start[], _end[];
static uint8_t big_bss[65536];

static uint32_t page_up(uint32_t a)
{
    return (a + RV_PAGE_SIZE - 1) & ~(RV_PAGE_SIZE - 1);
}

static void check_entry_state(void)
{
    const struct rv_start_info *si = rv_start_info;

    if (!sod_done)
        rvt_error("sod_entry did not run: boot the image mkbad.py made (entry=sod_entry)");
    RVT_EXPECT_EQ(sod_cs, RV_FLAT_RING1_CS, "CS at entry");
    RVT_EXPECT_EQ(sod_cs & 3, 1, "ring at entry");
    RVT_EXPECT_EQ(sod_ds, RV_FLAT_RING1_DS, "DS at entry");
    RVT_EXPECT_EQ(sod_es, RV_FLAT_RING1_DS, "ES at entry");
    RVT_EXPECT_EQ(sod_fs, RV_FLAT_RING1_DS, "FS at entry");
    RVT_EXPECT_EQ(sod_gs, RV_FLAT_RING1_DS, "GS at entry");
    RVT_EXPECT_EQ(sod_ss, RV_FLAT_RING1_DS, "SS at entry");
    RVT_EXPECT_EQ(sod_esp, si->stack_top, "ESP at entry = start_info.stack_top");
    RVT_EXPECT_EQ(sod_esi, (uint32_t)(uintptr_t)si, "ESI at entry = start_info");
    RVT_EXPECT_EQ(sod_eflags >> 9 & 1, 1, "EFLAGS.IF at entry");
    RVT_EXPECT_EQ(sod_eflags >> 12 & 3, 0, "EFLAGS.IOPL at entry");
    RVT_EXPECT_EQ(sod_eflags >> 17 & 1, 0, "EFLAGS.VM at entry");
    RVT_EXPECT_EQ(sod_fenv[0] & 0xffff, 0x037f, "FPU control word (FNINIT: 0x037F)");
    RVT_EXPECT_EQ(sod_fenv[1] & 0xffff, 0, "FPU status word (FNINIT: 0)");
    RVT_EXPECT_EQ(sod_fenv[2] & 0xffff, 0xffff, "FPU tag word (FNINIT: all empty)");
    RVT_EXPECT_EQ(rv_read_cs() & 3, 1, "ring in test_main");
    RVT_EXPECT_EQ(rv_shared_info->vcpu_info[0].evtchn_upcall_mask, 1, "events masked at start");
    uint32_t fl;
    __asm__ volatile("pushfl\n\tpopl %0" : "=r"(fl));
    RVT_EXPECT_EQ(fl >> 9 & 1, 1, "EFLAGS.IF now");
    for (unsigned i = 0; i < sizeof big_bss; i++)
        if (big_bss[i])
            rvt_failure(".bss byte %u is 0x%x, expected 0", i, big_bss[i]);
}

static void check_fields(void)
{
    const struct rv_start_info *si = rv_start_info;
    long kb = rv_cmdline_int("kb", -1);
    char want[64];

    RVT_EXPECT_EQ(memcmp(si->magic, RV_START_INFO_MAGIC, sizeof RV_START_INFO_MAGIC), 0, "magic");
    for (unsigned i = sizeof RV_START_INFO_MAGIC; i < sizeof si->magic; i++)
        RVT_EXPECT_EQ(si->magic[i], 0, "magic NUL padding");
    RVT_EXPECT_EQ(si->abi_version, RV_ABI_VERSION, "abi_version");
    RVT_EXPECT_EQ(si->flags & ~RV_SIF_CONSOLE_FOCUS, 0, "unknown flags");
    RVT_EXPECT_TRUE(si->domid >= 1, "domid counts from 1");
    RVT_EXPECT_EQ(si->mod_start, 0, "mod_start");
    RVT_EXPECT_EQ(si->mod_len, 0, "mod_len");
    RVT_EXPECT_EQ(si->console_evtchn, 0, "console_evtchn");
    for (unsigned i = 0; i < sizeof si->reserved / sizeof si->reserved[0]; i++)
        RVT_EXPECT_EQ(si->reserved[i], 0, "reserved");

    /* The command line, byte for byte, and the memory size it names. */
    if (strnlen(si->cmdline, RV_CMDLINE_MAX) == RV_CMDLINE_MAX)
        rvt_failure("cmdline is not NUL terminated within %u bytes", RV_CMDLINE_MAX);
    if (kb <= 0)
        rvt_error("no kb= on the command line '%s'", si->cmdline);
    rv_snprintf(want, sizeof want, "kb=%ld start-of-day a.b_c=d", kb);
    if (strcmp(si->cmdline, want) != 0)
        rvt_failure("cmdline is '%s', expected '%s'", si->cmdline, want);
    RVT_EXPECT_EQ(si->nr_pages, kb / 4, "nr_pages = mem= / 4 KiB");

    /* The frames, in order. */
    uint32_t start = (uint32_t)(uintptr_t)_start;
    RVT_EXPECT_EQ(si->virt_base % RV_PAGE_SIZE, 0, "virt_base page aligned");
    RVT_EXPECT_TRUE(si->virt_base <= start && start - si->virt_base < RV_PAGE_SIZE,
                    "virt_base is the image's first page");
    RVT_EXPECT_EQ(si->image_end, page_up((uint32_t)(uintptr_t)_end), "image_end");
    RVT_EXPECT_EQ((uint32_t)(uintptr_t)si, si->image_end, "start_info follows the image");
    RVT_EXPECT_EQ(si->pt_base, si->image_end + RV_PAGE_SIZE, "pt_base follows start_info");
    RVT_EXPECT_TRUE(si->nr_pt_frames >= 3, "at least an L3, an L2 and an L1");
    RVT_EXPECT_EQ(si->stack_top, si->pt_base + si->nr_pt_frames * RV_PAGE_SIZE + BOOT_STACK_SIZE,
                  "stack_top: 16 KiB of boot stack after the page tables");
    RVT_EXPECT_EQ(si->free_start, si->stack_top, "free_start follows the boot stack");
    RVT_EXPECT_TRUE(si->nr_mapped <= si->nr_pages, "nr_mapped <= nr_pages");
    RVT_EXPECT_TRUE(si->free_start <= si->virt_base + si->nr_mapped * RV_PAGE_SIZE,
                    "the start-of-day structures are mapped");
    RVT_EXPECT_TRUE(si->first_mfn != 0, "first_mfn");
    RVT_EXPECT_EQ(si->shared_info % RV_PAGE_SIZE, 0, "shared_info page aligned");
    RVT_EXPECT_TRUE(si->shared_info < RV_HOLE_START, "shared_info below the hole");
    RVT_EXPECT_TRUE(si->shared_info < si->virt_base ||
                        si->shared_info >= si->virt_base + si->nr_mapped * RV_PAGE_SIZE,
                    "shared_info is not one of the domain's mapped frames");
    RVT_EXPECT_EQ((uint32_t)(uintptr_t)rv_shared_info, si->shared_info, "crt0's rv_shared_info");
    rvt_log("domid %u, %u pages at mfn 0x%x, %u mapped at 0x%x, %u page-table frames, shared_info 0x%x",
            si->domid, si->nr_pages, si->first_mfn, si->nr_mapped, si->virt_base, si->nr_pt_frames,
            si->shared_info);
}

/* The VA of a domain frame named by machine frame number (it must be one of ours). */
static const uint64_t *frame_va(uint64_t entry, const char *what, uint32_t va)
{
    const struct rv_start_info *si = rv_start_info;
    uint32_t mfn = (uint32_t)(entry >> 12) & 0xffffff;

    if (!(entry & PTE_P))
        rvt_failure("%s for va 0x%x not present (0x%llx)", what, va, (unsigned long long)entry);
    if (mfn < si->first_mfn || mfn - si->first_mfn >= si->nr_mapped)
        rvt_failure("%s for va 0x%x names mfn 0x%x, outside the domain's frames", what, va, mfn);
    uint32_t pfn = mfn - si->first_mfn;
    uint32_t pt_first = (si->pt_base - si->virt_base) / RV_PAGE_SIZE;
    if (pfn < pt_first || pfn >= pt_first + si->nr_pt_frames)
        rvt_failure("%s for va 0x%x is frame %u, not one of the page-table frames", what, va, pfn);
    return (const uint64_t *)(uintptr_t)(si->virt_base + pfn * RV_PAGE_SIZE);
}

/* The leaf entry of va, walking from pt_base (the L3, SDM Vol. 3A 4.4). */
static uint64_t leaf_of(uint32_t va)
{
    const uint64_t *l3 = (const uint64_t *)(uintptr_t)rv_start_info->pt_base;
    const uint64_t *l2 = frame_va(l3[va >> 30], "L3 entry", va);
    uint64_t e2 = l2[(va >> 21) & 511];
    if ((e2 & (PTE_US | PTE_RW)) != (PTE_US | PTE_RW) || (e2 & 0x80))
        rvt_failure("L2 entry for va 0x%x is 0x%llx: not a user, writable pointer to an L1", va,
                    (unsigned long long)e2);
    const uint64_t *l1 = frame_va(e2, "L2 entry", va);
    return l1[(va >> 12) & 511];
}

static void check_mappings(void)
{
    const struct rv_start_info *si = rv_start_info;
    uint32_t pt_first = (si->pt_base - si->virt_base) / RV_PAGE_SIZE;

    for (uint32_t k = 0; k < si->nr_mapped; k++) {
        uint32_t va = si->virt_base + k * RV_PAGE_SIZE;
        uint64_t e = leaf_of(va);
        int is_pt = k >= pt_first && k < pt_first + si->nr_pt_frames;
        uint32_t mfn = (uint32_t)(e >> 12) & 0xffffff;

        if (!(e & PTE_P) || mfn != si->first_mfn + k)
            rvt_failure("va 0x%x maps mfn 0x%x (pte 0x%llx), expected mfn 0x%x", va, mfn,
                        (unsigned long long)e, si->first_mfn + k);
        if (!(e & PTE_US))
            rvt_failure("va 0x%x is not user-accessible (pte 0x%llx)", va, (unsigned long long)e);
        if (!!(e & PTE_RW) == is_pt)
            rvt_failure("va 0x%x (%s frame) has RW=%u", va, is_pt ? "page-table" : "ordinary",
                        (unsigned)(e & PTE_RW) >> 1);
        (void)*(volatile uint8_t *)(uintptr_t)(va + (k & 0xfff)); /* readable */
    }
    uint64_t e = leaf_of(si->shared_info);
    if ((e & (PTE_P | PTE_RW | PTE_US)) != (PTE_P | PTE_RW | PTE_US))
        rvt_failure("shared_info pte 0x%llx is not present, writable and user", (unsigned long long)e);
}

static void write_same(void *p)
{
    __asm__ volatile("orl $0, (%0)" : : "r"(p) : "memory");
}

static void check_pt_read_only(void)
{
    const struct rv_start_info *si = rv_start_info;
    struct rv_trap_frame f;

    for (uint32_t j = 0; j < si->nr_pt_frames; j++) {
        uint32_t va = si->pt_base + j * RV_PAGE_SIZE + 8 * j;
        int v = seg_catch(write_same, (void *)(uintptr_t)va, &f);
        if (v != 14)
            rvt_failure("writing page-table frame %u at 0x%x: vector %d, expected 14 (#PF)", j, va, v);
        RVT_EXPECT_EQ(f.cr2, va, "#PF address of the page-table write");
        RVT_EXPECT_EQ(f.error_code & 7, 3, "#PF error code: protection (P=1), write, supervisor");
    }
    /* The boot stack and free memory are writable. */
    write_same((void *)(uintptr_t)(si->stack_top - 4));
    if (si->free_start < si->virt_base + si->nr_mapped * RV_PAGE_SIZE)
        write_same((void *)(uintptr_t)si->free_start);
}

void test_main(void)
{
    check_entry_state();
    check_fields();
    check_mappings();
    check_pt_read_only();
    rvt_success();
}
