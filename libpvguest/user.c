/* SPDX-License-Identifier: MIT */
/*
 * libpvguest/user.c: the way down to ring 3 and the stack for coming back.
 */
#include <pvguest.h>

long rv_stack_switch_to(void *kernel_stack_top)
{
    return rv_hc_stack_switch(RV_FLAT_RING1_DS, (unsigned long)kernel_stack_top);
}

/*
 * A native IRET from ring 1 to ring 3 is allowed (SDM Vol. 2A IRET,
 * "return to outer privilege level"): it pops EIP, CS, EFLAGS, ESP, SS.
 * EFLAGS comes from PUSHF so the real IF stays 1 (the virtual IF is the
 * shared page's business; at CPL 1 IRET could not change IF anyway).
 * DS and ES get the ring-3 selector first: IRET would zero any data
 * segment register whose DPL is below the new CPL.
 */
void rv_enter_user(void (*fn)(void), void *user_stack_top)
{
    uint32_t *sp = user_stack_top;

    *--sp = 0; /* a return from fn goes to address 0 */
    /* Inputs in registers, not memory: the pushes move ESP under them. */
    __asm__ volatile(
        "pushfl\n\t"
        "popl %%ecx\n\t"
        "andl %[keep], %%ecx\n\t"   /* IF and the always-one bit 1 */
        "pushl %[ds3]\n\t"          /* SS */
        "pushl %[sp]\n\t"           /* ESP */
        "pushl %%ecx\n\t"           /* EFLAGS */
        "pushl %[cs3]\n\t"          /* CS */
        "pushl %[fn]\n\t"           /* EIP */
        "movl %[ds3], %%eax\n\t"
        "movw %%ax, %%ds\n\t"
        "movw %%ax, %%es\n\t"
        "xorl %%eax, %%eax\n\t"
        "movw %%ax, %%fs\n\t"
        "movw %%ax, %%gs\n\t"
        /* The inputs are on the stack now: leave ring 3 nothing of ours. */
        "xorl %%ebx, %%ebx\n\t"
        "xorl %%ecx, %%ecx\n\t"
        "xorl %%edx, %%edx\n\t"
        "xorl %%esi, %%esi\n\t"
        "xorl %%edi, %%edi\n\t"
        "xorl %%ebp, %%ebp\n\t"
        "iret"
        :
        : [keep] "i"(0x202), [ds3] "i"(RV_FLAT_RING3_DS), [cs3] "i"(RV_FLAT_RING3_CS),
          [sp] "r"(sp), [fn] "r"(fn)
        : "eax", "ecx", "memory");
    __builtin_unreachable();
}
