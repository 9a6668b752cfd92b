/*
 * monitor/smp.c: the monitor on every CPU.  The boot CPU (BSP) finds the
 * others (cpufind.c), starts each application processor (AP) with the
 * INIT-SIPI-SIPI sequence through its local APIC (SDM Vol. 3A 8.4.4.1), and
 * every AP then takes the same processor state as the BSP (its own GDT,
 * TSS and #DF task from gdt.c, the one IDT, cpu.c's registers, its local
 * APIC masked) and parks.  At this stage APs run no guest: every domain
 * still runs on the BSP, so the monitor behaves as on one CPU.
 *
 * Start-up, one AP at a time (8.4.4.1, "universal start-up algorithm"):
 *   INIT IPI, wait 10 ms; STARTUP IPI with the trampoline's page number,
 *   wait 200 us; a second STARTUP IPI (an AP that already runs ignores
 *   it, 8.4.4.1 note); then wait up to AP_TIMEOUT_MS for the AP to set
 *   its online word.  An AP that does not is reported and never used.
 *
 * The trampoline page: real mode needs code below 1 MiB; main.c keeps the
 * whole first MiB out of the frame allocator (frames_reserve(0, 1 MiB)),
 * so no domain can ever be given the page, and picks one the memory map
 * calls RAM that holds none of the loader's data (trampoline_page).  What
 * was there (nothing the monitor uses) is overwritten.
 */
#include "smp.h"
#include "console.h"
#include "cpu.h"
#include "gdt.h"
#include "idt.h"
#include "layout.h"
#include "lock.h"
#include "paging.h"
#include "rvlib.h"
#include "time.h"
#include "x86.h"

#define AP_TIMEOUT_MS 200

/* Local APIC registers (SDM Vol. 3A Table 10-1) and ICR fields (10.6.1). */
#define APIC_ID 0x20
#define APIC_ICR_LO 0x300
#define APIC_ICR_HI 0x310
#define ICR_INIT 0x00000500u
#define ICR_STARTUP 0x00000600u
#define ICR_ASSERT 0x00004000u
#define ICR_BUSY 0x00001000u    /* delivery status: send pending */

struct cpu cpus[CPU_MAX];
uint32_t cpus_online = 1;
uint8_t cpu_stacks[CPU_MAX][CPU_STACK_SIZE] __attribute__((aligned(16)));

/* The AP's first address space: the monitor's (boot_pdpt's) plus an
 * identity-mapped first 2 MiB for trampoline.asm's switch to paging.
 * PAE PDPTEs carry only P (SDM Vol. 3A 4.4.1); CR3 needs 32-byte alignment. */
pte_t ap_pdpt[4] __attribute__((aligned(32)));
static pte_t ap_low_l2[512] __attribute__((aligned(4096)));

extern char ap_tramp16[], ap_tramp16_end[];
extern uint32_t ap_boot_esp;
static uint32_t tramp_page;     /* physical; the STARTUP IPI's vector is its page number */

static void delay_us(uint64_t us)
{
    uint64_t end = now_ns() + us * 1000;
    while (now_ns() < end)
        cpu_relax();
}

static int ipi(uint32_t apic_id, uint32_t lo)
{
    lapic_write(APIC_ICR_HI, apic_id << 24);
    lapic_write(APIC_ICR_LO, lo);
    for (int i = 0; i < 1000; i++) {
        if (!(lapic_read(APIC_ICR_LO) & ICR_BUSY))
            return 0;
        delay_us(10);
    }
    return -1;
}

static uint32_t my_apic_id(void)
{
    return lapic_read(APIC_ID) >> 24;
}

/* Runs on the AP, on its own stack, still in ap_pdpt. */
__attribute__((noreturn)) void ap_main(void)
{
    struct cpu *c = this_cpu();
    gdt_init_cpu(c->gdt, &c->tss, &c->df_tss, c->df_stack, sizeof(c->df_stack));
    write_cr3(idle_cr3); /* the monitor's own CR3: no identity map any more */
    idt_load();
    cpu_init_ap(c->index);
    timer_device_init_ap();
    struct dtr g;
    __asm__ volatile("sgdt %0" : "=m"(g));
    c->gdt_base = g.base;  /* what the CPU uses, for the boot log */
    c->apic_id = my_apic_id();
    __asm__ volatile("" ::: "memory");
    c->online = 1;
    /* Parked: IF = 0, so only NMI, SMI or INIT end a HLT (SDM Vol. 3A
     * 8.4.4.1, 6.8.1); the loop puts it back.  The next stage gives APs a
     * scheduler loop and an IPI vector instead. */
    for (;;)
        hlt();
}

static void trampoline_setup(void)
{
    uint32_t len = (uint32_t)(ap_tramp16_end - ap_tramp16);
    if (len > 4096)
        panic("smp: trampoline is %u bytes, more than a page", len);
    memcpy(PA2VA(tramp_page), PA2VA(ap_tramp16), len); /* .boot is linked at its physical address */
    ap_low_l2[0] = PG_PS | PG_RW | PG_P;
    ap_pdpt[0] = VA2PA(ap_low_l2) | PG_P;
    for (int i = 1; i < 4; i++)
        ap_pdpt[i] = boot_pdpt[i];
}

/* INIT-SIPI-SIPI to one AP; 0 once it says it is up, else why not. */
static const char *start_ap(struct cpu *c)
{
    ap_boot_esp = (uint32_t)cpu_stacks[c->index] + CPU_STACK_SIZE;
    if (ipi(c->apic_id, ICR_INIT | ICR_ASSERT) < 0)
        return "INIT IPI not accepted by the local APIC";
    delay_us(10000);
    for (int sipi = 0; sipi < 2; sipi++) {
        if (ipi(c->apic_id, ICR_STARTUP | (tramp_page >> 12)) < 0)
            return "STARTUP IPI not accepted by the local APIC";
        delay_us(200);
    }
    uint64_t end = now_ns() + AP_TIMEOUT_MS * 1000000ull;
    while (!c->online)
        if (now_ns() > end) {
            /* INIT again: a slow AP goes back to waiting for a SIPI
             * (SDM Vol. 3A 8.4.1) instead of starting later on a stack
             * ap_boot_esp by then gives the next AP. */
            ipi(c->apic_id, ICR_INIT | ICR_ASSERT);
            return "no answer to INIT-SIPI-SIPI within 200 ms";
        }
    return 0;
}

static void list_cpus(const uint8_t *ids, int n, const char *source)
{
    char line[CPU_MAX * 2 * 4 + 8]; /* up to CPU_MAX * 2 ids of up to 3 digits */
    uint32_t k = 0;
    for (int i = 0; i < n; i++)
        k += (uint32_t)rv_snprintf(line + k, sizeof(line) - k, " %u", ids[i]);
    line[k] = 0;
    mlog("smp: %d CPU%s in the %s, APIC ids%s\n", n, n == 1 ? "" : "s", source, line);
}

void smp_init(int use_acpi, int extra_apic, uint32_t tramp_pa)
{
    uint8_t ids[CPU_MAX * 2];
    const char *source;
    cpus[0].apic_id = my_apic_id();
    cpus[0].online = 1;
    if (!lapic_present()) {
        mlog("smp: no local APIC: one CPU\n");
        return;
    }
    int n = cpus_discover(ids, CPU_MAX * 2, use_acpi, &source);
    if (n == 0) {
        mlog("smp: no ACPI MADT and no MP table: one CPU\n");
        return;
    }
    list_cpus(ids, n, source);
    if (extra_apic >= 0 && n < CPU_MAX * 2) {
        mlog("smp: apic-extra=%d: one more APIC id to try\n", extra_apic);
        ids[n++] = (uint8_t)extra_apic;
    }
    if (n > 1 && !tramp_pa) {
        mlog("smp: no free RAM page below 1 MiB for the AP start-up code: one CPU\n");
        return;
    }
    tramp_page = tramp_pa;
    if (n > 1)
        trampoline_setup();
    uint32_t next = 1;
    for (int i = 0; i < n; i++) {
        if (ids[i] == cpus[0].apic_id) {
            mlog("smp: cpu 0 apic %u: the boot CPU\n", ids[i]);
            continue;
        }
        if (next == CPU_MAX) {
            mlog("smp: apic %u: not started: more than %u CPUs\n", ids[i], CPU_MAX);
            continue;
        }
        struct cpu *c = &cpus[next];
        c->index = next;
        c->apic_id = ids[i];
        const char *why = start_ap(c);
        next++; /* even on failure: a late AP would still use this slot's stack */
        if (why) {
            mlog("smp: apic %u: not started: %s\n", ids[i], why);
            continue;
        }
        mlog("smp: cpu %u apic %u: started, parked (gdt 0x%08x tss 0x%08x)\n", c->index, c->apic_id,
             c->gdt_base, (uint32_t)&c->tss);
        cpus_online++;
    }
    mlog("smp: %u of %d CPUs online (guests run on cpu 0)\n", cpus_online, n);
}
