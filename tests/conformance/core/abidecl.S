/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/core/abidecl.S: the declared ABI version changes one
 * thing (ABI.md "Versions"): whether a hypercall page named without
 * RV_FEAT_HYPERCALL_PAGE is filled.  Built once per case with
 * -DDECL_VERSION, -DDECL_FEATURES, -DDECL_PAGE (0: none) and -DEXPECT_FILLED;
 * the guest looks at the first byte of its page (a filled stub starts
 * with mov eax, imm32: 0xb8; unfilled it is 0xcc) and exits 0 when that is
 * what it expected, 1 otherwise.  Only int $0x82 is used: the page may be
 * empty.  Standalone (pv-abi/abi.h only), like the porting tutorial.
 */
#include "abi.h"

#define HC_CONSOLE_IO 1
#define HC_SCHED_OP 2

    .section .note.ringvisor, "a"
    .balign 4
    .long 10, 20, 1                 /* namesz, descsz, RV_ELFNOTE_GUEST_INFO */
    .ascii "Ringvisor\0\0\0"
    .long DECL_VERSION, _start
#if DECL_PAGE
    .long hcpage
#else
    .long 0
#endif
    .long DECL_FEATURES, 0

    .section .hcpage, "ax"
    .balign 4096
hcpage:
    .fill 4096, 1, 0xcc

    .text
    .globl _start
_start:
    movzbl hcpage, %eax
    cmp $0xb8, %al
    sete %al
    cmp $EXPECT_FILLED, %eax
    jne bad
    mov $ok_len, %ecx
    mov $ok_msg, %edx
    xor %edi, %edi
    jmp out
bad:
    mov $bad_len, %ecx
    mov $bad_msg, %edx
    mov $1, %edi
out:
    mov $HC_CONSOLE_IO, %eax        /* console_io(RV_CONSOLE_WRITE, count, buffer) */
    xor %ebx, %ebx
    int $0x82
    mov $HC_SCHED_OP, %eax
    mov $2, %ebx                    /* RV_SCHED_SHUTDOWN */
    xor %ecx, %ecx                  /* RV_SHUTDOWN_POWEROFF */
    mov %edi, %edx                  /* the exit code */
    int $0x82
1:  jmp 1b

    .section .rodata
ok_msg:
    .ascii "RESULT: SUCCESS hypercall page filled as the declared version says\n"
    ok_len = . - ok_msg
bad_msg:
    .ascii "RESULT: FAILURE hypercall page not as the declared version says\n"
    bad_len = . - bad_msg

    .section .note.GNU-stack, "", @progbits
