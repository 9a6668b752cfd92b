/* monitor/multiboot.h: the Multiboot 0.6.96 information structure (section 3.3). */
#ifndef MON_MULTIBOOT_H
#define MON_MULTIBOOT_H
#include <stdint.h>

#define MULTIBOOT_BOOTLOADER_MAGIC 0x2BADB002u
#define MBI_CMDLINE (1u << 2)
#define MBI_MODS (1u << 3)
#define MBI_MMAP (1u << 6)

struct multiboot_info {
    uint32_t flags;
    uint32_t mem_lower, mem_upper;
    uint32_t boot_device;
    uint32_t cmdline;
    uint32_t mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
} __attribute__((packed));

struct multiboot_module {
    uint32_t mod_start, mod_end;
    uint32_t string;
    uint32_t reserved;
} __attribute__((packed));

struct multiboot_mmap {
    uint32_t size; /* of the rest of this entry */
    uint64_t addr, len;
    uint32_t type; /* 1 = available RAM */
} __attribute__((packed));

#endif
