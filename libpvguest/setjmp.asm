; SPDX-License-Identifier: MIT
;
; libpvguest/setjmp.asm: rv_setjmp / rv_longjmp (pvguest/setjmp.h).
;
; Only the registers the i386 System V ABI makes callee-saved (EBX, ESI,
; EDI, EBP, ESP) and the return address need keeping: everything else a
; caller of rv_setjmp already expects to lose.  rv_longjmp_regs is the
; register-argument entry the trap exit path uses (rv_trap_longjmp).

%include "asm-offsets.inc"

global rv_setjmp, rv_longjmp, rv_longjmp_regs

section .text

; int rv_setjmp(rv_jmp_buf jb)
rv_setjmp:
    mov eax, [esp + 4]
    mov [eax + JB_EBX], ebx
    mov [eax + JB_ESI], esi
    mov [eax + JB_EDI], edi
    mov [eax + JB_EBP], ebp
    lea ecx, [esp + 4]          ; ESP as it will be after our RET
    mov [eax + JB_ESP], ecx
    mov ecx, [esp]              ; the return address
    mov [eax + JB_EIP], ecx
    xor eax, eax
    ret

; void rv_longjmp(rv_jmp_buf jb, int val)
rv_longjmp:
    mov eax, [esp + 4]
    mov edx, [esp + 8]
; EAX = jb, EDX = val
rv_longjmp_regs:
    test edx, edx
    jnz .nonzero
    inc edx                     ; rv_setjmp must not seem to return 0 twice
.nonzero:
    mov ebx, [eax + JB_EBX]
    mov esi, [eax + JB_ESI]
    mov edi, [eax + JB_EDI]
    mov ebp, [eax + JB_EBP]
    mov esp, [eax + JB_ESP]
    mov ecx, [eax + JB_EIP]
    mov eax, edx
    jmp ecx

section .note.GNU-stack noalloc noexec nowrite progbits
