/* SPDX-License-Identifier: MIT */
/*
 * pvguest/hcall.h: calling the monitor.
 *
 * Every hypercall goes through rv_hypercall(), which calls the stub for
 * its number in the hypercall page the monitor filled before we started
 * (pv-abi/hypercall.h).  rv_hypercall_int82() is the raw path, int $0x82
 * with the number in EAX, for tests that must not depend on the page.
 * The typed wrappers below are one line each; their argument order is the
 * ABI's.  Results: >= 0 success, -RV_E* failure.
 */
#ifndef PVGUEST_HCALL_H
#define PVGUEST_HCALL_H

#include <stdint.h>
#include <ringvisor.h>

/* Filled by the monitor (RV_FEAT_HYPERCALL_PAGE); 0xCC (int3) until then. */
extern char rv_hypercall_page[RV_PAGE_SIZE];
#define RV_HYPERCALL_PAGE_SLOTS (RV_PAGE_SIZE / RV_HYPERCALL_STUB_SIZE)

/* Numbers >= RV_HYPERCALL_PAGE_SLOTS have no stub: they go through int $0x82. */
long rv_hypercall(unsigned nr, unsigned long a1, unsigned long a2,
                  unsigned long a3, unsigned long a4, unsigned long a5);
long rv_hypercall_int82(unsigned nr, unsigned long a1, unsigned long a2,
                        unsigned long a3, unsigned long a4, unsigned long a5);

/* Derived from RV_HYPERCALLS: "console_io" etc., NULL for an unknown number. */
const char *rv_hypercall_name(unsigned nr);
/* Its argument count, -1 for an unknown number. */
int rv_hypercall_nargs(unsigned nr);
/* A result's name for messages: "0", "-EINVAL", "-E?(-99)"... (a static buffer for unknown codes). */
const char *rv_errname(long result);

long rv_hc_version(unsigned cmd, unsigned long arg);
long rv_hc_console_io(unsigned cmd, unsigned count, const void *buf);
long rv_hc_sched_op(unsigned cmd, unsigned long arg1, unsigned long arg2);
long rv_hc_set_trap_table(const struct rv_trap_info *table, unsigned count);
long rv_hc_stack_switch(unsigned ss, unsigned long esp);
long rv_hc_update_descriptor(unsigned index, uint32_t low, uint32_t high);
long rv_hc_set_gdt(const struct rv_descriptor *table, unsigned count);
long rv_hc_fpu_taskswitch(int set);
long rv_hc_multicall(struct rv_multicall_entry *calls, unsigned count);
long rv_hc_vcpu_op(unsigned cmd, void *arg);
/* done: NULL, or where the monitor writes how many requests succeeded. */
long rv_hc_mmu_update(const struct rv_mmu_update *reqs, unsigned count, uint32_t *done);
long rv_hc_mmuext_op(const struct rv_mmuext_op *ops, unsigned count, uint32_t *done);
long rv_hc_update_va_mapping(unsigned long va, uint64_t val, unsigned flags);
long rv_hc_memory_op(unsigned cmd, void *arg);
/* Events and time (pvguest/events.h, pvguest/time.h build on these). */
long rv_hc_event_channel_op(unsigned cmd, void *arg);   /* SEND/CLOSE/UNMASK: arg = port */
long rv_hc_set_callbacks(unsigned cs, unsigned long address);
long rv_hc_set_timer_op(uint64_t deadline_ns);         /* as two halves, low first */
/* The control plane (pv-abi/domctl.h; -RV_EPERM unless a control domain). */
long rv_hc_domctl(unsigned cmd, unsigned dom, unsigned long arg1, unsigned long arg2);
/* iret has no wrapper: it is the last step of the trap exit path (traps.asm). */

#endif
