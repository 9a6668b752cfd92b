/* SPDX-License-Identifier: MIT */
/*
 * pvguest/user.h: running code in ring 3.
 */
#ifndef PVGUEST_USER_H
#define PVGUEST_USER_H

#include <stdint.h>

/*
 * The ring-1 stack the monitor (or the CPU, through a real trap gate)
 * switches to when ring 3 is interrupted: stack_switch(RV_FLAT_RING1_DS,
 * top).  Returns the hypercall's result.
 */
long rv_stack_switch_to(void *kernel_stack_top);

/*
 * Enters fn in ring 3 with ESP = user_stack_top, CS = RV_FLAT_RING3_CS,
 * SS = DS = ES = RV_FLAT_RING3_DS, FS = GS = 0, and the general registers
 * zeroed.  Never returns: fn must leave through a system call (a return
 * from fn jumps to address 0).  The start-of-day mappings are
 * user-accessible, so fn and its stack may live anywhere in the image.
 */
_Noreturn void rv_enter_user(void (*fn)(void), void *user_stack_top);

/*
 * The first bytes of a ring-3 program built with rv_user_blob
 * (libpvguest/build.mk, libpvguest/user.ld): a flat binary of code and
 * read-only data the kernel copies into pages and maps at base in a
 * process's address space.
 */
struct rv_user_header {
    uint32_t base;     /* VA it is linked at (page aligned): map byte 0 there */
    uint32_t entry;    /* its first instruction, void user_start(void) */
    uint32_t size;     /* bytes, this header included */
    uint32_t reserved;
};

/* The selector in CS now; (rv_read_cs() & 3) is the ring we run in. */
static inline unsigned rv_read_cs(void)
{
    unsigned cs;
    __asm__ volatile("mov %%cs, %0" : "=r"(cs));
    return cs & 0xffff;
}

#endif
