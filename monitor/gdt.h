/*
 * monitor/gdt.h: the GDT (one per domain: the guest's entries plus the
 * monitor's), the TSS, and the guest-descriptor hypercalls.
 */
#ifndef MON_GDT_H
#define MON_GDT_H

#include <stdint.h>

struct domain;

struct tss {
    uint32_t link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
    uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
    uint32_t es, cs, ss, ds, fs, gs, ldt;
    uint16_t trap, iomap_base;
} __attribute__((packed));

extern struct tss cpu_tss;

void gdt_init(void);
/* One CPU's idle GDT, TSS and #DF task, loaded (GDTR, TR, LDTR null). */
void gdt_init_cpu(uint64_t *gdt, struct tss *tss, struct tss *df, uint8_t *df_stk, uint32_t df_size);
void gdt_domain_init(struct domain *d);    /* fill a new domain's GDT */
void gdt_load(struct domain *d);            /* on switching to d: LGDT, TSS stacks */
void gdt_load_idle(void);
/* Is sel a ring-1 code (want_code) or writable ring-1 data selector of d? */
void gdt_set_entry(struct domain *d, uint32_t idx, uint64_t e);
int gdt_ring1_selector_ok(struct domain *d, uint32_t sel, int want_code);

#endif
