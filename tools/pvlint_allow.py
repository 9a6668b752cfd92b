# tools/pvlint_allow.py: pvlint's allow-lists.  One entry a line, '#' to the
# end of a line is a comment:
#
#     IMAGE  SYMBOL[@SECTION][%FEATURE]  INSN  KIND  REASON...
#
# IMAGE is a glob over the image's path (matched whole, or after any '/':
# `vmlinux`, `conformance/core-priv.elf`, `*.elf`); SYMBOL a glob over the
# name of the symbol the instruction is in ('?' where there is none),
# optionally @SECTION (a glob over the section name) and %FEATURE (a glob
# over the CPU feature of a Linux alternative's replacement, e.g. SMAP:
# the instruction runs only where the CPU has it); INSN a glob over
# pvlint's instruction names (pvlint.py RULES: cli, popf, mov-cr, ...).
# KIND says why the finding is allowed:
#   unreachable  the code never runs under the port (a native path the port
#                replaces, a CPU it never sees): a trap there at run time
#                proves the entry wrong, and pvlint --traps fails on it;
#   expected     it runs, and does what the REASON says (a test that
#                executes it on purpose, a PUSHF whose IF bit is not used).
# REASON is required.  The first entry that matches a finding takes it; an
# entry that matches nothing in the images it names is stale (a failure).
import fnmatch
import os

KINDS = ("unreachable", "expected")


class Entry:
    def __init__(self, file, line, image, symbol, section, feature, insn, kind, reason):
        self.file, self.line = file, line
        self.image, self.symbol, self.section, self.insn = image, symbol, section, insn
        self.feature = feature
        self.kind, self.reason = kind, reason
        self.hits = 0
        self.images_seen = []

    def names(self, path):
        return (fnmatch.fnmatchcase(path, self.image) or fnmatch.fnmatchcase(path, "*/" + self.image)
                or fnmatch.fnmatchcase(os.path.basename(path), self.image))

    def takes(self, f):
        return (fnmatch.fnmatchcase(f["symbol"] or "?", self.symbol)
                and fnmatch.fnmatchcase(f["section"], self.section)
                and (self.feature is None or fnmatch.fnmatchcase(f.get("feature", ""), self.feature))
                and fnmatch.fnmatchcase(f["insn"], self.insn))


def parse_line(file, n, text):
    words = text.split("#", 1)[0].split(None, 4)
    if not words:
        return None
    if len(words) < 5:
        raise ValueError("%s:%d: want IMAGE SYMBOL[@SECTION][%%FEATURE] INSN KIND REASON" % (file, n))
    image, symbol, insn, kind, reason = words
    if kind not in KINDS:
        raise ValueError("%s:%d: KIND is %s, not one of %s" % (file, n, kind, ", ".join(KINDS)))
    symbol, pct, feature = symbol.partition("%")
    symbol, _, section = symbol.partition("@")
    return Entry(file, n, image, symbol, section or "*", feature if pct else None, insn, kind, reason.strip())


def load_allow(files):
    entries = []
    for file in files:
        with open(file) as f:
            for n, text in enumerate(f, 1):
                e = parse_line(file, n, text)
                if e:
                    entries.append(e)
    return entries


def match_allow(entries, path, findings):
    """Marks each finding of the image at path that an entry allows."""
    mine = [e for e in entries if e.names(path)]
    for e in mine:
        e.images_seen.append(path)
    for f in findings:
        for e in mine:
            if e.takes(f):
                e.hits += 1
                f["allowed"] = "%s:%d %s" % (os.path.basename(e.file), e.line, e.kind)
                f["kind"] = e.kind
                f["reason"] = e.reason
                break


def stale_entries(entries, paths):
    """Entries that named an image linted here and matched nothing in it."""
    return [e for e in entries if e.images_seen and not e.hits]
