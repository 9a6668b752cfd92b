/*
 * monitor/cpu.c: the processor state every guest runs with, set in one
 * place ("CPU state at guest entry" in ABI.md is the same list).
 *
 * The monitor inherits a CPU from firmware and a boot loader that promise
 * little: Multiboot (0.6.96 section 3.2) guarantees protected mode, paging
 * off, A20 on and flat segments, nothing more.  Whatever the monitor
 * leaves as it found it is state a guest may be able to use.  The LDTR is
 * the lesson: QEMU's loader leaves it with selector 0 but the hidden part
 * of real mode (base 0, limit 0xffff), so TI = 1 selectors resolved at
 * linear 0, which any guest can map; a descriptor or call gate written
 * there took a ring-1 guest over the hole and into ring 0.  So every
 * register a guest can reach, directly or through an instruction that
 * consults it, is written here, once, at boot (and on every CPU, once
 * there are several: smp.c calls cpu_init_ap on each AP).  Owned
 * elsewhere, and set there just as explicitly:
 *   paging.c  CR3, CR4.PGE;
 *   gdt.c     GDTR, TR (no I/O bitmap), LDTR (null);
 *   idt.c     IDTR: all 256 vectors point at the monitor's stubs;
 *   irq.c     the 8259s (remapped, masked) and the I/O APIC (masked);
 *   timer.c   the local APIC (LVTs the monitor does not use masked).
 * cpu_init runs after those and reads back what they set, so the boot log
 * line shows the state a guest starts with.
 */
#include "cpu.h"
#include "console.h"
#include "layout.h"
#include "rvlib.h"
#include "x86.h"

uint8_t fpu_init_state[512] __attribute__((aligned(16)));

/* CPUID bits (SDM Vol. 2A CPUID, Tables 3-8 to 3-11). */
#define ID1_EDX_MCE (1u << 7)
#define ID1_EDX_SEP (1u << 11)
#define ID1_EDX_PAT (1u << 16)
#define ID1_EDX_FXSR (1u << 24)
#define ID7_ECX_UMIP (1u << 2)
#define IDX_EDX_SYSCALL (1u << 11)
#define IDX_EDX_NX (1u << 20)
#define IDX_EDX_RDTSCP (1u << 27)
#define IDX_EDX_LM (1u << 29)

#define PAT_POWER_ON 0x0007040600070406ull /* WB WT UC- UC, twice (SDM Vol. 3A 11.12.4) */
#define DR6_RESET 0xffff0ff0u              /* SDM Vol. 3B 17.2.3 */
#define DR7_RESET 0x00000400u              /* no breakpoint enabled, GD clear */

static struct {
    uint32_t id1_edx, id7_ecx, idx_edx;
} feat;

static void read_features(void)
{
    uint32_t a, b, c, d, max;
    cpuid(0, &max, &b, &c, &d);
    cpuid(1, &a, &b, &c, &feat.id1_edx);
    if (max >= 7)
        cpuid(7, &a, &b, &feat.id7_ecx, &d);
    cpuid(0x80000000u, &max, &b, &c, &d);
    if (max >= 0x80000001u)
        cpuid(0x80000001u, &a, &b, &c, &feat.idx_edx);
}

/*
 * A20 must be on (Multiboot promises it): with it off, bit 20 of every
 * physical address reads as 0 and odd megabytes alias even ones.  Checked
 * on two words 1 MiB apart in the direct map; port 0x92 ("fast A20") is the
 * one way to open it the monitor tries.
 */
static int a20_aliased(void)
{
    volatile uint32_t *lo = PA2VA(0x200000), *hi = PA2VA(0x300000);
    uint32_t save_lo = *lo, save_hi = *hi, alias;
    *lo = 0x5a20a520u;
    *hi = ~0x5a20a520u;
    alias = *lo != 0x5a20a520u;
    *hi = save_hi;
    *lo = save_lo;
    return alias;
}

static void a20_check(void)
{
    if (!a20_aliased())
        return;
    mlog("cpu: A20 is off; opening it through port 0x92\n");
    outb(0x92, (inb(0x92) | 0x02) & ~0x01u);
    if (a20_aliased())
        panic("A20 is off and port 0x92 does not open it");
}

/*
 * CR0 (SDM Vol. 3A 2.5): protected mode with paging; WP, so ring 0 and
 * ring 1 honour read-only pages (the validated page tables rest on it); NE
 * and MP, x87 errors as #MF; EM and TS clear (fpu_taskswitch sets TS for a
 * guest); AM clear: EFLAGS.AC checks nothing; CD and NW clear: normal
 * caching.  CR4: PAE and PGE (paging.c); DE, so DR4/DR5 are #UD; MCE where
 * the CPU has it, so a machine check is an exception the monitor reports;
 * OSFXSR/OSXMMEXCPT for FXSAVE and SSE (the x87 and MXCSR state every
 * domain starts with is the reset one); UMIP where the CPU has it, so
 * SGDT, SIDT, SLDT, STR and SMSW fault outside ring 0 (they would show a
 * guest the monitor's tables).  Clear on purpose: VME and PVI (CLI/STI in
 * ring 3 must fault, not change a virtual flag), TSD (RDTSC is how guests
 * read time), PCE (RDPMC would read the counters of every domain), OSXSAVE
 * (the monitor saves only the FXSAVE state: AVX registers, which it would
 * not switch, stay unusable), SMEP/SMAP (ring 1 is a supervisor ring that
 * must reach user pages; SMAP's STAC/CLAC are ring 0 only).
 */
static void set_control_registers(int keep_fpu_image)
{
    if (!(feat.id1_edx & ID1_EDX_FXSR))
        panic("this CPU has no FXSAVE/FXRSTOR");
    write_cr0(CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG);
    uint32_t cr4 = CR4_PAE | CR4_PGE | CR4_DE | CR4_OSFXSR | CR4_OSXMMEXCPT;
    if (feat.id1_edx & ID1_EDX_MCE)
        cr4 |= CR4_MCE;
    if (feat.id7_ecx & ID7_ECX_UMIP)
        cr4 |= CR4_UMIP;
    write_cr4(cr4);
    /* FNINIT resets the x87 part only; MXCSR keeps what the firmware left
     * unless loaded: the power-on value, every SIMD exception masked. */
    static const uint32_t mxcsr_reset = 0x1f80; /* SDM Vol. 1 10.2.3 */
    __asm__ volatile("fninit; ldmxcsr %0" ::"m"(mxcsr_reset));
    if (keep_fpu_image)
        __asm__ volatile("fxsave %0" : "=m"(fpu_init_state));
}

/* No breakpoint armed, none a guest could inherit (SDM Vol. 3B 17.2); guests cannot reach them. */
static void set_debug_registers(void)
{
    write_dr7(DR7_RESET);
    write_dr0(0);
    write_dr1(0);
    write_dr2(0);
    write_dr3(0);
    write_dr6(DR6_RESET);
}

static int have_efer(void)
{
    return (feat.idx_edx & (IDX_EDX_SYSCALL | IDX_EDX_NX | IDX_EDX_LM)) != 0;
}

/*
 * The MSRs an instruction a guest can execute consults.
 *   SYSENTER_CS = 0: SYSENTER from any ring raises #GP(0) (SDM Vol. 2B
 *     SYSENTER); ESP and EIP zeroed too, nothing to enter.
 *   EFER = 0 (where it exists): SCE clear, so SYSCALL and SYSRET are #UD;
 *     NXE clear, so bit 63 of a page-table entry is reserved (the
 *     validator refuses it anyway); STAR zeroed where SYSCALL exists.
 *   PAT: the power-on value, so PCD/PWT in a guest's entries mean what
 *     SDM Vol. 3A Table 11-11 says; the PAT bit itself is refused.
 *   TSC_AUX = 0 where RDTSCP exists: what RDTSCP shows every guest.
 *   DEBUGCTL = 0: no branch tracing, BTF off (TF means single-step).
 * EFER and DEBUGCTL are written with wrmsr_safe: CPUID does not promise
 * them on every CPU and emulator.
 */
static void set_msrs(void)
{
    if (feat.id1_edx & ID1_EDX_SEP) {
        wrmsr_safe(MSR_SYSENTER_CS, 0);
        wrmsr_safe(MSR_SYSENTER_ESP, 0);
        wrmsr_safe(MSR_SYSENTER_EIP, 0);
    }
    if (have_efer())
        wrmsr_safe(MSR_EFER, 0);
    if (feat.idx_edx & IDX_EDX_SYSCALL)
        wrmsr_safe(MSR_STAR, 0);
    if (feat.id1_edx & ID1_EDX_PAT)
        wrmsr_safe(MSR_PAT, PAT_POWER_ON);
    if (feat.idx_edx & IDX_EDX_RDTSCP)
        wrmsr_safe(MSR_TSC_AUX, 0);
    wrmsr_safe(MSR_DEBUGCTL, 0);
}

/*
 * The state of the CPU this runs on; the same on every CPU, so a guest
 * finds the same machine wherever it is scheduled.  The boot CPU also
 * keeps the x87/SSE reset image (fpu_init_state) every domain starts with.
 */
static void cpu_set_state(uint32_t index)
{
    read_features();
    write_eflags(EFL_RSVD1); /* IF, IOPL, NT, AC, DF, TF all 0 (SDM Vol. 1 3.4.3) */
    set_control_registers(index == 0);
    set_debug_registers();
    set_msrs();
    if (sldt() != 0)
        panic("cpu %u: LDTR is 0x%x, not null", index, sldt());
    uint32_t sysenter_cs = (feat.id1_edx & ID1_EDX_SEP) ? (uint32_t)rdmsr(MSR_SYSENTER_CS) : 0;
    uint32_t efer = have_efer() ? (uint32_t)rdmsr(MSR_EFER) : 0;
    mlog("cpu: cr0 0x%08x cr4 0x%08x ldtr 0x%x tr 0x%x dr7 0x%x sysenter_cs 0x%x efer 0x%x umip %s cpu %u\n",
         read_cr0(), read_cr4(), sldt(), str(), read_dr7(), sysenter_cs, efer,
         (read_cr4() & CR4_UMIP) ? "on" : "absent", index);
}

void cpu_init(void)
{
    a20_check(); /* A20M# is one signal for the whole machine: checked once */
    cpu_set_state(0);
}

void cpu_init_ap(uint32_t index)
{
    cpu_set_state(index);
}
