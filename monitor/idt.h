/* monitor/idt.h: the one IDT, and the direct trap gates of the running domain. */
#ifndef MON_IDT_H
#define MON_IDT_H
#include <stdint.h>
struct domain;
void idt_init(void);
void idt_load(void);                       /* LIDT of the one IDT (each CPU) */
int idt_vector_direct_ok(unsigned vector); /* may a guest own this vector outright? */
void idt_domain_changed(struct domain *d); /* d's trap table changed: recompute its direct vectors */
void idt_load_domain(struct domain *d);    /* install d's direct gates */
void idt_unload_domain(struct domain *d);  /* back to the monitor's gates */
#endif
