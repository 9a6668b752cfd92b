/*
 * monitor/time.h: system time (ns since boot, from the TSC) and the one
 * hardware timer the monitor programs for its next deadline.
 */
#ifndef MON_TIME_H
#define MON_TIME_H
#include <stdint.h>

struct domain;

void time_init(void);            /* calibrate the TSC, read the wall clock */
uint64_t now_ns(void);
uint64_t tsc_to_ns(uint64_t delta);
extern uint32_t tsc_khz;
/* The TSC when kmain() began: QEMU starts the TSC at 0 at reset, so this is
 * the firmware's and the loader's share of a boot (boot-time figures of
 * make bench, which subtract it from the guest's TSC at init). */
extern uint64_t tsc_at_entry;
void time_publish(struct domain *d);  /* refresh d's vcpu_info.time and wall clock */

/* The timer device: one interrupt at (or soon after) deadline ns, or none (0). */
void timer_device_init(void);
void timer_device_program(uint64_t deadline);
void timer_device_program_at(uint64_t deadline, uint64_t now); /* now: now_ns() just taken */
const char *timer_device_name(void);
void timer_device_ack(void);
/* An AP's local APIC: enabled, all LVTs masked (smp.c). */
void timer_device_init_ap(void);
/* The local APIC's registers (SDM Vol. 3A Table 10-1), for smp.c. */
int lapic_present(void);
uint32_t lapic_read(uint32_t reg);
void lapic_write(uint32_t reg, uint32_t v);
#define VEC_TIMER 0xf0           /* local APIC timer */
#define VEC_SPURIOUS 0xff        /* local APIC spurious vector */
#endif
