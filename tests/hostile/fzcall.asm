; SPDX-License-Identifier: MIT
;
; tests/hostile/fzcall.asm: one hypercall with every register accounted for.
;
; ABI.md "Calling convention" promises that int 0x82 changes only EAX: the
; other general registers, the segment registers and the flags come back as
; they went in.  C cannot state that (the compiler owns the registers), so
; the fuzzer issues its calls through this stub, which loads all of them
; from a struct, including EFLAGS with DF and AC as the fuzzer chose (the
; monitor's C code must not inherit a guest's DF: it clears it on entry,
; SDM Vol. 1 3.4.3.2), and stores all of them after the trap returns.
;
; void fz_call(const struct fz_regs *in, struct fz_regs *out);
; struct fz_regs { eax, ebx, ecx, edx, esi, edi, ebp, eflags, ds, es, fs, gs, esp_moved }

bits 32
section .bss
fz_out: resd 1
fz_esp: resd 1

section .text
global fz_call
fz_call:
    push ebp
    push ebx
    push esi
    push edi
    mov edx, [esp + 24]
    mov [fz_out], edx
    mov eax, [esp + 20]
    mov [fz_esp], esp
    push dword [eax + 28]
    popfd                       ; ring 1, IOPL 0: IF and IOPL are left alone
    mov ebx, [eax + 4]
    mov ecx, [eax + 8]
    mov edx, [eax + 12]
    mov esi, [eax + 16]
    mov edi, [eax + 20]
    mov ebp, [eax + 24]
    mov eax, [eax + 0]
    int 0x82
    pushfd                      ; the flags first: nothing below may change them
    push eax
    mov eax, [fz_out]
    pop dword [eax + 0]
    pop dword [eax + 28]
    mov [eax + 4], ebx
    mov [eax + 8], ecx
    mov [eax + 12], edx
    mov [eax + 16], esi
    mov [eax + 20], edi
    mov [eax + 24], ebp
    xor ecx, ecx
    mov cx, ds
    mov [eax + 32], ecx
    mov cx, es
    mov [eax + 36], ecx
    mov cx, fs
    mov [eax + 40], ecx
    mov cx, gs
    mov [eax + 44], ecx
    mov ecx, esp
    sub ecx, [fz_esp]
    mov [eax + 48], ecx
    mov esp, [fz_esp]
    cld
    pop edi
    pop esi
    pop ebx
    pop ebp
    ret
