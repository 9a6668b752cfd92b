#!/usr/bin/env python3
"""tests/conformance/seg/mkbad.py: guest images with one thing changed.

    mkbad.py VARIANT IN.elf OUT.elf

Reads a good test image (ELF32, the layout libpvguest/guest.ld makes: a
text PT_LOAD holding the ringvisor note first, a data PT_LOAD, a PT_NOTE)
and writes a copy with one change, for the module refusal tests of ABI.md
"The ELF note" (and a few accepted shapes).  VARIANT is one of the names
in VARIANTS below, or entry=SYMBOL (the note's entry becomes SYMBOL's
address, so a test can see the machine state at its first instruction).
"""

import struct
import sys

EHDR = struct.Struct("<16sHHIIIIIHHHHHH")
PHDR = struct.Struct("<IIIIIIII")
SHDR = struct.Struct("<IIIIIIIIII")
NHDR = struct.Struct("<III")
SYM = struct.Struct("<IIIBBH")
PT_NULL, PT_LOAD, PT_NOTE = 0, 1, 4
SHT_SYMTAB, SHT_NOTE = 2, 7
NOTE_NAME = b"Ringvisor\0"
HOLE = 0xFC000000


class Image:
    def __init__(self, data):
        self.data = bytearray(data)
        e = EHDR.unpack_from(self.data, 0)
        (self.ident, self.type, self.machine, self.version, self.entry, self.phoff,
         self.shoff, self.flags, self.ehsize, self.phentsize, self.phnum,
         self.shentsize, self.shnum, self.shstrndx) = e

    def phdrs(self):
        return [list(PHDR.unpack_from(self.data, self.phoff + i * PHDR.size))
                for i in range(self.phnum)]

    def put_phdr(self, i, ph):
        PHDR.pack_into(self.data, self.phoff + i * PHDR.size, *ph)

    def loads(self):
        return [(i, ph) for i, ph in enumerate(self.phdrs()) if ph[0] == PT_LOAD]

    def note_desc(self):
        """File offset of the ringvisor note's descriptor (and its header)."""
        for ph in self.phdrs():
            if ph[0] != PT_NOTE:
                continue
            pos, end = ph[1], ph[1] + ph[4]
            while pos + NHDR.size <= end:
                namesz, descsz, ntype = NHDR.unpack_from(self.data, pos)
                name = bytes(self.data[pos + 12:pos + 12 + namesz])
                desc = pos + 12 + (namesz + 3) // 4 * 4
                if name == NOTE_NAME and ntype == 1:
                    return pos, desc
                pos = desc + (descsz + 3) // 4 * 4
        sys.exit("mkbad.py: no ringvisor note in the PT_NOTE segment")

    def note_field(self, index, value=None):
        """abi_version 0, entry 1, hypercall_page 2, features 3, min_mem_kb 4."""
        _, desc = self.note_desc()
        off = desc + 4 * index
        if value is None:
            return struct.unpack_from("<I", self.data, off)[0]
        struct.pack_into("<I", self.data, off, value & 0xFFFFFFFF)

    def set_header(self, field, value):
        fmt_off = {"type": (16, "<H"), "machine": (18, "<H"), "phoff": (28, "<I"),
                   "shoff": (32, "<I"), "phentsize": (42, "<H"), "phnum": (44, "<H"),
                   "shentsize": (46, "<H"), "shnum": (48, "<H"), "shstrndx": (50, "<H")}
        off, fmt = fmt_off[field]
        struct.pack_into(fmt, self.data, off, value)

    def symbol(self, name):
        for i in range(self.shnum):
            sh = SHDR.unpack_from(self.data, self.shoff + i * SHDR.size)
            if sh[1] != SHT_SYMTAB:
                continue
            strtab = SHDR.unpack_from(self.data, self.shoff + sh[6] * SHDR.size)
            for off in range(sh[4], sh[4] + sh[5], SYM.size):
                st_name, st_value = SYM.unpack_from(self.data, off)[:2]
                s = self.data[strtab[4] + st_name:]
                if bytes(s[:s.index(0)]).decode() == name:
                    return st_value
        sys.exit("mkbad.py: no symbol %s" % name)


def text_and_data(img):
    loads = img.loads()
    if len(loads) < 2:
        sys.exit("mkbad.py: expected a text and a data PT_LOAD")
    return loads[0], loads[1]


def edit_load(which, **changes):
    """Changes fields of the text (0) or data (1) PT_LOAD."""
    names = ["type", "offset", "vaddr", "paddr", "filesz", "memsz", "flags", "align"]

    def f(img):
        i, ph = text_and_data(img)[which]
        for k, v in changes.items():
            ph[names.index(k)] = v(ph) if callable(v) else v
        img.put_phdr(i, ph)
    return f


def header(field, value):
    return lambda img: img.set_header(field, value)


def ident(index, value):
    def f(img):
        img.data[index] = value
    return f


def note(index, value):
    return lambda img: img.note_field(index, value(img.note_field(index)) if callable(value) else value)


def truncate(img, length):
    del img.data[length:]


def trunc_body(img):
    (_, text), _ = text_and_data(img)
    truncate(img, text[1] + text[4] // 2)


def not_elf(img):
    img.data[:] = b"ringvisor: this module is text, not an ELF image.\n" * 40


def no_load(img):
    for i, ph in enumerate(img.phdrs()):
        if ph[0] == PT_LOAD:
            ph[0] = PT_NULL
            img.put_phdr(i, ph)


def too_many_segments(img):
    """A new program header table at the end: 17 small PT_LOADs and the PT_NOTE."""
    (_, text), _ = text_and_data(img)
    note_ph = [ph for ph in img.phdrs() if ph[0] == PT_NOTE][0]
    table = [text]
    for k in range(16):
        table.append([PT_LOAD, 0, 0x01000000 + k * 0x1000, 0, 0, 0x1000, 6, 0x1000])
    table.append(note_ph)
    while len(img.data) % 4:
        img.data.append(0)
    off = len(img.data)
    for ph in table:
        img.data += PHDR.pack(*ph)
    img.set_header("phoff", off)
    img.set_header("phnum", len(table))


def no_note(img):
    pos, _ = img.note_desc()
    img.data[pos + 12:pos + 22] = b"Ringvisox\0"   # PT_NOTE and SHT_NOTE both point here


def note_short(img):
    pos, _ = img.note_desc()
    struct.pack_into("<I", img.data, pos + 4, 16)


def pt_note_gone(img):
    for i, ph in enumerate(img.phdrs()):
        if ph[0] == PT_NOTE:
            ph[0] = PT_NULL
            img.put_phdr(i, ph)


def no_sections(img):
    for f in ("shoff", "shnum", "shstrndx"):
        img.set_header(f, 0)


def overlap(img):
    """The data segment moved onto the text segment's first page."""
    (_, text), (i, data) = text_and_data(img)
    data[2] = text[2]
    img.put_phdr(i, data)


def entry_past_text(img):
    (_, text), _ = text_and_data(img)
    img.note_field(1, text[2] + text[5])   # one byte past the text segment's memory


VARIANTS = {
    # refused: the ELF header
    "trunc-hdr": lambda img: truncate(img, 40),
    "trunc-body": trunc_body,
    "not-elf": not_elf,
    "class64": ident(4, 2),
    "bigendian": ident(5, 2),
    "machine": header("machine", 62),         # EM_X86_64
    "type-dyn": header("type", 3),            # ET_DYN
    "phentsize": header("phentsize", 36),
    "phoff": lambda img: img.set_header("phoff", len(img.data) - 16),
    # refused: the segments
    "filesz": edit_load(0, filesz=lambda ph: ph[5] + 1),
    "no-load": no_load,
    "many-segs": too_many_segments,
    "seg-file": edit_load(0, offset=lambda ph: 0x7FFFF000),
    "seg-low": edit_load(1, vaddr=0x0),
    "seg-hole": edit_load(1, vaddr=HOLE - 0x1000, memsz=0x2000),
    "seg-inhole": edit_load(1, vaddr=HOLE, memsz=0x1000),
    "seg-wrap": edit_load(1, vaddr=0xFFFFF000, memsz=0x2000),
    "overlap": overlap,
    # refused: the note
    "no-note": no_note,
    "note-short": note_short,
    "abi-major2": note(0, 0x00020000),
    "abi-major0": note(0, 0x00000000),
    "abi-minor": note(0, lambda v: v + 1),
    "entry-low": note(1, 0x1000),
    "entry-past": entry_past_text,
    "entry-hole": note(1, 0xFC100000),
    "hcpage-odd": note(2, lambda v: v + 0x800),
    "hcpage-out": note(2, 0x10000000),
    "feature": note(3, lambda v: v | 0x80000000),
    "minmem": note(4, 8192),
    # accepted
    "minmem-eq": note(4, 4096),
    "shnote": pt_note_gone,
    "no-shdrs": no_sections,
}


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    variant, src, dst = sys.argv[1:]
    with open(src, "rb") as f:
        img = Image(f.read())
    if variant.startswith("entry="):
        img.note_field(1, img.symbol(variant[len("entry="):]))
    elif variant in VARIANTS:
        VARIANTS[variant](img)
    else:
        sys.exit("mkbad.py: unknown variant %s" % variant)
    with open(dst, "wb") as f:
        f.write(img.data)


if __name__ == "__main__":
    main()
