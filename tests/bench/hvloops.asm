; SPDX-License-Identifier: MIT
;
; tests/bench/hvloops.asm: the timed loops of hvbench, and the two bare
; handlers they enter.
;
; Each loop is `uint64_t bench_loop_NAME(uint32_t n)`: it reads the TSC,
; runs its body n times (n >= 1), reads the TSC again and returns the
; difference in EDX:EAX (cdecl).  Written in assembly so that a body is
; exactly the instructions named here and nothing the compiler chose:
; under `-icount shift=0` the TSC counts instructions, so these figures
; are instruction counts of the path, loop included.  bench_loop_empty is
; the loop alone (DEC + JNZ), which the C side subtracts.
;
; RDTSC is not serialising (SDM Vol. 2B RDTSC): on hardware a few
; instructions may overlap either end; over n iterations that is noise.
; It does not trap in ring 1 or ring 3 (CR4.TSD clear, ABI "Sensitive
; instructions"), so ring-3 loops time themselves.
;
; The handlers:
;   bench_iret_native    IRETD at once: a handler that returns with the
;                        CPU's own IRET (ring 1 -> ring 1, or to ring 3:
;                        SDM Vol. 2A IRET), no monitor work.  Used for the
;                        direct gate (int 0x80) and for bounced vectors.
;   bench_iret_hypercall returns through the iret stub of the hypercall
;                        page (push eax; mov eax, 8; int 0x82): what a
;                        handler must do to restore the virtual IF.

%include "asm-offsets.inc"

extern rv_hypercall_page

global bench_iret_native, bench_iret_hypercall

section .text

; ---- handlers -----------------------------------------------------------------

    align 16
bench_iret_native:
    iretd

    align 16
bench_iret_hypercall:
    jmp rv_hypercall_page + RV_HC_IRET * RV_HYPERCALL_STUB_SIZE

; ---- markers ------------------------------------------------------------------------
;
; Called just before and just after each timed loop.  They do nothing; each
; is a translation block of its own, so tests/bench/tbprof.py can find the
; timed windows in a QEMU execution trace.

global bench_mark_begin, bench_mark_end

    align 16
bench_mark_begin:
    ret

    align 16
bench_mark_end:
    ret

; ---- loops ----------------------------------------------------------------------

; LOOP name, body...: defines bench_loop_<name>.  EBX, ESI, EDI and EBP are
; callee-saved (i386 System V); the bodies may clobber EAX, ECX and EDX,
; and EBX (restored here).
%macro LOOP 1-*
global bench_loop_%1
    align 16
bench_loop_%1:
    push ebx
    push esi
    push edi
    push ebp
    mov esi, [esp + 20]         ; n
    rdtsc
    mov edi, eax
    mov ebp, edx
    align 16
.again:
%rep %0 - 1
%rotate 1
    %1
%endrep
    dec esi
    jnz .again
    rdtsc
    sub eax, edi
    sbb edx, ebp
    pop ebp
    pop edi
    pop esi
    pop ebx
    ret
%endmacro

; The loop alone.
LOOP empty

; A software interrupt through a real trap gate and a native IRET: the
; honest int/iret reference.  From ring 3 the gate switches to the
; stack_switch stack (SDM Vol. 3A 6.12.1); from ring 1 it stays on the
; current stack.  Vector 0x80 must be registered as a direct vector.
LOOP int80, {int 0x80}

; int 0x81: registered so that it is NOT direct (events masked on entry):
; the real gate is the monitor's, which bounces it to the guest's handler.
LOOP int81, {int 0x81}

; int3 from ring 1: #BP into the monitor, bounced to the guest's handler.
LOOP int3, {int3}

; version(RV_VERSION_ABI) through the hypercall page: the stub is
; mov eax, 0; int 0x82; ret.  EBX = cmd 0.
LOOP hcpage, {xor ebx, ebx}, {call rv_hypercall_page}

; Reloading DS with the selector it holds: what one segment-register load
; costs (a descriptor-table read and checks, SDM Vol. 3A 3.4.3).  The
; monitor's entry and exit paths make eight of them per trap.
LOOP segload, {mov eax, ds}, {mov ds, eax}

; version(RV_VERSION_ABI) with int 0x82 directly.
LOOP int82, {xor eax, eax}, {xor ebx, ebx}, {int 0x82}

section .note.GNU-stack noalloc noexec nowrite progbits
