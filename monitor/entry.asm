; monitor/entry.asm: every way into and out of the monitor.
;
; All 256 IDT vectors land in a stub that makes the stack look the same:
; the CPU's frame (EIP, CS, EFLAGS and, from ring 1 or 3, ESP and SS: SDM
; Vol. 3A 6.12.1), an error code (a dummy where the CPU pushes none), the
; vector, the general registers and the data segment registers: struct
; trap_frame in trap.h.  Every gate is an interrupt gate, so the monitor
; always runs with IF = 0 and is never preempted.
;
; The way out reloads the guest's segment registers and IRETs.  Those loads
; and the IRET check descriptors the guest controls, so they may fault in
; ring 0; the exception table (ex_table) sends such faults to fixups here
; instead of to a monitor panic.

MON_DS equ 0x808                ; layout.h GDT_MON_DS_IDX << 3

%macro EX_ENTRY 2               ; faulting instruction, fixup
    section .ex_table
    dd %1, %2
    section .text
%endmacro

section .text
bits 32

extern trap_dispatch
extern exit_path_bad_frame

; ---- the 256 entry stubs -------------------------------------------------
%macro STUB 1
vec_%1:
%if (%1 = 8) || (%1 >= 10 && %1 <= 14) || (%1 = 17) || (%1 = 21) || (%1 = 29) || (%1 = 30)
    push dword %1               ; the CPU pushed an error code
%else
    push dword 0                ; dummy error code
    push dword %1
%endif
    jmp trap_common
%endmacro

%assign i 0
%rep 256
    STUB i
%assign i i+1
%endrep

; Either way the stack now holds [vector][error code] under the CPU frame.

global stub_table
section .rodata
align 4
stub_table:
%assign i 0
%rep 256
    dd vec_ %+ i
%assign i i+1
%endrep
section .text

; ---- the hypercall entry ----------------------------------------------------
; int 0x82 from ring 1 (its gate has DPL 1: SDM Vol. 3A 6.12.1.1), the
; monitor's most frequent entry.
;
; The fast path first: version(RV_VERSION_ABI), the null hypercall (and
; what a guest makes to have a pending event delivered, pv-abi/event.h),
; is answered here without building a frame or loading a segment
; register.  The gate switched to the monitor's SS (from the TSS, SDM Vol.
; 3A 7.2.1), a flat ring-0 segment, so SS overrides reach the monitor's
; data while DS still holds the guest's selector, whose limit stops below
; the hole.  It counts the hypercall as hypercall_entry_c would and leaves
; to the full path anything that has more to do on the way out: an event
; to deliver (pending, virtual IF on) or a reschedule owed.  IRET restores
; the guest's EFLAGS, so the flags the tests change do not leak.
;
; The full path builds the same trap_frame as every other entry but leaves
; FS and GS as the guest loaded them: the monitor never addresses memory
; through them, and every segment-register load is a descriptor fetch and
; check (SDM Vol. 3A 3.4.3), the dearest part of a round trip after the
; privilege changes themselves.  DS and ES must be the monitor's (C uses
; both, string instructions ES:EDI).  On the way out FS and GS are
; reloaded only when hypercall_entry_c says they may be stale: the monitor
; ran another domain meanwhile (whose exit loaded its own), changed a GDT
; entry (whose cached copy the CPU keeps until a reload, SDM Vol. 3A
; 3.4.3) or the frame now holds other selectors.
%include "asm_offsets.inc"

global hypercall_entry
extern hypercall_entry_c
extern current
extern need_resched
hypercall_entry:
    cmp eax, HC_VERSION
    jne .full
    cmp ebx, VERSION_ABI
    jne .full
    cmp dword [ss:need_resched], 0
    jne .full
    push edx
    mov edx, [ss:current]
    mov eax, [ss:edx + DOM_SHARED]
    cmp byte [ss:eax + VI_PENDING], 0
    jne .pending
.answer:
    inc dword [ss:edx + DOM_HYPERCALLS]
    inc dword [ss:edx + DOM_HC_COUNT + 4 * HC_VERSION]
    pop edx
    mov eax, ABI_VERSION
    iretd
.pending:                       ; delivered now unless the virtual IF is off
    cmp byte [ss:eax + VI_MASK], 0
    jne .answer
    pop edx
    mov eax, HC_VERSION
.full:
    push dword 0                ; dummy error code
    push dword 0x82             ; RV_HYPERCALL_VECTOR
    pushad
    push ds
    push es
    push fs
    push gs
    mov bp, MON_DS              ; EBP carries no argument, and is in the frame
    mov ds, bp
    mov es, bp
    cld
    push edi                    ; a[4] .. a[0]: the arguments, for the handler
    push esi
    push edx
    push ecx
    push ebx
    mov edx, esp                ; regparm(3): EAX = number, EDX = a,
    lea ecx, [esp + 20]         ; ECX = struct trap_frame *
    call hypercall_entry_c
    add esp, 20
    test eax, eax
    jnz trap_return             ; reload all four
    add esp, 8                  ; FS and GS are still the guest's
    jmp trap_return.es

; ---- common entry ----------------------------------------------------------
trap_common:
    pushad
    push ds
    push es
    push fs
    push gs
    mov ax, MON_DS              ; the guest's segments stop below the hole
    mov ds, ax
    mov es, ax
    xor eax, eax                ; FS and GS null while in the monitor: a fault
    mov fs, ax                  ; in the exit path must not find the guest's
    mov gs, ax                  ; unusable selector again and recurse
    cld
    push esp                    ; struct trap_frame *
    call trap_dispatch
    add esp, 4

; ---- the way out -------------------------------------------------------------
global trap_return
trap_return:
.gs: pop gs
.fs: pop fs
.es: pop es
.ds: pop ds
    popad
    add esp, 8                  ; vector, error code
.iret:
    iretd

; A segment register load faulted (the guest changed or removed the
; descriptor): the CPU left ESP at the saved selector.  Load the null
; selector instead, as IRET itself does for data segments that are no
; longer valid (SDM Vol. 2A IRET, "RETURN-TO-OUTER-PRIVILEGE-LEVEL").
.fix_gs: mov dword [esp], 0
    jmp .gs
.fix_fs: mov dword [esp], 0
    jmp .fs
.fix_es: mov dword [esp], 0
    jmp .es
.fix_ds: mov dword [esp], 0
    jmp .ds
; The IRET itself faulted: the guest's CS, SS, EIP or ESP is unusable.
; ESP points at the EIP of the frame; hand the whole frame to C, which
; kills the domain and never returns.
.fix_iret:
    mov ax, MON_DS              ; DS and ES are the guest's by now, and their
    mov ds, ax                  ; limits stop below the hole
    mov es, ax
    sub esp, 12*4 + 8           ; back to the start of struct trap_frame
    push esp
    call exit_path_bad_frame
    ud2

    EX_ENTRY trap_return.gs, trap_return.fix_gs
    EX_ENTRY trap_return.fs, trap_return.fix_fs
    EX_ENTRY trap_return.es, trap_return.fix_es
    EX_ENTRY trap_return.ds, trap_return.fix_ds
    EX_ENTRY trap_return.iret, trap_return.fix_iret

; ---- context switch between monitor stacks -----------------------------
; void swtch(struct context **save, struct context *load)
; Saves the callee-saved registers on this stack, stores the stack pointer
; in *save, and resumes the stack 'load' (xv6's swtch).
global swtch
extern fsgs_stale
swtch:
    mov dword [fsgs_stale], 1   ; another domain's exit will load its FS/GS
    mov eax, [esp + 4]
    mov edx, [esp + 8]
    push ebp
    push ebx
    push esi
    push edi
    mov [eax], esp
    mov esp, edx
    pop edi
    pop esi
    pop ebx
    pop ebp
    ret

; ---- guest memory access -------------------------------------------------
; int guest_copy_raw(void *dst, const void *src, uint32_t n)
; Returns 0, or -14 (RV_EFAULT) if either side faulted.  Callers have
; already checked that the guest side lies below the hole; the fault this
; catches is a page that is not present or, with CR0.WP set, read-only.
global guest_copy_raw
guest_copy_raw:
    push esi
    push edi
    mov edi, [esp + 12]
    mov esi, [esp + 16]
    mov ecx, [esp + 20]
    shr ecx, 2                  ; dwords first: under instruction-counting
.copy:                          ; emulation each repetition is an instruction
    rep movsd
    mov ecx, [esp + 20]
    and ecx, 3
.copy_tail:
    rep movsb
    xor eax, eax
.out:
    pop edi
    pop esi
    ret
.fault:
    mov eax, -14
    jmp .out
    EX_ENTRY guest_copy_raw.copy, guest_copy_raw.fault
    EX_ENTRY guest_copy_raw.copy_tail, guest_copy_raw.fault

; ---- MSR writes the CPU may refuse -----------------------------------------
; int wrmsr_safe(uint32_t msr, uint64_t value)
; Returns 0, or -1 if WRMSR raised #GP (an MSR this CPU or emulator does not
; have, or a reserved bit: SDM Vol. 2B WRMSR).  For the start-of-day MSRs
; whose presence CPUID does not promise (monitor/cpu.c).
global wrmsr_safe
wrmsr_safe:
    mov ecx, [esp + 4]
    mov eax, [esp + 8]
    mov edx, [esp + 12]
.wr:
    wrmsr
    xor eax, eax
    ret
.fault:
    mov eax, -1
    ret
    EX_ENTRY wrmsr_safe.wr, wrmsr_safe.fault

; ---- segment reload after LGDT ---------------------------------------------
global reload_segments
reload_segments:
    mov ax, MON_DS
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor ax, ax
    mov fs, ax
    mov gs, ax
    jmp 0x800:.cs               ; MON_CS
.cs:
    ret
