; monitor/boot.asm: the Multiboot entry.  GRUB (or QEMU -kernel) jumps here
; in 32-bit protected mode, paging off, with EAX = the Multiboot magic and
; EBX = the physical address of the Multiboot information (Multiboot 0.6.96
; section 3.2).  We build just enough PAE paging to run at our link address
; in the hole (physical 1 MiB -> 0xFC100000), then call kmain() in C.

MB_MAGIC  equ 0x1BADB002
MB_FLAGS  equ 0x00000003        ; modules page aligned, memory map wanted
VOFF      equ 0xFC000000        ; RV_HOLE_START: VA = PA + VOFF in the direct map
L2_FIRST  equ 480               ; top-GiB L2 slot of 0xFC000000
DIRECT_2M equ 24                ; 48 MiB of direct map
PG_P      equ 1
PG_RW     equ 2
PG_PS     equ 0x80
PG_G      equ 0x100

section .multiboot
align 4
    dd MB_MAGIC
    dd MB_FLAGS
    dd -(MB_MAGIC + MB_FLAGS)

section .boot progbits alloc exec
bits 32
global _start
extern kmain
extern boot_pdpt, boot_l2_low, mon_l2_top

_start:
    cli
    cld
    mov edi, eax                ; keep the magic and the info pointer
    mov esi, ebx

    ; Zero the three boot paging structures (they live in .bss).
    xor eax, eax
    mov ecx, 3 * 1024
    push edi
    mov edi, boot_pdpt - VOFF
    rep stosd
    mov edi, boot_l2_low - VOFF
    mov ecx, 1024
    rep stosd
    mov edi, mon_l2_top - VOFF
    mov ecx, 1024
    rep stosd
    pop edi

    ; PAE PDPTEs may only carry P, PWT, PCD (SDM Vol. 3A 4.4.1): no RW/US.
    mov dword [boot_pdpt - VOFF + 0], boot_l2_low - VOFF + PG_P
    mov dword [boot_pdpt - VOFF + 3*8], mon_l2_top - VOFF + PG_P
    ; Identity map the first 2 MiB so this code survives turning paging on.
    mov dword [boot_l2_low - VOFF], PG_PS | PG_RW | PG_P
    ; The direct map: 2 MiB pages, global so CR3 reloads keep them.
    mov ebx, mon_l2_top - VOFF + L2_FIRST * 8
    mov eax, PG_PS | PG_RW | PG_P | PG_G
    mov ecx, DIRECT_2M
.direct:
    mov [ebx], eax
    add eax, 0x200000
    add ebx, 8
    loop .direct

    mov eax, cr4
    or eax, 0x20                ; CR4.PAE
    mov cr4, eax
    mov eax, boot_pdpt - VOFF
    mov cr3, eax
    mov eax, cr0
    or eax, 0x80010000          ; CR0.PG | CR0.WP: ring 0 and 1 honour read-only pages
    mov cr0, eax
    mov eax, .high
    jmp eax

section .text
.high:
    mov esp, boot_stack_top
    push esi                    ; multiboot info (physical)
    push edi                    ; magic
    call kmain
.hang:
    cli
    hlt
    jmp .hang

section .bss
align 16
global boot_stack_top
boot_stack:
    resb 16384
boot_stack_top:
