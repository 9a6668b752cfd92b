; monitor/trampoline.asm: where an application processor starts.
;
; A STARTUP IPI with vector VV starts the AP in real mode at CS = VV00,
; IP = 0, i.e. physical VV000 (SDM Vol. 3A 8.4.4.1, 10.6.1): a page below
; 1 MiB.  smp.c copies ap_tramp16 .. ap_tramp16_end there (the one part
; that must run from low memory); it is position independent, addressing
; its own data through CS.  From there:
;   real mode -> LGDT a flat GDT (ap_gdt, in .boot at its physical
;   address) -> CR0.PE -> far jump to ap_pm32 (32-bit, paging off, in .boot
;   so it runs at its physical address, like boot.asm's _start) -> CR4.PAE,
;   CR3 = ap_pdpt (the monitor's PDPT plus an identity map of the first
;   2 MiB so this code survives CR0.PG, smp.c builds it) -> CR0.PG|WP ->
;   jump to ap_high in the hole -> the AP's own stack -> ap_main() in C,
;   which loads the AP's own GDT, TSS, IDT and the monitor's CR3.
; The BSP starts one AP at a time (smp.c), so one stack pointer word
; (ap_boot_esp) passes the AP its stack.

VOFF equ 0xFC000000

section .boot progbits alloc exec
bits 16
global ap_tramp16, ap_tramp16_end
ap_tramp16:
    cli
    cld
    mov ax, cs
    mov ds, ax
    o32 lgdt [ap_gdtr - ap_tramp16]
    mov eax, cr0
    or eax, 1                   ; CR0.PE
    mov cr0, eax
    jmp dword 0x08:ap_pm32      ; a far jump loads CS from the new GDT (SDM Vol. 3A 9.9.1)
align 4
ap_gdtr:
    dw ap_gdt_end - ap_gdt - 1
    dd ap_gdt                   ; .boot runs at its physical address: this is one
ap_tramp16_end:

align 8
ap_gdt:
    dq 0
    dq 0x00cf9b000000ffff       ; 0x08: flat 32-bit code, ring 0
    dq 0x00cf93000000ffff       ; 0x10: flat data, ring 0
ap_gdt_end:

bits 32
extern ap_pdpt, ap_main
ap_pm32:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor ax, ax
    mov fs, ax
    mov gs, ax
    mov eax, cr4
    or eax, 0x20                ; CR4.PAE
    mov cr4, eax
    mov eax, ap_pdpt - VOFF
    mov cr3, eax
    mov eax, cr0
    or eax, 0x80010000          ; CR0.PG | CR0.WP
    mov cr0, eax
    mov eax, ap_high
    jmp eax

section .text
global ap_boot_esp
ap_high:
    mov esp, [ap_boot_esp]
    xor ebp, ebp
    call ap_main                ; does not return
.hang:
    cli
    hlt
    jmp .hang

section .data
align 4
ap_boot_esp: dd 0
