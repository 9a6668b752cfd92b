/*
 * monitor/segfix.h: 4 GiB data segments cut at the hole, flipped between
 * their expand-up and expand-down views on #GP (segfix.c).
 */
#ifndef MON_SEGFIX_H
#define MON_SEGFIX_H

#include <stdint.h>

struct domain;
struct trap_frame;

/* Per domain: the last flip, to tell a restarted instruction that faults again. */
struct segfix_state {
    uint32_t cs, eip, esp, sel;
    uint32_t gpr[7];            /* EDI ESI EBP EBX EDX ECX EAX at the flip */
    uint64_t desc;              /* the view that flip installed */
    uint32_t count;             /* flips so far (the profile line's segfix=) */
};

/* On #GP(0) from the guest: 1 = a view was flipped, restart the instruction; 0 = not ours. */
int segfix_gp(struct domain *d, struct trap_frame *f);
/* GDT entry idx was written (gdt_set_entry): whatever view segfix put there is gone. */
void segfix_forget(struct domain *d, uint32_t idx);

#endif
