/* SPDX-License-Identifier: MIT */
/*
 * monitor/elf.c: reading a guest's ELF32 image and its ringvisor note.
 *
 * The image comes from a Multiboot module, so nothing in it is trusted:
 * every offset and size is checked against the file length in 64-bit
 * arithmetic before a byte is read, and headers are copied out with
 * memcpy, so a hostile image can neither make the monitor read outside
 * the module nor trip on unaligned fields.  The layouts are those of the
 * System V ABI (gABI, "ELF Header", "Program Header", "Note Section");
 * they are written out here because the monitor has no <elf.h>.
 */
#include <stdint.h>
#include "abi.h"
#include "elfnote.h"
#include "elf.h"
#include "rvlib.h"

struct elf32_ehdr {
    uint8_t ident[16];
    uint16_t type, machine;
    uint32_t version, entry, phoff, shoff, flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf32_phdr {
    uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
};

struct elf32_shdr {
    uint32_t name, type, flags, addr, offset, size, link, info, addralign, entsize;
};

struct elf32_nhdr {
    uint32_t namesz, descsz, type;
};

_Static_assert(sizeof(struct elf32_ehdr) == 52, "ELF32 header is 52 bytes");
_Static_assert(sizeof(struct elf32_phdr) == 32, "ELF32 program header is 32 bytes");
_Static_assert(sizeof(struct elf32_shdr) == 40, "ELF32 section header is 40 bytes");

#define ELFCLASS32 1
#define ELFDATA2LSB 1
#define ET_EXEC 2
#define EM_386 3
#define PT_LOAD 1
#define PT_NOTE 4
#define SHT_NOTE 7

/* Does [off, off + size) lie inside a file of len bytes?  (64-bit: no wrap.) */
static int in_file(uint32_t len, uint64_t off, uint64_t size)
{
    return off <= len && size <= len - off;
}

static uint64_t align4(uint64_t n)
{
    return (n + 3) & ~(uint64_t)3;
}

static uint64_t page_up(uint64_t a)
{
    return (a + RV_PAGE_SIZE - 1) & ~(uint64_t)(RV_PAGE_SIZE - 1);
}

static void read_phdr(const uint8_t *file, const struct elf32_ehdr *eh, unsigned i,
                      struct elf32_phdr *ph)
{
    /* check_header proved the whole table lies inside the file. */
    memcpy(ph, file + eh->phoff + (uint64_t)i * sizeof *ph, sizeof *ph);
}

static const char *check_header(const uint8_t *file, uint32_t len, struct elf32_ehdr *eh)
{
    if (len < sizeof *eh || memcmp(file, "\177ELF", 4) != 0)
        return "not an ELF file";
    memcpy(eh, file, sizeof *eh);
    if (eh->ident[4] != ELFCLASS32)
        return "not ELF32 (wrong class)";
    if (eh->ident[5] != ELFDATA2LSB)
        return "not little-endian";
    if (eh->type != ET_EXEC || eh->machine != EM_386)
        return "not an i386 executable";
    if (eh->phentsize != sizeof(struct elf32_phdr) ||
        !in_file(len, eh->phoff, (uint64_t)eh->phnum * sizeof(struct elf32_phdr)))
        return "bad program headers";
    return NULL;
}

static int overlaps(const struct elf_seg *a, uint32_t va, uint32_t memsz)
{
    return va < (uint64_t)a->va + a->memsz && a->va < (uint64_t)va + memsz;
}

/* Checks one PT_LOAD header and appends it to out->seg. */
static const char *add_segment(uint32_t len, const struct elf32_phdr *ph, struct elf_image *out)
{
    uint64_t end = (uint64_t)ph->vaddr + ph->memsz;
    struct elf_seg *s;

    if (ph->filesz > ph->memsz)
        return "bad program headers";
    if (ph->memsz == 0)
        return NULL;                    /* occupies no memory: nothing to load */
    if (out->nsegs == ELF_MAX_SEGS)
        return "too many segments";
    if (!in_file(len, ph->offset, ph->filesz))
        return "segment outside the file";
    /* Page 0 stays unmapped to catch NULL; the hole is the monitor's. */
    if (ph->vaddr < RV_PAGE_SIZE || end > RV_HOLE_START)
        return "segment outside the guest range";
    for (uint32_t i = 0; i < out->nsegs; i++)
        if (overlaps(&out->seg[i], ph->vaddr, ph->memsz))
            return "overlapping segments";

    s = &out->seg[out->nsegs++];
    s->va = ph->vaddr;
    s->offset = ph->offset;
    s->filesz = ph->filesz;
    s->memsz = ph->memsz;
    s->flags = ph->flags;
    if (out->nsegs == 1 || ph->vaddr < out->va_lo)
        out->va_lo = ph->vaddr & ~(RV_PAGE_SIZE - 1);
    if (page_up(end) > out->va_hi)
        out->va_hi = (uint32_t)page_up(end);   /* at most RV_HOLE_START */
    return NULL;
}

static const char *load_segments(const uint8_t *file, uint32_t len,
                                 const struct elf32_ehdr *eh, struct elf_image *out)
{
    struct elf32_phdr ph;
    const char *problem;

    for (unsigned i = 0; i < eh->phnum; i++) {
        read_phdr(file, eh, i, &ph);
        if (ph.type == PT_LOAD && (problem = add_segment(len, &ph, out)) != NULL)
            return problem;
    }
    return out->nsegs ? NULL : "no loadable segment";
}

enum note_result { NOTE_ABSENT, NOTE_FOUND, NOTE_BAD };

/* Refusals that name numbers are formatted here: elf_parse runs at boot,
 * one module at a time, and the caller prints the reason at once. */
static char why_buf[96];
static uint32_t bad_descsz;

/*
 * Walks the notes in [p, p + size): each is a 12-byte header, then the name
 * and the descriptor, each padded to 4 bytes (gABI "Note Section").
 */
static enum note_result scan_notes(const uint8_t *p, uint32_t size,
                                   struct rv_elfnote_guest_info *info)
{
    static const char name[] = RV_ELFNOTE_NAME;   /* sizeof includes the NUL: 10 */
    struct elf32_nhdr nh;
    uint64_t pos = 0, desc;

    while (in_file(size, pos, sizeof nh)) {
        memcpy(&nh, p + pos, sizeof nh);
        pos += sizeof nh;
        desc = pos + align4(nh.namesz);
        if (!in_file(size, pos, nh.namesz))
            return NOTE_ABSENT;         /* a torn note ends the walk */
        if (nh.namesz == sizeof name && memcmp(p + pos, name, sizeof name) == 0 &&
            nh.type == RV_ELFNOTE_GUEST_INFO) {
            if (nh.descsz < sizeof *info || !in_file(size, desc, nh.descsz)) {
                bad_descsz = nh.descsz;
                return NOTE_BAD;
            }
            memcpy(info, p + desc, sizeof *info);
            return NOTE_FOUND;
        }
        pos = desc + align4(nh.descsz);
    }
    return NOTE_ABSENT;
}

/* The note lives in a PT_NOTE segment; linkers also describe it as an SHT_NOTE section. */
static enum note_result find_note(const uint8_t *file, uint32_t len,
                                  const struct elf32_ehdr *eh,
                                  struct rv_elfnote_guest_info *info)
{
    enum note_result r = NOTE_ABSENT;
    struct elf32_phdr ph;
    struct elf32_shdr sh;

    for (unsigned i = 0; i < eh->phnum && r == NOTE_ABSENT; i++) {
        read_phdr(file, eh, i, &ph);
        if (ph.type == PT_NOTE && in_file(len, ph.offset, ph.filesz))
            r = scan_notes(file + ph.offset, ph.filesz, info);
    }
    /* Section headers are optional: a table that does not fit is ignored. */
    if (eh->shentsize != sizeof sh ||
        !in_file(len, eh->shoff, (uint64_t)eh->shnum * sizeof sh))
        return r;
    for (unsigned i = 0; i < eh->shnum && r == NOTE_ABSENT; i++) {
        memcpy(&sh, file + eh->shoff + (uint64_t)i * sizeof sh, sizeof sh);
        if (sh.type == SHT_NOTE && in_file(len, sh.offset, sh.size))
            r = scan_notes(file + sh.offset, sh.size, info);
    }
    return r;
}

static int inside_segment(const struct elf_image *img, uint32_t va)
{
    for (uint32_t i = 0; i < img->nsegs; i++)
        if (va >= img->seg[i].va && va - img->seg[i].va < img->seg[i].memsz)
            return 1;
    return 0;
}

static const char *check_note(const struct elf_image *img)
{
    const struct rv_elfnote_guest_info *n = &img->note;
    uint64_t hp = n->hypercall_page;

    if (RV_ABI_VERSION_MAJOR(n->abi_version) != RV_ABI_MAJOR ||
        RV_ABI_VERSION_MINOR(n->abi_version) > RV_ABI_MINOR) {
        rv_snprintf(why_buf, sizeof why_buf, "ABI version unknown: %u.%u (0x%x); this monitor takes %u.0 to %u.%u",
                    RV_ABI_VERSION_MAJOR(n->abi_version), RV_ABI_VERSION_MINOR(n->abi_version),
                    n->abi_version, RV_ABI_MAJOR, RV_ABI_MAJOR, RV_ABI_MINOR);
        return why_buf;
    }
    if (!inside_segment(img, n->entry))
        return "entry point outside the image";
    if ((n->features & RV_FEAT_HYPERCALL_PAGE) && hp == 0)
        return "RV_FEAT_HYPERCALL_PAGE set but hypercall_page is 0";
    if (hp && (hp % RV_PAGE_SIZE || hp < img->va_lo || hp + RV_PAGE_SIZE > img->va_hi))
        return "hypercall page outside the image or not page aligned";
    if (n->features & ~RV_FEATURES_SUPPORTED)
        return "requires unsupported features";
    return NULL;
}

/*
 * Since ABI 1.5 RV_FEAT_HYPERCALL_PAGE alone asks for the page to be
 * filled.  A guest that declares 1.0-1.4 gets the old behaviour: a
 * non-zero hypercall_page is filled whatever its features say (erratum 2).
 */
int elf_fills_hypercall_page(const struct rv_elfnote_guest_info *n)
{
    if (n->features & RV_FEAT_HYPERCALL_PAGE)
        return 1;
    return n->hypercall_page != 0 && RV_ABI_VERSION_MINOR(n->abi_version) < 5;
}

int elf_parse(const void *image, uint32_t len, struct elf_image *out, const char **why)
{
    const uint8_t *file = image;
    struct elf32_ehdr eh;
    const char *problem;

    memset(out, 0, sizeof *out);
    problem = check_header(file, len, &eh);
    if (!problem)
        problem = load_segments(file, len, &eh, out);
    if (!problem) {
        switch (find_note(file, len, &eh, &out->note)) {
        case NOTE_FOUND:  problem = check_note(out); break;
        case NOTE_BAD:
            rv_snprintf(why_buf, sizeof why_buf,
                        "bad ringvisor ELF note: descsz %u, needs at least %u inside the file",
                        bad_descsz, (unsigned)sizeof(struct rv_elfnote_guest_info));
            problem = why_buf;
            break;
        case NOTE_ABSENT: problem = "missing ringvisor ELF note"; break;
        }
    }
    if (!problem) {
        out->fill_hypercall_page = elf_fills_hypercall_page(&out->note);
        return 0;
    }
    if (why)
        *why = problem;
    return -1;
}
