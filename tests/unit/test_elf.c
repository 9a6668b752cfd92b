/*
 * tests/unit/test_elf.c: the guest ELF parser (monitor/elf.c).
 *
 * Images are built in memory: a good one, then each case breaks one thing.
 * parse() copies the image into a heap block of exactly its length, so
 * AddressSanitizer catches any read past the end.
 */
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "abi.h"
#include "elfnote.h"
#include "elf.h"
#include "harness.h"
#include "elf_sane.h"

/* File layout of the good image. */
#define PH_OFF 0x34
#define NOTE_OFF 0x300
#define SH_OFF 0x400
#define TEXT_OFF 0x1000
#define DATA_OFF 0x2000
#define IMAGE_LEN 0x2100
#define MAX_PH 20

#define TEXT_VA 0x100000u
#define DATA_VA 0x101000u
#define HC_PAGE 0x102000u

/* The notes: a GNU build-id first (so the walk must step over it), then ours. */
#define GNU_NOTE_LEN (12 + 4 + 8)
#define RV_NOTE_OFF (NOTE_OFF + GNU_NOTE_LEN)
#define RV_NOTE_LEN (12 + 12 + 20)
#define NOTES_LEN (GNU_NOTE_LEN + RV_NOTE_LEN)

static _Alignas(8) unsigned char img[IMAGE_LEN];
static uint32_t img_len;

static Elf32_Ehdr *eh(void) { return (Elf32_Ehdr *)img; }
static Elf32_Phdr *ph(int i) { return (Elf32_Phdr *)(img + PH_OFF) + i; }
static Elf32_Shdr *sh(int i) { return (Elf32_Shdr *)(img + SH_OFF) + i; }
static Elf32_Nhdr *rv_nhdr(void) { return (Elf32_Nhdr *)(img + RV_NOTE_OFF); }
static char *rv_name(void) { return (char *)(img + RV_NOTE_OFF + 12); }
static struct rv_elfnote_guest_info *rv_desc(void)
{
    return (struct rv_elfnote_guest_info *)(img + RV_NOTE_OFF + 24);
}

static void set_ph(int i, uint32_t type, uint32_t off, uint32_t va, uint32_t filesz,
                   uint32_t memsz, uint32_t flags)
{
    *ph(i) = (Elf32_Phdr){ .p_type = type, .p_offset = off, .p_vaddr = va, .p_paddr = va,
                           .p_filesz = filesz, .p_memsz = memsz, .p_flags = flags,
                           .p_align = 0x1000 };
}

/* Two loadable segments (text; data + bss), a PT_NOTE, no section headers. */
static void build_good(void)
{
    memset(img, 0, sizeof img);
    memcpy(eh()->e_ident, ELFMAG, SELFMAG);
    eh()->e_ident[EI_CLASS] = ELFCLASS32;
    eh()->e_ident[EI_DATA] = ELFDATA2LSB;
    eh()->e_ident[EI_VERSION] = EV_CURRENT;
    eh()->e_type = ET_EXEC;
    eh()->e_machine = EM_386;
    eh()->e_version = EV_CURRENT;
    eh()->e_entry = TEXT_VA;
    eh()->e_phoff = PH_OFF;
    eh()->e_ehsize = sizeof(Elf32_Ehdr);
    eh()->e_phentsize = sizeof(Elf32_Phdr);
    eh()->e_phnum = 3;
    eh()->e_shentsize = sizeof(Elf32_Shdr);
    set_ph(0, PT_LOAD, TEXT_OFF, TEXT_VA, 0x1000, 0x1000, PF_R | PF_X);
    set_ph(1, PT_LOAD, DATA_OFF, DATA_VA, 0x100, 0x2000, PF_R | PF_W);
    set_ph(2, PT_NOTE, NOTE_OFF, 0, NOTES_LEN, NOTES_LEN, PF_R);

    Elf32_Nhdr *gnu = (Elf32_Nhdr *)(img + NOTE_OFF);
    *gnu = (Elf32_Nhdr){ .n_namesz = 4, .n_descsz = 8, .n_type = NT_GNU_BUILD_ID };
    memcpy(img + NOTE_OFF + 12, "GNU", 4);
    memcpy(img + NOTE_OFF + 16, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);

    *rv_nhdr() = (Elf32_Nhdr){ .n_namesz = 10, .n_descsz = 20, .n_type = RV_ELFNOTE_GUEST_INFO };
    memcpy(rv_name(), "Ringvisor", 10);
    *rv_desc() = (struct rv_elfnote_guest_info){
        .abi_version = RV_ABI_VERSION, .entry = TEXT_VA, .hypercall_page = HC_PAGE,
        .features = RV_FEAT_HYPERCALL_PAGE, .min_mem_kb = 0 };

    for (int i = 0; i < 0x1000; i++)
        img[TEXT_OFF + i] = 0x90;                /* nop */
    img_len = IMAGE_LEN;
}

/* Describes the notes by an SHT_NOTE section as well (index 1; 0 is the null section). */
static void add_note_section(void)
{
    eh()->e_shoff = SH_OFF;
    eh()->e_shnum = 2;
    *sh(1) = (Elf32_Shdr){ .sh_type = SHT_NOTE, .sh_offset = NOTE_OFF, .sh_size = NOTES_LEN,
                           .sh_addralign = 4 };
}

static struct elf_image out;
static const char *why;

/* elf_parse of the first len bytes of buf, from a heap block of exactly len bytes. */
static int parse_bytes(const unsigned char *buf, uint32_t len)
{
    unsigned char *copy = malloc(len ? len : 1);
    int r;

    memcpy(copy, buf, len);
    why = NULL;
    r = elf_parse(copy, len, &out, &why);
    free(copy);
    return r;
}

static int parse(void)
{
    return parse_bytes(img, img_len);
}

/* Expects refusal for the stated reason. */
#define REFUSED(reason)                                                  \
    do {                                                                 \
        CHECK_EQ(parse(), -1);                                           \
        CHECK_STR(why, reason);                                          \
    } while (0)

TEST(elf_good, "a good image: segments, range and note")
{
    build_good();
    CHECK_EQ(parse(), 0);
    CHECK(why == NULL);
    CHECK_EQ(out.nsegs, 2);
    CHECK_EQ(out.va_lo, TEXT_VA);
    CHECK_EQ(out.va_hi, 0x103000);
    CHECK_EQ(out.seg[0].va, TEXT_VA);
    CHECK_EQ(out.seg[0].offset, TEXT_OFF);
    CHECK_EQ(out.seg[0].filesz, 0x1000);
    CHECK_EQ(out.seg[0].memsz, 0x1000);
    CHECK_EQ(out.seg[0].flags, PF_R | PF_X);
    CHECK_EQ(out.seg[1].va, DATA_VA);
    CHECK_EQ(out.seg[1].filesz, 0x100);
    CHECK_EQ(out.seg[1].memsz, 0x2000);
    CHECK_EQ(out.note.abi_version, RV_ABI_VERSION);
    CHECK_EQ(out.note.entry, TEXT_VA);
    CHECK_EQ(out.note.hypercall_page, HC_PAGE);
    CHECK_EQ(out.note.features, RV_FEAT_HYPERCALL_PAGE);

    /* Unaligned segment addresses: va_lo rounds down, va_hi up. */
    set_ph(0, PT_LOAD, TEXT_OFF, TEXT_VA + 0x10, 0x10, 0x10, PF_R | PF_X);
    rv_desc()->entry = TEXT_VA + 0x10;
    set_ph(1, PT_LOAD, DATA_OFF, DATA_VA + 0x20, 0x10, 0x1fe0 + 1, PF_R | PF_W);
    CHECK_EQ(parse(), 0);
    CHECK_EQ(out.va_lo, TEXT_VA);
    CHECK_EQ(out.va_hi, 0x104000);
    CHECK_EQ(elf_parse(img, img_len, &out, NULL), 0);   /* why may be NULL */
}

TEST(elf_unaligned_buffer, "the image may sit at any byte address")
{
    unsigned char *b = malloc(IMAGE_LEN + 3);

    build_good();
    for (int shift = 1; shift <= 3; shift++) {
        memcpy(b + shift, img, IMAGE_LEN);
        CHECK_EQ(elf_parse(b + shift, IMAGE_LEN, &out, &why), 0);
        CHECK_EQ(out.note.entry, TEXT_VA);
    }
    free(b);
}

TEST(elf_header, "truncated or foreign headers are refused")
{
    build_good();
    CHECK_EQ(parse_bytes(img, 0), -1);
    CHECK_STR(why, "not an ELF file");
    CHECK_EQ(parse_bytes(img, 4), -1);
    CHECK_STR(why, "not an ELF file");
    CHECK_EQ(parse_bytes(img, sizeof(Elf32_Ehdr) - 1), -1);
    CHECK_STR(why, "not an ELF file");
    img[1] = 'e';
    REFUSED("not an ELF file");

    build_good();
    eh()->e_ident[EI_CLASS] = ELFCLASS64;
    REFUSED("not ELF32 (wrong class)");
    eh()->e_ident[EI_CLASS] = ELFCLASSNONE;
    REFUSED("not ELF32 (wrong class)");

    build_good();
    eh()->e_ident[EI_DATA] = ELFDATA2MSB;
    REFUSED("not little-endian");

    build_good();
    eh()->e_machine = EM_X86_64;
    REFUSED("not an i386 executable");
    build_good();
    eh()->e_type = ET_DYN;
    REFUSED("not an i386 executable");
    eh()->e_type = ET_REL;
    REFUSED("not an i386 executable");
}

TEST(elf_phdrs, "program header table: wrong entry size, huge count, outside the file")
{
    build_good();
    eh()->e_phentsize = 0x38;
    REFUSED("bad program headers");
    build_good();
    eh()->e_phnum = 0xffff;
    REFUSED("bad program headers");
    build_good();
    eh()->e_phoff = IMAGE_LEN - 3 * 32 + 1;
    REFUSED("bad program headers");
    eh()->e_phoff = 0xffffffe0;
    REFUSED("bad program headers");

    build_good();
    eh()->e_phnum = 0;
    REFUSED("no loadable segment");
    build_good();
    ph(0)->p_type = PT_NULL;
    ph(1)->p_type = PT_PHDR;
    REFUSED("no loadable segment");
}

TEST(elf_too_many, "more than ELF_MAX_SEGS loadable segments are refused")
{
    build_good();
    eh()->e_phnum = ELF_MAX_SEGS + 1;                  /* the note plus 16 loads */
    for (int i = 3; i < ELF_MAX_SEGS + 1; i++)
        set_ph(i, PT_LOAD, DATA_OFF, 0x200000 + (uint32_t)i * 0x1000, 0, 0x1000, PF_R);
    CHECK_EQ(parse(), 0);
    CHECK_EQ(out.nsegs, ELF_MAX_SEGS);
    CHECK_EQ(out.va_hi, 0x200000 + (ELF_MAX_SEGS + 1) * 0x1000);
    eh()->e_phnum = ELF_MAX_SEGS + 2;
    set_ph(ELF_MAX_SEGS + 1, PT_LOAD, DATA_OFF, 0x400000, 0, 0x1000, PF_R);
    REFUSED("too many segments");
}

TEST(elf_segment_file, "segments must lie in the file, with filesz <= memsz")
{
    build_good();
    ph(1)->p_offset = 0x3000;
    REFUSED("segment outside the file");
    ph(1)->p_offset = 0xfffff000;                      /* offset + filesz wraps */
    ph(1)->p_filesz = 0x2000;
    ph(1)->p_memsz = 0x2000;
    REFUSED("segment outside the file");
    build_good();
    ph(1)->p_filesz = 0x101;                           /* one byte past the end */
    REFUSED("segment outside the file");
    CHECK_EQ(parse_bytes(img, IMAGE_LEN - 1), -1);     /* or the file one byte short */
    CHECK_STR(why, "segment outside the file");

    build_good();
    ph(0)->p_filesz = 0x1001;
    REFUSED("bad program headers");                    /* filesz > memsz */

    build_good();                                      /* memsz 0: not loaded at all */
    eh()->e_phnum = 4;
    set_ph(3, PT_LOAD, 0xffffffff, 0, 0, 0, PF_R);
    CHECK_EQ(parse(), 0);
    CHECK_EQ(out.nsegs, 2);
}

TEST(elf_segment_range, "segments must avoid page 0 and the hole, and not wrap or overlap")
{
    build_good();
    ph(1)->p_vaddr = 0;
    REFUSED("segment outside the guest range");
    ph(1)->p_vaddr = 0xfff;
    REFUSED("segment outside the guest range");

    build_good();                                      /* ending exactly at the hole is fine */
    ph(1)->p_vaddr = RV_HOLE_START - 0x2000;
    CHECK_EQ(parse(), 0);
    CHECK_EQ(out.va_hi, RV_HOLE_START);
    ph(1)->p_memsz = 0x2001;                           /* one byte into it is not */
    REFUSED("segment outside the guest range");
    ph(1)->p_vaddr = RV_HOLE_START;
    ph(1)->p_memsz = 0x1000;
    REFUSED("segment outside the guest range");

    build_good();
    ph(1)->p_vaddr = 0xfffff000;                       /* wraps past 4 GiB */
    REFUSED("segment outside the guest range");
    ph(1)->p_vaddr = 0xffffffff;
    ph(1)->p_memsz = 0xffffffff;
    REFUSED("segment outside the guest range");

    build_good();
    ph(1)->p_vaddr = TEXT_VA + 0x800;
    REFUSED("overlapping segments");
    ph(1)->p_vaddr = TEXT_VA - 0x1fff;                 /* its last byte is text's first */
    REFUSED("overlapping segments");
    ph(1)->p_vaddr = TEXT_VA - 0x2000;                 /* adjacent below: fine */
    rv_desc()->hypercall_page = TEXT_VA - 0x1000;
    CHECK_EQ(parse(), 0);
}

TEST(elf_note_missing, "no ringvisor note, or one with the wrong name or type, is missing")
{
    build_good();
    ph(2)->p_type = PT_NULL;
    REFUSED("missing ringvisor ELF note");
    build_good();
    memcpy(rv_name(), "Ringvisoz", 10);
    REFUSED("missing ringvisor ELF note");
    build_good();
    memcpy(rv_name(), "ringvisor", 10);
    REFUSED("missing ringvisor ELF note");
    build_good();
    rv_nhdr()->n_namesz = 9;                           /* without the NUL */
    REFUSED("missing ringvisor ELF note");
    build_good();
    rv_nhdr()->n_type = 2;
    REFUSED("missing ringvisor ELF note");
    build_good();
    ph(2)->p_filesz = GNU_NOTE_LEN + 12 + 8;           /* the segment ends inside our name */
    REFUSED("missing ringvisor ELF note");
    build_good();
    ph(2)->p_offset = IMAGE_LEN - 8;                   /* the PT_NOTE runs off the file */
    REFUSED("missing ringvisor ELF note");
    build_good();
    ((Elf32_Nhdr *)(img + NOTE_OFF))->n_namesz = 0xfffffff0;   /* a hostile note before ours */
    REFUSED("missing ringvisor ELF note");
    build_good();
    ((Elf32_Nhdr *)(img + NOTE_OFF))->n_descsz = 0xfffffffd;
    REFUSED("missing ringvisor ELF note");
}

TEST(elf_note_bad, "our note with a short or overrunning descriptor is bad")
{
    build_good();
    rv_nhdr()->n_descsz = sizeof(struct rv_elfnote_guest_info) - 4;
    REFUSED("bad ringvisor ELF note: descsz 16, needs at least 20 inside the file");
    build_good();
    rv_nhdr()->n_descsz = 0x1000;
    REFUSED("bad ringvisor ELF note: descsz 4096, needs at least 20 inside the file");
    build_good();
    ph(2)->p_filesz = NOTES_LEN - 1;
    REFUSED("bad ringvisor ELF note: descsz 20, needs at least 20 inside the file");
    build_good();                                      /* a longer descriptor is fine */
    rv_nhdr()->n_descsz = 24;
    ph(2)->p_filesz = NOTES_LEN + 4;
    CHECK_EQ(parse(), 0);
}

TEST(elf_note_section, "the note is also found through an SHT_NOTE section; a bad section table is ignored")
{
    build_good();
    add_note_section();
    ph(2)->p_type = PT_NULL;
    CHECK_EQ(parse(), 0);
    CHECK_EQ(out.note.hypercall_page, HC_PAGE);
    eh()->e_shoff = IMAGE_LEN - 40;                    /* the table runs off the file */
    REFUSED("missing ringvisor ELF note");
    eh()->e_shoff = SH_OFF;
    eh()->e_shentsize = 0x28 + 4;
    REFUSED("missing ringvisor ELF note");
    eh()->e_shentsize = sizeof(Elf32_Shdr);
    sh(1)->sh_size = 0xffffffff;                       /* the section runs off the file */
    REFUSED("missing ringvisor ELF note");
}

TEST(elf_abi, "the ABI major must match and the minor must not be newer")
{
    build_good();
    _Static_assert(RV_ABI_MAJOR == 1 && RV_ABI_MINOR == 6, "the messages below");
    rv_desc()->abi_version = ((RV_ABI_MAJOR + 1) << 16) | RV_ABI_MINOR;
    REFUSED("ABI version unknown: 2.6 (0x20006); this monitor takes 1.0 to 1.6");
    rv_desc()->abi_version = ((RV_ABI_MAJOR - 1) << 16) | RV_ABI_MINOR;
    REFUSED("ABI version unknown: 0.6 (0x6); this monitor takes 1.0 to 1.6");
    rv_desc()->abi_version = (RV_ABI_MAJOR << 16) | (RV_ABI_MINOR + 1);
    REFUSED("ABI version unknown: 1.7 (0x10007); this monitor takes 1.0 to 1.6");
    rv_desc()->abi_version = 0;
    REFUSED("ABI version unknown: 0.0 (0x0); this monitor takes 1.0 to 1.6");
    rv_desc()->abi_version = RV_ABI_MAJOR << 16;       /* 1.0 still runs */
    CHECK_EQ(parse(), 0);
}

TEST(elf_entry, "the entry point must lie in a loaded segment")
{
    build_good();
    rv_desc()->entry = 0x200000;
    REFUSED("entry point outside the image");
    rv_desc()->entry = 0;
    REFUSED("entry point outside the image");
    rv_desc()->entry = TEXT_VA - 1;
    REFUSED("entry point outside the image");
    rv_desc()->entry = DATA_VA + 0x2000;               /* just past the bss */
    REFUSED("entry point outside the image");
    rv_desc()->entry = DATA_VA + 0x1fff;               /* last byte of the bss */
    CHECK_EQ(parse(), 0);
    rv_desc()->entry = TEXT_VA + 0xfff;
    CHECK_EQ(parse(), 0);
}

TEST(elf_hypercall_page, "the hypercall page must be page aligned and inside the image")
{
    build_good();
    rv_desc()->hypercall_page = HC_PAGE + 0x10;
    REFUSED("hypercall page outside the image or not page aligned");
    rv_desc()->hypercall_page = 0x103000;              /* just past va_hi */
    REFUSED("hypercall page outside the image or not page aligned");
    rv_desc()->hypercall_page = TEXT_VA - 0x1000;
    REFUSED("hypercall page outside the image or not page aligned");
    rv_desc()->hypercall_page = 0xfffff000;
    REFUSED("hypercall page outside the image or not page aligned");
    rv_desc()->hypercall_page = 0;                     /* the feature needs a page */
    REFUSED("RV_FEAT_HYPERCALL_PAGE set but hypercall_page is 0");
    rv_desc()->features = 0;                           /* without it, none is fine */
    CHECK_EQ(parse(), 0);
    CHECK_EQ(out.fill_hypercall_page, 0);
    rv_desc()->hypercall_page = TEXT_VA;               /* a page may be named without the feature */
    CHECK_EQ(parse(), 0);
    CHECK_EQ(out.fill_hypercall_page, 0);              /* 1.5: only the feature fills it */
    rv_desc()->abi_version = (1u << 16) | 4;           /* a 1.4 guest: a named page is filled */
    CHECK_EQ(parse(), 0);
    CHECK_EQ(out.fill_hypercall_page, 1);
    rv_desc()->abi_version = RV_ABI_VERSION;
    rv_desc()->features = RV_FEAT_HYPERCALL_PAGE;
    CHECK_EQ(parse(), 0);
    CHECK_EQ(out.fill_hypercall_page, 1);
}

TEST(elf_features, "an unsupported feature bit is refused")
{
    build_good();
    rv_desc()->features |= 1u << 5;
    REFUSED("requires unsupported features");
    rv_desc()->features = 0x80000000u;
    rv_desc()->hypercall_page = 0;
    REFUSED("requires unsupported features");
}

/* ------------------------------------------------------------------- fuzz */

static uint32_t rng = 0x2545f491;
static uint32_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

static void mutate(unsigned char *b, uint32_t len)
{
    static const uint32_t interesting[] = { 0, 1, 0x7f, 0x80, 0xff, 0xfff, 0x1000, 0xffff,
                                            0x7fffffff, 0x80000000u, 0xfffffff0u, 0xffffffffu,
                                            RV_HOLE_START, IMAGE_LEN, NOTE_OFF, 10 };
    /* Mostly the headers and notes, where the parser looks; sometimes anywhere. */
    uint32_t span = (next_rand() % 4) ? SH_OFF + 2 * 40 : len;
    uint32_t pos = next_rand() % span;

    switch (next_rand() % 3) {
    case 0:
        b[pos] = (unsigned char)next_rand();
        break;
    case 1:
        b[pos] ^= (unsigned char)(1u << (next_rand() % 8));
        break;
    case 2: {
        uint32_t v = interesting[next_rand() % (sizeof interesting / sizeof *interesting)];
        pos &= ~3u;
        if (pos + 4 <= len)
            memcpy(b + pos, &v, 4);
        break;
    }
    }
}

TEST(elf_fuzz, "5000 random mutations of a good image never crash and never pass a bad one")
{
    unsigned char *m = malloc(IMAGE_LEN);
    int accepted = 0, insane = 0;

    for (int iter = 0; iter < 5000; iter++) {
        uint32_t len = IMAGE_LEN;
        build_good();
        if (iter % 2)
            add_note_section();
        memcpy(m, img, IMAGE_LEN);
        for (uint32_t k = 1 + next_rand() % 6; k; k--)
            mutate(m, IMAGE_LEN);
        if (next_rand() % 8 == 0)
            len = next_rand() % (IMAGE_LEN + 1);
        if (parse_bytes(m, len) == 0) {
            accepted++;
            if (elf_image_sane(&out, len) && insane++ < 5)
                unit_fail(__FILE__, __LINE__, "iteration %d: accepted an image it should not have", iter);
        } else if (why == NULL) {
            unit_fail(__FILE__, __LINE__, "iteration %d: refused without a reason", iter);
        }
    }
    free(m);
    CHECK_EQ(insane, 0);
    CHECK(accepted > 0);          /* some mutations are harmless: the good path ran too */
}
