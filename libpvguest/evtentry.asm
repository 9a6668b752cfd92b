; SPDX-License-Identifier: MIT
;
; libpvguest/evtentry.asm: the event callback, where the monitor enters
; the guest to deliver events (set_callbacks, pv-abi/event.h).
;
; The monitor enters it exactly like an exception handler without an
; error code (SDM Vol. 3A 6.12.1 frame: from ring 1 EFLAGS, CS, EIP on the
; current stack; from ring 3 also SS, ESP on the stack_switch stack), with
; events masked.  We push a dummy error code and a vector number that
; marks an event and go through traps.asm's common path, which builds the
; same struct rv_trap_frame as for a trap, calls rv_trap_dispatch (which
; hands event frames to rv_evtchn_do_upcall in events.c), and leaves
; through the exit path, which reloads every register from
; the frame and returns with the iret hypercall: the frame's EFLAGS.IF (1,
; or the monitor would not have entered us) turns the virtual IF back on.
; If another event arrived meanwhile the monitor enters us again at once.

%include "asm-offsets.inc"

global rv_evtchn_callback
extern rv_trap_common

section .text

    align 16
rv_evtchn_callback:
    push dword 0                ; error code: none
    push dword RV_EVTCHN_VECTOR ; "vector": marks an event frame for rv_trap_dispatch
    jmp rv_trap_common

section .note.GNU-stack noalloc noexec nowrite progbits
