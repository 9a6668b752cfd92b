; SPDX-License-Identifier: MIT
;
; libpvguest/evtentry.asm: the event callback, where the monitor enters
; the guest to deliver events (set_callbacks, pv-abi/event.h).
;
; The monitor enters it exactly like an exception handler without an
; error code (SDM Vol. 3A 6.12.1 frame: from ring 1 EFLAGS, CS, EIP on the
; current stack; from ring 3 also SS, ESP on the stack_switch stack), with
; events masked.  We build the same struct rv_trap_frame the trap stubs
; build (traps.asm: a dummy error code, a vector number, PUSHAD, the data
; selectors, a CR2 slot), call rv_evtchn_do_upcall(frame) in events.c, and
; leave through traps.asm's exit path, which reloads every register from
; the frame and returns with the iret hypercall: the frame's EFLAGS.IF (1,
; or the monitor would not have entered us) turns the virtual IF back on.
; If another event arrived meanwhile the monitor enters us again at once.

%include "asm-offsets.inc"

global rv_evtchn_callback
extern rv_evtchn_do_upcall, rv_trap_return

section .text

    align 16
rv_evtchn_callback:
    push dword 0                ; error code: none
    push dword RV_EVTCHN_VECTOR ; "vector": marks an event frame
    pushad
    xor eax, eax                ; selectors zero-extended (SDM Vol. 2B PUSH)
    mov ax, ds
    push eax
    mov ax, es
    push eax
    mov ax, fs
    push eax
    mov ax, gs
    push eax
    mov ax, RV_FLAT_RING1_DS    ; ring 3 may have been interrupted
    mov ds, ax
    mov es, ax
    push dword 0                ; cr2: not a page fault
    mov eax, esp
    push eax
    cld                         ; the C ABI wants DF = 0
    call rv_evtchn_do_upcall
    add esp, 4
    jmp rv_trap_return

section .note.GNU-stack noalloc noexec nowrite progbits
