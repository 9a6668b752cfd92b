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

/* The x87/SSE state a new domain starts with (FNINIT, then FXSAVE). */
extern uint8_t fpu_init_state[512];

#endif
