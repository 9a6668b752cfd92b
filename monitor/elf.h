/*
 * monitor/elf.h: reading a guest's ELF32 image and its ringvisor note.
 * Pure logic: host-testable; copying into guest frames is the domain
 * builder's job.
 */
#ifndef MON_ELF_H
#define MON_ELF_H

#include <stdint.h>
#include "elfnote.h"

#define ELF_MAX_SEGS 16

struct elf_seg {
    uint32_t va;      /* p_vaddr */
    uint32_t offset;  /* p_offset in the file */
    uint32_t filesz;  /* bytes copied from the file */
    uint32_t memsz;   /* bytes in memory (the rest is zeroed) */
    uint32_t flags;   /* p_flags (PF_X 1, PF_W 2, PF_R 4) */
};

struct elf_image {
    uint32_t va_lo;   /* lowest PT_LOAD p_vaddr, rounded down to 4 KiB */
    uint32_t va_hi;   /* highest p_vaddr + p_memsz, rounded up to 4 KiB */
    uint32_t nsegs;
    struct elf_seg seg[ELF_MAX_SEGS];
    struct rv_elfnote_guest_info note;
    int fill_hypercall_page; /* elf_fills_hypercall_page(&note) */
};

/* Whether the builder fills the note's hypercall page (depends on the declared ABI version). */
int elf_fills_hypercall_page(const struct rv_elfnote_guest_info *n);

/*
 * Parses and validates an image of len bytes.  Returns 0, or -1 with *why
 * naming the first problem, one of: "not an ELF file", "not ELF32 (wrong
 * class)", "not little-endian", "not an i386 executable", "bad program
 * headers", "no loadable segment", "too many segments", "segment outside
 * the file", "segment outside the guest range" (below 4 KiB or reaching
 * RV_HOLE_START, or wrapping), "overlapping segments", "missing ringvisor
 * ELF note", "bad ringvisor ELF note: descsz N, needs at least 20 inside
 * the file", "ABI version unknown: M.N (0x...); this monitor takes 1.0 to
 * 1.X", "entry point outside the image", "RV_FEAT_HYPERCALL_PAGE set but
 * hypercall_page is 0", "hypercall page outside the image or not page
 * aligned", "requires unsupported features" (the ones with numbers are
 * formatted into a static buffer, valid until the next call).
 * Only the major ABI version must match; the minor must be <= RV_ABI_MINOR.
 * Details: a PT_LOAD with filesz > memsz is "bad program headers"; one with
 * memsz 0 is skipped.  The note is looked for in PT_NOTE segments, then in
 * SHT_NOTE sections (a section table that does not fit the file is
 * ignored); a note named "Ringvisor" of another type is skipped, one of
 * type RV_ELFNOTE_GUEST_INFO with descsz < 20 is a bad note.
 * The entry must lie inside a PT_LOAD segment's memory; a non-zero
 * hypercall page (required when RV_FEAT_HYPERCALL_PAGE is set) inside
 * [va_lo, va_hi), page aligned.
 * why may be NULL.
 */
int elf_parse(const void *image, uint32_t len, struct elf_image *out, const char **why);

#endif
