; SPDX-License-Identifier: MIT
;
; libpvguest/traps.asm: the way into and out of every trap handler.
;
; Way in.  The monitor bounces an exception (or the CPU takes a real trap
; gate, see rv_syscall_set) exactly as an interrupt into ring 1 (SDM Vol.
; 3A 6.12.1): from ring 3 on the ring-1 stack given by stack_switch with
; SS, ESP, EFLAGS, CS, EIP; from ring 1 on the current stack with EFLAGS,
; CS, EIP; then the error code for the vectors that have one (SDM Vol. 3A
; 6.13, table 6-1: 8, 10-14, 17, 21).  One stub per vector pushes a dummy
; error code where the CPU pushes none, then the vector, so every frame has
; the same shape; the common path saves the rest into struct rv_trap_frame
; (pvguest/traps.h) and calls rv_trap_dispatch(frame).
;
; Way out.  Reload every register from the frame, leaving EIP, CS, EFLAGS
; [, ESP, SS] on the stack, and jump to the iret stub of the hypercall page,
; which pushes EAX and enters the monitor: the iret hypercall's frame
; (pv-abi/hypercall.h).  The monitor returns, not a native IRET, because
; the virtual IF must come back from EFLAGS.IF in the same step (IRET at
; CPL 1 with IOPL 0 never changes IF: SDM Vol. 2A IRET).
;
; Nothing here uses memory but the stack, so the path is reentrant: a
; handler may fault, and a system call may be interrupted.

%include "asm-offsets.inc"

global rv_trap_entry, rv_trap_return
extern rv_trap_dispatch, rv_shared_info, rv_hypercall_page

PF_VECTOR equ 14

%define HAS_ERROR_CODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21)

section .text

; The 256 stubs: vector_0 .. vector_255.
%assign v 0
%rep 256
    align 8
vector_%[v]:
%if !HAS_ERROR_CODE(v)
    push dword 0                ; no error code from the CPU: a dummy
%endif
    push dword v
    jmp trap_common
%assign v v + 1
%endrep

global rv_trap_common
rv_trap_common:
trap_common:
    pushad                      ; EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI
    xor eax, eax                ; selectors zero-extended: a PUSH of a
    mov ax, ds                  ; segment register may leave the upper
    push eax                    ; half of its slot unwritten (SDM Vol. 2B PUSH)
    mov ax, es
    push eax
    mov ax, fs
    push eax
    mov ax, gs
    push eax

    ; The interrupted code's DS and ES may be ring 3's or anything at all;
    ; the handler runs with the flat ring-1 ones.
    mov ax, RV_FLAT_RING1_DS
    mov ds, ax
    mov es, ax

    ; #PF: take the faulting address before any C code can fault again.
    xor eax, eax
    cmp dword [esp + TF_VECTOR - TF_GS], PF_VECTOR
    jne .no_cr2
    mov eax, [rv_shared_info]
    mov eax, [eax + SH_CR2]
.no_cr2:
    push eax                    ; the frame is complete: ESP = its address

    mov eax, esp
    push eax
    cld                         ; the C ABI wants DF = 0
    call rv_trap_dispatch
    add esp, 4

rv_trap_return:
    add esp, 4                  ; cr2
    pop eax
    mov gs, ax
    pop eax
    mov fs, ax
    pop eax
    mov es, ax
    pop eax
    mov ds, ax
    popad                       ; skips the saved ESP
    add esp, 8                  ; vector and error code
    jmp rv_hypercall_page + RV_HC_IRET * RV_HYPERCALL_STUB_SIZE

section .rodata
    align 4
rv_trap_entry:
%assign v 0
%rep 256
    dd vector_%[v]
%assign v v + 1
%endrep

section .note.GNU-stack noalloc noexec nowrite progbits
