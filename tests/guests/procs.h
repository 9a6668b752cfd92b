/* SPDX-License-Identifier: MIT */
/*
 * tests/guests/procs.h: what the procs kernel (procs.c) and its ring-3
 * program (procs_user.c) agree on: where the per-process page is, what it
 * holds, and the system calls.  The program itself is linked at
 * 0x10000000 (libpvguest/build.mk) and says so in its rv_user_header.
 */
#ifndef PROCS_H
#define PROCS_H

#include <stddef.h>
#include <stdint.h>

#define USER_DATA_VA 0x10100000u   /* one private page per process */
#define USER_STACK_TOP 0x20000000u /* one private stack page below this */
#define USER_LIMIT USER_STACK_TOP  /* the kernel reads user strings only below it */

/* int 0x80: eax = number, ebx, ecx = arguments, eax = result. */
#define SYSCALL_VECTOR 0x80
#define SYS_WRITE 1 /* ebx = string, ecx = length: prints one line */
#define SYS_YIELD 2 /* lets the other process run */
#define SYS_EXIT 3  /* ebx = exit code */

/* The page at USER_DATA_VA: the kernel fills it, the process changes counter. */
struct proc_page {
    char name[8];
    uint32_t counter;   /* "VA X": the same address in every process */
    uint32_t step;      /* what the process adds to it each round */
    uint32_t rounds;
    uint32_t kernel_va; /* a kernel address the process finally tries to read */
};
#define USER_COUNTER_VA (USER_DATA_VA + offsetof(struct proc_page, counter))

void user_start(void);

#endif
