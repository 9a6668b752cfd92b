/*
 * monitor/main.c: the monitor's start of day and its end.
 *
 * boot.asm has turned on PAE paging with the hole mapped; kmain() brings up
 * the console, the frame allocator (from the Multiboot memory map), the
 * monitor's page tables, GDT, TSS, IDT, interrupts and the rest of the CPU
 * state guests run with (cpu.c), starts the other CPUs, which park
 * (smp.c), turns every
 * Multiboot module into a domain and hands the CPU to the scheduler.
 */
#include "abi.h"
#include "console.h"
#include "cpu.h"
#include "domain.h"
#include "frame.h"
#include "gdt.h"
#include "idt.h"
#include "irq.h"
#include "layout.h"
#include "modline.h"
#include "mm.h"
#include "multiboot.h"
#include "outcome.h"
#include "paging.h"
#include "rvlib.h"
#include "serial.h"
#include "smp.h"
#include "time.h"
#include "x86.h"

extern char mon_phys_start[], mon_phys_end[];
extern uint64_t sched_quantum_ns, sched_ratelimit_ns;
static struct monline monline;

/* Multiboot structures live where the loader put them; we reach them through the direct map. */
static void *mb_ptr(uint32_t pa, uint32_t len)
{
    if (pa >= MON_DIRECT_END || len > MON_DIRECT_END - pa)
        panic("multiboot data at 0x%x is beyond the monitor's direct map (48 MiB)", pa);
    return PA2VA(pa);
}

/* Frees the RAM the memory map reports; returns the frame just past the highest (below 4 GiB). */
static uint32_t memory_init(const struct multiboot_info *mbi)
{
    uint64_t top = 0;
    if (!(mbi->flags & MBI_MMAP))
        panic("the boot loader gave no memory map");
    frames_init();
    uint32_t off = 0;
    while (off + sizeof(struct multiboot_mmap) <= mbi->mmap_length) {
        const struct multiboot_mmap *e = mb_ptr(mbi->mmap_addr + off, sizeof(*e));
        if (e->type == 1) {
            frames_add_free(e->addr, e->addr + e->len);
            if (e->addr + e->len > top)
                top = e->addr + e->len;
        }
        off += e->size + 4;
    }
    frames_reserve(0, 0x100000); /* BIOS data, the real-mode IVT, option ROMs */
    frames_reserve((uint32_t)mon_phys_start, (uint32_t)mon_phys_end);
    frames_reserve((uint32_t)VA2PA(mbi), (uint32_t)VA2PA(mbi) + sizeof(*mbi));
    frames_reserve(mbi->mmap_addr, (uint64_t)mbi->mmap_addr + mbi->mmap_length);
    if (mbi->flags & MBI_MODS) {
        const struct multiboot_module *m = mb_ptr(mbi->mods_addr, mbi->mods_count * sizeof(*m));
        frames_reserve(mbi->mods_addr, (uint64_t)mbi->mods_addr + mbi->mods_count * sizeof(*m));
        for (uint32_t i = 0; i < mbi->mods_count; i++) {
            frames_reserve(m[i].mod_start, m[i].mod_end);
            if (m[i].string)
                frames_reserve(m[i].string, (uint64_t)m[i].string + RV_CMDLINE_MAX + 64);
        }
    }
    if (mbi->flags & MBI_CMDLINE)
        frames_reserve(mbi->cmdline, (uint64_t)mbi->cmdline + 4096);
    return top >= (1ull << 32) ? FRAME_MAX : (uint32_t)(top >> 12);
}

static int overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return a < b + blen && b < a + alen;
}

/* Does [pa, pa + 4 KiB) hold anything of the loader's that the monitor still reads? */
static int mb_uses(const struct multiboot_info *mbi, uint32_t pa)
{
    if (overlaps(pa, 4096, VA2PA(mbi), sizeof(*mbi)) || overlaps(pa, 4096, mbi->mmap_addr, mbi->mmap_length))
        return 1;
    if ((mbi->flags & MBI_CMDLINE) && overlaps(pa, 4096, mbi->cmdline, 4096))
        return 1;
    if (!(mbi->flags & MBI_MODS))
        return 0;
    const struct multiboot_module *m = mb_ptr(mbi->mods_addr, mbi->mods_count * sizeof(*m));
    if (overlaps(pa, 4096, mbi->mods_addr, mbi->mods_count * sizeof(*m)))
        return 1;
    for (uint32_t i = 0; i < mbi->mods_count; i++)
        if (overlaps(pa, 4096, m[i].mod_start, m[i].mod_end - m[i].mod_start) ||
            (m[i].string && overlaps(pa, 4096, m[i].string, RV_CMDLINE_MAX + 64)))
            return 1;
    return 0;
}

static int mb_is_ram(const struct multiboot_info *mbi, uint32_t pa)
{
    for (uint32_t off = 0; off + sizeof(struct multiboot_mmap) <= mbi->mmap_length;) {
        const struct multiboot_mmap *e = mb_ptr(mbi->mmap_addr + off, sizeof(*e));
        if (e->type == 1 && e->addr <= pa && pa + 4096 <= e->addr + e->len)
            return 1;
        off += e->size + 4;
    }
    return 0;
}

/*
 * The page an AP starts in (smp.c): real mode reaches only the first MiB,
 * which memory_init keeps from the frame allocator, so no domain is ever
 * given it.  The first RAM page from 0x7000 down, then from 0x10000 up,
 * that holds none of the loader's data (QEMU puts its Multiboot
 * information at 0x9000, GRUB from 0x10000); 0 if there is none.
 */
static uint32_t trampoline_page(const struct multiboot_info *mbi)
{
    for (uint32_t pa = 0x7000; pa >= 0x1000; pa -= 0x1000)
        if (mb_is_ram(mbi, pa) && !mb_uses(mbi, pa))
            return pa;
    for (uint32_t pa = 0x10000; pa < 0x9f000; pa += 0x1000)
        if (mb_is_ram(mbi, pa) && !mb_uses(mbi, pa))
            return pa;
    return 0;
}

void kmain(uint32_t magic, uint32_t mbi_pa)
{
    tsc_at_entry = rdtsc();
    serial_init();
    kprintf("\n");
    mlog("ringvisor monitor, ABI %u.%u, hole at 0x%08x\n", RV_ABI_MAJOR, RV_ABI_MINOR, RV_HOLE_START);
    if (magic != MULTIBOOT_BOOTLOADER_MAGIC)
        panic("not started by a Multiboot loader (magic 0x%x)", magic);
    const struct multiboot_info *mbi = mb_ptr(mbi_pa, sizeof(*mbi));
    monline_parse((mbi->flags & MBI_CMDLINE) ? mb_ptr(mbi->cmdline, 1) : "", &monline);
    outcome_set_autoexit(monline.autoexit);
    sched_quantum_ns = monline.quantum_ms * 1000000ull;
    sched_ratelimit_ns = monline.ratelimit_us * 1000ull;
    console_set_mode(monline.console_lines ? CONSOLE_LINES : CONSOLE_TERMINAL);
    uint32_t max_mfn = memory_init(mbi);
    paging_init();
    mm_init(max_mfn);
    gdt_init();
    idt_init();
    time_init();
    timer_device_init();
    irq_init(strcmp(timer_device_name(), "PIT") == 0);
    cpu_init();
    smp_init(!monline.no_acpi, monline.apic_extra, trampoline_page(mbi));
    mlog("memory: %u MiB free for domains and the monitor\n", frames_free_count() / 256);

    uint32_t nmods = (mbi->flags & MBI_MODS) ? mbi->mods_count : 0;
    const struct multiboot_module *m = nmods ? mb_ptr(mbi->mods_addr, nmods * sizeof(*m)) : 0;
    if (nmods == 0) {
        mlog("no guest modules given: nothing to run\n");
        outcome_nothing();
    }
    boot_modules = m;
    nr_boot_modules = nmods;
    for (uint32_t i = 0; i < nmods;)
        i += (uint32_t)domain_build((int)i);
    mlog("memory: %u MiB free after building domains\n", frames_free_count() / 256);
    sched_start();
}
