/* SPDX-License-Identifier: MIT */
/*
 * pv-abi/elfnote.h: the ELF note that makes an ELF32 image a ringvisor guest.
 *
 * The domain builder refuses an image without it.  The note sits in a
 * PT_NOTE segment (or an SHT_NOTE section): namesz = 10, name "Ringvisor\0"
 * padded with zeros to 12 bytes, type RV_ELFNOTE_GUEST_INFO, descsz at
 * least 20 (sizeof(struct rv_elfnote_guest_info); more is ignored), desc = struct
 * rv_elfnote_guest_info, padded to 4 bytes (gABI "Note Section").
 */
#ifndef RV_ELFNOTE_H
#define RV_ELFNOTE_H

#include <stdint.h>

#define RV_ELFNOTE_NAME "Ringvisor"
#define RV_ELFNOTE_GUEST_INFO 1

/* Features a guest may require (rv_elfnote_guest_info.features). */
/*
 * RV_FEAT_HYPERCALL_PAGE (since 1.0): fill hypercall_page before entry; the
 * page must then be named (non-zero, page aligned, inside the image).
 * Since 1.5 this bit alone asks for the page; a guest that declares 1.0-1.4
 * has a non-zero hypercall_page filled whatever its features say.
 */
#define RV_FEAT_HYPERCALL_PAGE (1u << 0)
#define RV_FEATURES_SUPPORTED (RV_FEAT_HYPERCALL_PAGE)

struct rv_elfnote_guest_info {
    uint32_t abi_version;    /* RV_ABI_VERSION the guest was built for */
    uint32_t entry;          /* virtual address of the first instruction */
    uint32_t hypercall_page; /* VA of a page-aligned page in the image, or 0 */
    uint32_t features;       /* RV_FEAT_* the guest requires */
    uint32_t min_mem_kb;     /* least memory the guest can run in (KiB), 0 = any */
};

#endif
