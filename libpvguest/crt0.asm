; SPDX-License-Identifier: MIT
;
; libpvguest/crt0.asm: how a guest image begins.
;
; It owns the three things the monitor looks for in the image: the
; ringvisor ELF note (pv-abi/elfnote.h) naming the entry point and the
; hypercall page, the hypercall page itself, and _start.  guest.ld puts the
; note in a PT_NOTE segment and the page on a 4 KiB boundary in the
; executable segment.  Numbers come from pv-abi through asm-offsets.inc.

%include "asm-offsets.inc"

BOOT_STACK_SIZE equ 16384

global _start, rv_hypercall_page, rv_start_info, rv_shared_info
extern guest_main, rv_shutdown

; The note: namesz, descsz, type, the name padded to 4 bytes, then
; struct rv_elfnote_guest_info.
section .note.ringvisor note alloc noexec nowrite align=4
    dd 10                       ; namesz: "Ringvisor" and its NUL
    dd RV_ELFNOTE_DESC_SIZE
    dd RV_ELFNOTE_GUEST_INFO
    db "Ringvisor", 0, 0, 0
    dd RV_ABI_VERSION           ; abi_version
    dd _start                   ; entry
    dd rv_hypercall_page        ; hypercall_page
    dd RV_FEAT_HYPERCALL_PAGE   ; features
    dd 0                        ; min_mem_kb: any

; The monitor writes one 32-byte stub per hypercall here before entry.
; Until then every byte is int3, so a call through an unfilled page traps
; at once instead of running into whatever follows.
section .hypercall_page progbits alloc exec nowrite align=4096
rv_hypercall_page:
    times RV_PAGE_SIZE db 0xcc

; Start of day (pv-abi/start_info.h): ring 1, flat segments, paging on,
; %esi = the start_info page, events masked.  The monitor zeroed .bss.
section .text.entry progbits alloc exec nowrite align=16
_start:
    cld
    mov esp, boot_stack_top     ; our own stack: the boot stack's size is not ours to know
    xor ebp, ebp                ; ends the frame-pointer chain for debuggers
    mov [rv_start_info], esi
    mov eax, [esi + SI_SHARED_INFO]
    mov [rv_shared_info], eax
    call guest_main
    push eax                    ; its return value is the exit code
    call rv_shutdown            ; flushes the console; never returns
.hang:
    jmp .hang

section .bss nobits alloc noexec write align=16
rv_start_info:  resd 1
rv_shared_info: resd 1
    alignb 16
boot_stack:     resb BOOT_STACK_SIZE
boot_stack_top:

section .note.GNU-stack noalloc noexec nowrite progbits
