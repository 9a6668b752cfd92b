# tools/pvlint_traps.py: pvlint --traps, the static findings against what
# the monitor saw at run time.  The monitor notes every ring-1 #GP(0) that
# was not a 4 GiB segment flip by site and prints `dN NAME: trapped:
# INSN@0xLIN=N ...` when the domain ends, beside its `emulated` counts and
# its `profile:` per-vector counts (tests/PROTOCOL.md).  Each such site
# must be an instruction pvlint found at that address, of the same kind
# when the monitor names it, and not on a site the allow-list calls
# unreachable; the emulated CLI/STI/HLT counts must be the sum of their
# sites (when no site was lost), and no more sites may have trapped than
# ring-1 #GP(0)s were counted.
import fnmatch
import re

LINE = re.compile(r"^\(rv\) d(\d+) (\S+): (trapped|emulated|profile):? (.*)$")
# The monitor names MOV CRn/DRn with the register ("mov cr3"; "mov crN" before ABI 1.5).
MONITOR_NAME = re.compile(r"mov ([cd])r([0-7]|N)$")


def read_domains(log):
    """{(id, name): {"sites": [(insn, lin, n)], "lost": n, "emulated": {}, "vec": {}}}"""
    doms = {}
    with open(log, errors="replace") as f:
        for raw in f:
            m = LINE.match(raw.rstrip("\r\n"))
            if not m:
                continue
            d = doms.setdefault((int(m.group(1)), m.group(2)), {"sites": [], "lost": 0, "emulated": {}, "vec": {}})
            rest = m.group(4)
            if m.group(3) == "trapped":
                for insn, lin, n in re.findall(r"(mov [cd]r[0-7N]|[^\s@]+)@0x([0-9a-f]+)=(\d+)", rest):
                    m2 = MONITOR_NAME.match(insn)
                    d["sites"].append(("mov-%sr" % m2.group(1) if m2 else insn, int(lin, 16), int(n)))
                lost = re.search(r"\+(\d+) at other sites", rest)
                d["lost"] = int(lost.group(1)) if lost else 0
            elif m.group(3) == "emulated":
                d["emulated"] = {k: int(v) for k, v in re.findall(r"\b(cli|sti|hlt)=(\d+)", rest)}
            else:
                d["vec"] = {k: int(v) for k, v in re.findall(r"\b(vec\d+|segfix|softint)=(\d+)", rest)}
    return doms


def check_domain(tag, d, by_addr):
    errors = []
    for insn, lin, n in d["sites"]:
        f = by_addr.get(lin)
        if f is None:
            errors.append("%s@0x%x trapped %d time(s): pvlint found no such instruction there" % (insn, lin, n))
        elif insn != "?" and f["insn"] != insn:
            errors.append("%s@0x%x trapped, but pvlint found %s there" % (insn, lin, f["insn"]))
        elif f.get("kind") == "unreachable":
            errors.append("%s@0x%x (%s) trapped %d time(s), but %s calls it unreachable" % (
                insn, lin, f["symbol"], n, f["allowed"]))
    for insn, count in d["emulated"].items():
        at_sites = sum(n for i, _, n in d["sites"] if i == insn)
        if at_sites > count or (at_sites < count and not d["lost"]):
            errors.append("emulated %s=%d but its sites add up to %d" % (insn, count, at_sites))
    # vec13 counts the #GPs the monitor did not resolve itself: segfix
    # flips, int n (softint=) and emulated CLI/STI/HLT are counted apart.
    gp = d["vec"].get("vec13", 0) + sum(d["emulated"].values())
    noted = sum(n for _, _, n in d["sites"]) + d["lost"]
    if noted > gp:
        errors.append("%d traps noted by site, more than the %d ring-1/3 #GPs that were not flips" % (noted, gp))
    sites = ", ".join("%s@0x%x=%d" % s for s in d["sites"]) or "none"
    info = "%s: %d site(s) (%s), emulated %s, vec13=%d segfix=%d" % (
        tag, len(d["sites"]), sites, " ".join("%s=%d" % kv for kv in d["emulated"].items()) or "-",
        d["vec"].get("vec13", 0), d["vec"].get("segfix", 0))
    return errors, info


def check_traps(log, domain_glob, findings):
    """((passed, failed), lines): one PASS or FAIL line per domain of LOG named by domain_glob."""
    by_addr = {f["address"]: f for f in findings}
    try:
        doms = read_domains(log)
    except OSError as e:
        return (0, 1), ["FAIL pvlint-traps %s: %s" % (log, e)]
    chosen = [(k, d) for k, d in sorted(doms.items()) if fnmatch.fnmatchcase(k[1], domain_glob)]
    if not chosen:
        return (0, 1), ["FAIL pvlint-traps %s: no domain named %s ended in it" % (log, domain_glob)]
    lines, ok = [], [0, 0]
    for (did, name), d in chosen:
        errors, info = check_domain("d%d %s" % (did, name), d, by_addr)
        if errors:
            ok[1] += 1
            lines.append("FAIL pvlint-traps %s %s; %s" % (log, info, "; ".join(errors)))
        else:
            ok[0] += 1
            lines.append("PASS pvlint-traps %s %s: every one found by pvlint" % (log, info))
    return tuple(ok), lines
