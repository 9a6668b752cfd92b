/*
 * monitor/smp.h: the processors of the machine, as the monitor knows them
 * (cpufind.c finds them, smp.c starts them), and the per-CPU data.
 *
 * How a CPU finds its struct cpu (this_cpu): by its stack.  Each AP runs
 * the monitor on its own CPU_STACK_SIZE stack in cpu_stacks[]; an ESP in
 * that array names the AP, anything else is the boot CPU (cpu 0), which
 * at this stage is the only one that runs the monitor on a domain's kstack.
 * It costs a subtraction and a compare: no MMIO read of the local APIC ID,
 * no segment register the guest owns (FS/GS are the guest's inside the
 * monitor), no CPUID.  When guests run on APs, each domain kstack must say
 * which CPU it is on (a word written at switch-in by gdt_load, at the base
 * of a KSTACK_SIZE-aligned kstack), and this_cpu() reads that instead.
 */
#ifndef MON_SMP_H
#define MON_SMP_H

#include <stdint.h>
#include "gdt.h"
#include "layout.h"

#define CPU_MAX 16             /* processors the monitor starts (the rest are listed, not started) */
#define CPU_STACK_SIZE 16384u  /* an AP's monitor stack */

struct cpu {
    uint32_t index;             /* 0 = the boot CPU, then in discovery order */
    uint32_t apic_id;           /* local APIC id (MADT / MP table) */
    volatile uint32_t online;   /* set by the AP itself once its state is set */
    uint32_t gdt_base;          /* its GDTR base, as the AP read it back (SGDT) */
    struct tss tss __attribute__((aligned(128)));    /* ESP0, SS1:ESP1 of what runs here */
    struct tss df_tss __attribute__((aligned(128))); /* the #DF task (gdt.c) */
    uint8_t df_stack[4096] __attribute__((aligned(16)));
    uint64_t gdt[GDT_ENTRIES] __attribute__((aligned(4096))); /* idle GDT: monitor entries only */
};

extern struct cpu cpus[CPU_MAX];
extern uint32_t cpus_online;    /* CPUs running the monitor (1 until smp_init) */
extern uint8_t cpu_stacks[CPU_MAX][CPU_STACK_SIZE];

static inline struct cpu *this_cpu(void)
{
    uint32_t esp;
    __asm__ volatile("mov %%esp, %0" : "=r"(esp));
    uint32_t off = esp - (uint32_t)cpu_stacks;
    return off < sizeof(cpu_stacks) ? &cpus[off / CPU_STACK_SIZE] : &cpus[0];
}

/* cpufind.c: local APIC ids of the usable processors, boot CPU included,
 * from the ACPI MADT (unless !use_acpi) or else the MP table; returns how
 * many (0: neither table found; *source names the table). */
int cpus_discover(uint8_t *ids, int max, int use_acpi, const char **source);

/* smp.c: find the processors and start every AP (after cpu_init, before
 * any domain is built); each parks once started.  extra_apic >= 0: one
 * more APIC id to try (the monitor's apic-extra=, a test of the path of
 * an AP that does not answer).  tramp_pa: a free RAM page below 1 MiB
 * (main.c), 0 if none. */
void smp_init(int use_acpi, int extra_apic, uint32_t tramp_pa);

#endif
