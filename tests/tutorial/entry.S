/* SPDX-License-Identifier: MIT */
/*
 * tests/tutorial/entry.S: the assembly half of the porting tutorial's
 * guest (docs/porting-tutorial.md).  It owns what C cannot say: the
 * hypercall page, the entry point, and the three ways into the kernel
 * (a trap, an event, a system call), each returning the way ABI.md says.
 * Only pv-abi/abi.h is included (it holds #defines only).
 */
#include "abi.h"

#define HC_IRET 8  /* RV_HC_iret (pv-abi/hypercall.h is C): tutorial.c asserts it */

    .section .hcpage, "ax"
    .balign 4096
    .globl hcpage
hcpage:                      /* the monitor fills this with 32-byte stubs */
    .fill 4096, 1, 0xcc

    .text
    .globl _start
_start:                      /* ring 1, paging on, ESI = start_info */
    mov $stack_top, %esp
    push %esi
    call tutorial_main
1:  jmp 1b

/* #UD in ring 1: the monitor pushed EFLAGS, CS, EIP (no error code). */
    .globl ud_entry
ud_entry:
    pusha
    pushl 32(%esp)           /* the faulting EIP */
    call on_trap
    add $4, %esp
    popa
    addl $2, (%esp)          /* resume after the 2-byte ud2 */
    iret                     /* ring 1 to ring 1: the virtual IF is unchanged */

/* The event callback: entered with events masked, frame EIP CS EFLAGS. */
    .globl event_entry
event_entry:
    pusha
    call on_event
    popa
    jmp hcpage + HC_IRET * RV_HYPERCALL_STUB_SIZE  /* the frame's IF (1) unmasks */

/* int $0x80 from ring 3 through a direct gate: the CPU switched to the
 * stack_switch stack and pushed SS, ESP, EFLAGS, CS, EIP.  DS and ES
 * still hold ring 3's selectors. */
    .globl syscall_entry
syscall_entry:
    pusha
    mov $RV_FLAT_RING1_DS, %bx
    mov %bx, %ds
    mov %bx, %es
    push %esp                /* the saved registers */
    call on_syscall
    add $4, %esp
    mov $RV_FLAT_RING3_DS, %bx
    mov %bx, %ds
    mov %bx, %es
    popa
    iret                     /* ring 1 to ring 3: allowed natively */

/* enter_user(eip, esp): DS and ES must hold ring-3 selectors *before* the
 * IRET, or the CPU nulls them on the way out (SDM Vol. 3A 6.14.1, IRET)
 * and the first data access in ring 3 faults: on Bochs, not on TCG. */
    .globl enter_user
enter_user:
    mov 4(%esp), %ecx
    mov 8(%esp), %edx
    mov $RV_FLAT_RING3_DS, %ax
    mov %ax, %ds
    mov %ax, %es
    push $RV_FLAT_RING3_DS   /* SS */
    push %edx                /* ESP */
    push $0x202              /* EFLAGS: IF (the real one, always 1), IOPL 0 */
    push $RV_FLAT_RING3_CS   /* CS */
    push %ecx                /* EIP */
    iret

/* The ring-3 task: two system calls, write then exit.  It reads its
 * message's address through DS, which is what a null DS would fault on. */
    .globl user_task
user_task:
    mov $1, %eax
    mov user_msg_ptr, %ebx
    int $0x80
    mov $2, %eax
    xor %ebx, %ebx
    int $0x80
2:  jmp 2b

    .section .rodata
user_msg_ptr:
    .long user_msg
user_msg:
    .asciz "step 5: ring 3 says hello through int $0x80\n"

    .bss
    .balign 16
    .space 8192
stack_top:
    .globl kstack_top, ustack_top
    .space 4096
kstack_top:
    .space 4096
ustack_top:

    .section .note.GNU-stack, "", @progbits
