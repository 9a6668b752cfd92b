#!/usr/bin/env python3
"""tests/hostile/mkhostile.py: guest images a hostile module line brings.

    mkhostile.py VARIANT IN.elf OUT.elf

The edges tests/conformance/seg/mkbad.py leaves out, built with its Image
class: 32-bit wrap-around in every offset + size sum the loader computes
(program headers, segment file ranges, segment memory ranges, the note),
counts at their maximum, and a note that lies about its own sizes.  Each
must be refused with a `refused:` line (tests/hostile/tests.list), never
read out of the module or crash the monitor; a PT_NOTE that points past
the file is ignored and the section copy of the note used, so those two
images are accepted and run.
"""

import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "conformance", "seg"))
import mkbad  # noqa: E402


def note_header(img, namesz=None, descsz=None):
    pos, _ = img.note_desc()
    n, d, t = mkbad.NHDR.unpack_from(img.data, pos)
    mkbad.NHDR.pack_into(img.data, pos, n if namesz is None else namesz, d if descsz is None else descsz, t)


def pt_note(img, **changes):
    names = ["type", "offset", "vaddr", "paddr", "filesz", "memsz", "flags", "align"]
    for i, ph in enumerate(img.phdrs()):
        if ph[0] == mkbad.PT_NOTE:
            for k, v in changes.items():
                ph[names.index(k)] = v
            img.put_phdr(i, ph)


VARIANTS = {
    "phnum-max": mkbad.header("phnum", 0xFFFF),
    "phoff-wrap": lambda img: img.set_header("phoff", 0xFFFFFFF0),
    "memsz-wrap": mkbad.edit_load(0, memsz=0xFFFFF000),
    "memsz-max": mkbad.edit_load(1, memsz=0xFFFFFFFF),
    "offset-wrap": mkbad.edit_load(0, offset=0xFFFFF000, filesz=0x2000, memsz=0x2000),
    "filesz-max": mkbad.edit_load(1, filesz=0xFFFFFFFF, memsz=0xFFFFFFFF),
    "vaddr-top": mkbad.edit_load(1, vaddr=0xFFFFFFFF, memsz=1),
    "note-namesz": lambda img: note_header(img, namesz=0xFFFFFFF0),
    "note-descsz": lambda img: note_header(img, descsz=0xFFFFFFF8),
    "ptnote-wrap": lambda img: pt_note(img, offset=0xFFFFFFF0, filesz=0x40),
    "ptnote-huge": lambda img: pt_note(img, filesz=0x7FFFFFFF),
}


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    variant, src, dst = sys.argv[1:]
    with open(src, "rb") as f:
        img = mkbad.Image(f.read())
    if variant not in VARIANTS:
        sys.exit("mkhostile.py: unknown variant %s" % variant)
    VARIANTS[variant](img)
    with open(dst, "wb") as f:
        f.write(img.data)


if __name__ == "__main__":
    main()
