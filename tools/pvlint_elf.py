# tools/pvlint_elf.py: the little of ELF32 (System V gABI, i386 psABI) that
# pvlint needs: executable sections (or, without a section table, executable
# PT_LOAD segments), and the symbol table to name an address.  Images may
# be hostile or broken on purpose (tests/conformance/seg/img-*): every
# offset is checked against the file, and a bad one raises ElfError.
import bisect
import struct

SHT_PROGBITS, SHT_SYMTAB = 1, 2
SHF_EXECINSTR = 0x4
PT_LOAD, PF_X = 1, 0x1
STT_NOTYPE, STT_FUNC = 0, 2
SHN_UNDEF, SHN_LORESERVE = 0, 0xff00


class ElfError(Exception):
    pass


class Region:
    """Bytes that are executed: a section or a PT_LOAD segment."""

    def __init__(self, name, addr, data, index):
        self.name, self.addr, self.data, self.index = name, addr, data, index


class Elf32:
    def __init__(self, blob):
        self.blob = blob
        if len(blob) < 52 or blob[:4] != b"\x7fELF":
            raise ElfError("not an ELF file")
        if blob[4] != 1 or blob[5] != 1:
            raise ElfError("not a little-endian ELF32 file")
        (self.type, self.machine, _, self.entry, self.phoff, self.shoff, _, _,
         self.phentsize, self.phnum, self.shentsize, self.shnum, self.shstrndx) = \
            struct.unpack_from("<HHIIIIIHHHHHH", blob, 16)
        if self.machine != 3:
            raise ElfError("not an i386 image (e_machine %d)" % self.machine)
        self.sections = self._sections()
        self.symbols = self._symbols()

    def _slice(self, off, size, what):
        if off + size > len(self.blob):
            raise ElfError("%s outside the file" % what)
        return self.blob[off:off + size]

    def _sections(self):
        if not self.shoff or not self.shnum:
            return []
        if self.shentsize != 40:
            raise ElfError("bad section header size")
        self._slice(self.shoff, 40 * self.shnum, "section table")
        raw = [struct.unpack_from("<IIIIIIIIII", self.blob, self.shoff + 40 * i)
               for i in range(self.shnum)]
        names = b""
        if self.shstrndx < len(raw):
            s = raw[self.shstrndx]
            names = self._slice(s[4], s[5], "section names")
        out = []
        for s in raw:
            end = names.find(b"\0", s[0])
            out.append({"name": names[s[0]:end if end >= 0 else None].decode("latin-1"),
                        "type": s[1], "flags": s[2], "addr": s[3], "offset": s[4],
                        "size": s[5], "link": s[6]})
        return out

    def _symbols(self):
        """(addr, name, type, size, section index) of each defined symbol, sorted."""
        syms = []
        for sec in self.sections:
            if sec["type"] != SHT_SYMTAB or sec["link"] >= len(self.sections):
                continue
            strs = self.sections[sec["link"]]
            strtab = self._slice(strs["offset"], strs["size"], "string table")
            tab = self._slice(sec["offset"], sec["size"] - sec["size"] % 16, "symbol table")
            for name, value, size, info, _, shndx in struct.iter_unpack("<IIIBBH", tab):
                if shndx == SHN_UNDEF or shndx >= SHN_LORESERVE or (info & 15) not in (STT_NOTYPE, STT_FUNC):
                    continue
                end = strtab.find(b"\0", name)
                nm = strtab[name:end if end >= 0 else None].decode("latin-1")
                if nm and not nm.startswith("$"):
                    syms.append((value, nm, info & 15, size, shndx))
        # At one address a function beats a plain label (FUNC sorts after NOTYPE).
        syms.sort(key=lambda s: (s[4], s[0], s[2]))
        return syms

    def code_regions(self):
        """The executable sections, or executable PT_LOADs when there is no section table."""
        regions = [Region(s["name"], s["addr"], self._slice(s["offset"], s["size"], "section " + s["name"]), i)
                   for i, s in enumerate(self.sections)
                   if s["type"] == SHT_PROGBITS and s["flags"] & SHF_EXECINSTR and s["size"]]
        if regions or self.sections:
            return regions
        if self.phentsize != 32:
            raise ElfError("bad program header size")
        for i in range(self.phnum):
            ptype, off, vaddr, _, filesz, _, flags, _ = struct.unpack_from(
                "<IIIIIIII", self._slice(self.phoff + 32 * i, 32, "program headers"))
            if ptype == PT_LOAD and flags & PF_X and filesz:
                regions.append(Region("PT_LOAD[%d]" % i, vaddr, self._slice(off, filesz, "segment"), -1))
        return regions


def section_bytes(elf, name):
    """(address, bytes) of the section called name, or (0, b"")."""
    for s in elf.sections:
        if s["name"] == name:
            return s["addr"], elf._slice(s["offset"], s["size"], "section " + name)
    return 0, b""


def alternatives(elf):
    """Linux's .altinstructions (arch/x86/include/asm/alternative.h, 6.1):
    12-byte records {s32 instr_offset, s32 repl_offset, u16 cpuid, u8
    instrlen, u8 replacementlen}, offsets relative to the field itself.
    Returns [(replacement start, end, patched site, feature, negated)]:
    the replacement runs at the site only where the CPU has the feature
    (bit 15 of cpuid, ALT_FLAG_NOT: only where it lacks it)."""
    base, raw = section_bytes(elf, ".altinstructions")
    out = []
    for i in range(0, len(raw) - len(raw) % 12, 12):
        instr, repl, cpuid, _, replen = struct.unpack_from("<iiHBB", raw, i)
        site, start = (base + i + instr) & 0xffffffff, (base + i + 4 + repl) & 0xffffffff
        if replen:
            out.append((start, start + replen, site, cpuid & 0x7fff, bool(cpuid & 0x8000)))
    out.sort()
    return out


class Symbolizer:
    """Names addresses in one region: the closest symbol at or below."""

    def __init__(self, elf, region=None):
        if region is None:  # every section's symbols: to name an address anywhere
            self.syms = sorted(elf.symbols, key=lambda s: (s[0], s[2]))
        else:
            lo, hi = region.addr, region.addr + len(region.data)
            self.syms = [s for s in elf.symbols if s[4] == region.index and lo <= s[0] < hi]
        self.addrs = [s[0] for s in self.syms]

    def boundaries(self):
        """Addresses where decoding restarts: every symbol and every function's end."""
        b = set(self.addrs)
        b.update(s[0] + s[3] for s in self.syms if s[2] == STT_FUNC and s[3])
        return sorted(b)

    def name(self, addr):
        """(symbol, offset): None past the end of a sized function (data
        placed after code, as in a flat binary's .text) or before any."""
        i = bisect.bisect_right(self.addrs, addr) - 1
        if i < 0:
            return None, 0
        # Among symbols at the same address, bisect lands on the last: a FUNC if any.
        value, name, kind, size, _ = self.syms[i]
        if kind == STT_FUNC and size and addr >= value + size:
            return None, 0
        return name, addr - value
