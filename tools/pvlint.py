#!/usr/bin/python3
"""tools/pvlint.py: a static checker of ringvisor guest images.

A guest kernel runs in ring 1 with IOPL 0, so the instructions that need
CPL 0 or IOPL raise #GP(0) (SDM Vol. 3A 5.9, Vol. 1 18.2: the monitor
emulates CLI/STI/HLT and kills the domain for the rest, ABI.md "Sensitive
instructions"), and some run without a trap but do the wrong thing there
(POPF/IRET leave IF alone, PUSHF shows the real IF; SGDT/SIDT/SLDT/STR/SMSW
show the monitor's tables where the CPU has no UMIP, SDM Vol. 3A 2.5).
pvlint disassembles every executable section of an ELF32 image with
capstone (Debian's python3-capstone), lists each such instruction with its
address, symbol and section, and checks it against allow-lists of code
that does not run under the port, or runs it on purpose.  Decoding restarts
at every symbol and every function's end, so data between functions cannot
push it out of step for long.

    pvlint.py [-a ALLOW]... [--json FILE] [--all] [--no-allow] [--stale] IMAGE...
    pvlint.py [-a ALLOW]... --traps LOG [--domain GLOB] IMAGE

Each image gets a PASS (every finding allowed), FAIL or SKIP (not an i386
ELF32 file) line, with --stale one line per allow-list entry that matched
nothing in the images it names (a stale entry fails: use it on a run over
every image), and `N passed, N failed, N skipped`.  --all lists
allowed findings too; --no-allow ignores the allow-lists (the raw counts).
--traps compares the monitor's log (tests/PROTOCOL.md: `trapped:`,
`emulated`, `profile:`) with the findings: every instruction that trapped
must be one pvlint found, and none of them on a site allowed as
unreachable.  Allow-list format: pvlint_allow.py.  Exit 0 when all passed.
"""
import argparse
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pvlint_elf import Elf32, ElfError, Symbolizer, alternatives  # noqa: E402
from pvlint_allow import load_allow, match_allow, stale_entries  # noqa: E402
from pvlint_traps import check_traps  # noqa: E402

try:
    import capstone
except ImportError:  # a Python of its own (pyenv) does not see Debian's modules
    sys.path.append("/usr/lib/python3/dist-packages")
    try:
        import capstone
    except ImportError:
        sys.exit("pvlint: python3-capstone is missing (bash tools/setup.sh lint)")

# key: (class, what it does in ring 1).  Keys are capstone's mnemonics with
# the size suffix and prefixes gone; MOV to or from CRn/DRn are mov-cr, mov-dr.
GP = "#GP(0) at CPL 1: the monitor kills the domain"
UD = "#UD at CPL > 0: bounced to the guest's handler"
RULES = {
    "cli": ("emulated", "#GP(0): emulated as the virtual IF off, counted; use evtchn_upcall_mask"),
    "sti": ("emulated", "#GP(0): emulated as the virtual IF on, counted; use evtchn_upcall_mask"),
    "hlt": ("emulated", "#GP(0): emulated as sched_op block, counted"),
    "popf": ("sensitive", "no trap: leaves EFLAGS.IF alone at IOPL 0 (SDM Vol. 1 3.4.3.3)"),
    "pushf": ("sensitive", "no trap: shows the real IF (always 1), not the virtual one"),
    "iret": ("sensitive", "no trap within ring 1 and 3, but IF is not restored at IOPL 0; the iret hypercall sets it"),
    "in": ("io", "#GP(0): IOPL 0, no I/O bitmap (SDM Vol. 1 18.2): killed"),
    "out": ("io", "#GP(0): IOPL 0, no I/O bitmap: killed"),
    "ins": ("io", "#GP(0): IOPL 0, no I/O bitmap: killed"),
    "outs": ("io", "#GP(0): IOPL 0, no I/O bitmap: killed"),
    "sgdt": ("leak", "shows the monitor's GDTR where the CPU lacks UMIP; #GP(0) where it has it"),
    "sidt": ("leak", "shows the monitor's IDTR where the CPU lacks UMIP; #GP(0) where it has it"),
    "sldt": ("leak", "shows LDTR where the CPU lacks UMIP; #GP(0) where it has it"),
    "str": ("leak", "shows the monitor's TR where the CPU lacks UMIP; #GP(0) where it has it"),
    "smsw": ("leak", "shows the real CR0 low bits where the CPU lacks UMIP; #GP(0) where it has it"),
    "sysenter": ("fastcall", "#GP(0): SYSENTER_CS is 0 under the monitor; bounced to the guest"),
    "syscall": ("fastcall", "#UD: EFER.SCE is 0; bounced to the guest"),
    "sysexit": ("privileged", GP),
    "sysret": ("privileged", GP),
}
for _m in ("lgdt lidt lldt ltr lmsw mov-cr mov-dr invlpg invd wbinvd wrmsr rdmsr rdpmc clts "
           "swapgs xsetbv xsaves xrstors invpcid").split():
    RULES[_m] = ("privileged", GP)
for _m in ("monitor mwait clac stac vmcall vmlaunch vmresume vmxoff vmxon vmread vmwrite vmptrld "
           "vmptrst vmclear invept invvpid vmrun vmmcall vmload vmsave stgi clgi skinit invlpga").split():
    RULES[_m] = ("cpl0-ud", UD)

PREFIXES = ("rep ", "repe ", "repne ", "repz ", "repnz ", "lock ", "bnd ", "notrack ")
SUFFIXED = {"pushfd": "pushf", "pushfw": "pushf", "popfd": "popf", "popfw": "popf", "iretd": "iret",
            "insb": "ins", "insw": "ins", "insd": "ins", "outsb": "outs", "outsw": "outs", "outsd": "outs"}
CTRL_REG = re.compile(r"\b([cd])r\d+\b")


def rule_key(mnemonic, op_str):
    """pvlint's name of an instruction, or None if it is not one it lists."""
    m = mnemonic
    while m.startswith(PREFIXES):
        m = m.split(" ", 1)[1]
    m = SUFFIXED.get(m, m)
    if m == "mov":
        r = CTRL_REG.search(op_str)
        return ("mov-cr" if r.group(1) == "c" else "mov-dr") if r else None
    return m if m in RULES else None


def feature_names(path):
    """{word * 32 + bit: "SMAP"} from Linux's arch/x86/include/asm/cpufeatures.h."""
    names = {}
    if path:
        with open(path) as f:
            for m in re.finditer(r"#define X86_(?:FEATURE|BUG)_(\w+)\s+\(\s*(\d+)\s*\*\s*32\s*\+\s*(\d+)\s*\)", f.read()):
                names.setdefault(int(m.group(2)) * 32 + int(m.group(3)), m.group(1))
    return names


def note_alternative(f, alts, everywhere, features):
    """A finding in a replacement of Linux's alternatives: name the site it
    patches and the CPU feature that makes it run there."""
    for start, end, site, feature, negated in alts:
        if start <= f["address"] < end:
            name, off = everywhere.name(site)
            f.update(symbol=name, offset=off, alt_site="0x%08x" % site,
                     feature=features.get(feature, "%d*32+%d" % divmod(feature, 32)),
                     feature_negated=negated)
            return


def lint_region(md, elf, region, alts=(), features=None):
    """(findings, instructions decoded) of one executable section."""
    sym = Symbolizer(elf, region)
    everywhere = Symbolizer(elf) if alts else None
    cuts = [b for b in sym.boundaries() if region.addr < b < region.addr + len(region.data)]
    starts = [region.addr] + cuts
    ends = cuts + [region.addr + len(region.data)]
    findings, count = [], 0
    for lo, hi in zip(starts, ends):
        chunk = region.data[lo - region.addr:hi - region.addr]
        for addr, size, mnem, ops in md.disasm_lite(chunk, lo):
            count += 1
            key = rule_key(mnem, ops)
            if key is None:
                continue
            name, off = sym.name(addr)
            findings.append({"address": addr, "insn": key, "text": (mnem + " " + ops).strip(),
                             "bytes": chunk[addr - lo:addr - lo + size].hex(),
                             "class": RULES[key][0], "symbol": name, "offset": off,
                             "section": region.name})
            if alts:
                note_alternative(findings[-1], alts, everywhere, features or {})
    return findings, count


def lint_image(md, path, features):
    with open(path, "rb") as f:
        elf = Elf32(f.read())
    findings, count = [], 0
    alts = alternatives(elf)
    for region in elf.code_regions():
        mine = [a for a in alts if region.addr <= a[0] < region.addr + len(region.data)]
        f, n = lint_region(md, elf, region, mine, features)
        findings += f
        count += n
    return findings, count


def where(f):
    s = f["symbol"] or "?"
    s = "%s+0x%x" % (s, f["offset"]) if f["offset"] else s
    if "feature" in f:  # a replacement: where it is patched in, and on which CPUs
        s = "%s [%sX86_FEATURE_%s]" % (s, "!" if f["feature_negated"] else "", f["feature"])
    return s


def print_table(path, findings, show_all):
    rows = [f for f in findings if show_all or not f.get("allowed")]
    if not rows:
        return
    print("  %-10s %-9s %-10s %-28s %-40s %s" % ("address", "insn", "class", "text", "symbol", "section / allowed because"))
    for f in rows:
        why = ("allowed (%s): %s" % (f["allowed"], f["reason"])) if f.get("allowed") else "NOT ALLOWED: " + RULES[f["insn"]][1]
        print("  0x%08x %-9s %-10s %-28s %-40s %s  %s" % (f["address"], f["insn"], f["class"], f["text"][:28],
                                                         where(f)[:40], f["section"], why))


def counts_by_insn(findings):
    c = {}
    for f in findings:
        c[f["insn"]] = c.get(f["insn"], 0) + 1
    return dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))


def main(argv):
    ap = argparse.ArgumentParser(description="List the instructions a ring-1 guest kernel must not execute.")
    ap.add_argument("images", nargs="+", metavar="IMAGE")
    ap.add_argument("-a", "--allow", action="append", default=[], metavar="FILE", help="allow-list (repeatable)")
    ap.add_argument("--no-allow", action="store_true", help="ignore the allow-lists: every finding fails")
    ap.add_argument("--json", metavar="FILE", help="write the findings as JSON ('-': standard output)")
    ap.add_argument("--all", action="store_true", help="list allowed findings too")
    ap.add_argument("--stale", action="store_true",
                    help="fail on allow-list entries that match nothing in the images they name (lint them all)")
    ap.add_argument("--cpufeatures", metavar="H", help="Linux's cpufeatures.h: names the CPU feature of each alternative")
    ap.add_argument("--traps", metavar="LOG", help="check the monitor's trap lines in LOG against the findings")
    ap.add_argument("--domain", default="*", metavar="GLOB", help="with --traps: the domains (by name) to check")
    opts = ap.parse_args(argv)
    try:
        entries = [] if opts.no_allow else load_allow(opts.allow)
    except ValueError as e:
        print("pvlint: %s" % e, file=sys.stderr)
        return 2
    if opts.traps and len(opts.images) != 1:
        print("pvlint: --traps takes exactly one image", file=sys.stderr)
        return 2
    try:
        features = feature_names(opts.cpufeatures)
    except OSError as e:
        print("pvlint: %s" % e, file=sys.stderr)
        return 2
    md = capstone.Cs(capstone.CS_ARCH_X86, capstone.CS_MODE_32)
    md.skipdata = True
    out = sys.stdout if opts.json != "-" else sys.stderr
    start = time.monotonic()
    report, passed, failed, skipped, total = [], 0, 0, 0, 0
    for path in opts.images:
        try:
            findings, n = lint_image(md, path, features)
        except (ElfError, OSError) as e:
            print("SKIP pvlint %s: not lintable: %s" % (path, e), file=out)
            report.append({"path": path, "error": str(e)})
            skipped += 1
            continue
        total += n
        match_allow(entries, path, findings)
        bad = [f for f in findings if not f.get("allowed")]
        c = counts_by_insn(findings)
        summary = ", ".join("%s=%d" % kv for kv in c.items()) or "none"
        if opts.traps:
            ok, lines = check_traps(opts.traps, opts.domain, findings)
            for line in lines:
                print(line, file=out)
            passed, failed = passed + ok[0], failed + ok[1]
        elif bad:
            failed += 1
            print("FAIL pvlint %s: %d of %d findings not allowed (%s)" % (path, len(bad), len(findings), summary), file=out)
        else:
            passed += 1
            print("PASS pvlint %s: %d findings, all allowed (%s)" % (path, len(findings), summary), file=out)
        if out is sys.stdout and not opts.traps:
            print_table(path, findings, opts.all)
        report.append({"path": path, "instructions": n, "counts": c, "not_allowed": len(bad),
                       "findings": [dict(f, address="0x%08x" % f["address"]) for f in findings]})
    if opts.stale and not opts.traps:
        for e in stale_entries(entries, [p for p in opts.images]):
            failed += 1
            seen = e.images_seen[0] + (" and %d more" % (len(e.images_seen) - 1) if len(e.images_seen) > 1 else "")
            print("FAIL pvlint %s:%d: allow-list entry matches nothing in %s (stale)" % (e.file, e.line, seen), file=out)
    secs = time.monotonic() - start
    print("pvlint: %d image(s), %d instructions decoded in %.2f s" % (len(opts.images), total, secs), file=out)
    if opts.json:
        doc = {"tool": "pvlint", "format": 1, "seconds": round(secs, 3), "images": report}
        if opts.json == "-":
            json.dump(doc, sys.stdout, indent=1)
            print()
        else:
            with open(opts.json, "w") as f:
                json.dump(doc, f, indent=1)
    print("%d passed, %d failed, %d skipped" % (passed, failed, skipped), file=out)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
