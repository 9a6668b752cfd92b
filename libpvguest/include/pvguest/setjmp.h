/* SPDX-License-Identifier: MIT */
/*
 * pvguest/setjmp.h: a non-local goto for ring-1 code.  Tests use it to
 * resume after an expected fault; the demo kernel to come back from its
 * ring-3 task when the task exits.
 */
#ifndef PVGUEST_SETJMP_H
#define PVGUEST_SETJMP_H

#include <stdint.h>

/* The callee-saved registers (i386 System V ABI) and where to go back. */
struct rv_jmp_state {
    uint32_t ebx, esi, edi, ebp, esp, eip;
};
typedef struct rv_jmp_state rv_jmp_buf[1];

/* Returns 0 when called, and val (never 0) when rv_longjmp comes back. */
int rv_setjmp(rv_jmp_buf jb) __attribute__((returns_twice));
_Noreturn void rv_longjmp(rv_jmp_buf jb, int val);

#endif
