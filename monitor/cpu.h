/*
 * monitor/cpu.h: the CPU state every guest runs with (cpu.c; ABI.md "CPU
 * state at guest entry").
 */
#ifndef MON_CPU_H
#define MON_CPU_H

#include <stdint.h>

/* Sets CR0, CR4, EFLAGS, the debug registers and the MSRs guests can reach;
 * checks A20 and the LDTR; logs the result.  After gdt_init and idt_init. */
void cpu_init(void);
/* The same state on an AP (smp.c), after its gdt_init_cpu and LIDT. */
void cpu_init_ap(uint32_t index);

/* The x87/SSE state a new domain starts with (FNINIT, then FXSAVE). */
extern uint8_t fpu_init_state[512];

#endif
