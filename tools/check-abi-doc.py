#!/usr/bin/env python3
"""tools/check-abi-doc.py: ABI.md (and the header comments, libpvguest's
README and the porting tutorial) must say what pv-abi/ defines.

- the hypercalls of RV_HYPERCALLS, with the same numbers, each in the
  table (with its "since" version) and with its own section;
- every RV_E* error code with its value;
- every constant quoted with a value (`RV_X` (N), `RV_X` = N, a table row
  | `RV_X` | N | or | `N` | `RV_X` |) has the header's value, in ABI.md,
  the tutorial and the headers' own comments (RV_X (N), RV_X = N);
- ranges the text repeats (direct gates, ports, GDT indexes, the hole's L2
  slots) agree with the constants and the monitor's own vectors;
- feature bits: each bit of RV_FEATURES_SUPPORTED is in the feature table
  with its value;
- the title's version is RV_ABI_MAJOR.RV_ABI_MINOR, and so is every
  "this monitor takes 1.0 to 1.N";
- the "Since which version" index lists every hypercall, constant and
  structure field of pv-abi/ exactly once;
- "Structure layouts" states exactly the sizes and offsets that
  pv-abi/abi_layout.h asserts (which the compiler checks against the structs);
- every domctl command of pv-abi/domctl.h is in the "Control domains"
  table with its number.
Prints one line per check and `N passed, N failed`."""
import glob
import re
import sys

HEADERS = sorted(glob.glob("pv-abi/*.h"))
hdr = open("pv-abi/hypercall.h").read()
abi_h = open("pv-abi/abi.h").read()
doc = open("ABI.md").read()
tutorial = open("docs/porting-tutorial.md").read()
layout_h = open("pv-abi/abi_layout.h").read()
header_text = {h: open(h).read() for h in HEADERS}

passed = failed = 0


def check(ok, what):
    global passed, failed
    print(("PASS " if ok else "FAIL ") + what)
    if ok:
        passed += 1
    else:
        failed += 1


# ---- the values of the headers' object-like macros --------------------------
defines = {}
for text in header_text.values():
    for name, body in re.findall(r"^#define (RV_\w+)[ \t]+([^\n]*)", text, re.M):
        defines[name] = re.sub(r"/\*.*?\*/", "", body).strip()


def value(name, depth=0):
    """The integer value of a macro, or None (strings, types, expressions we do not evaluate)."""
    body = defines.get(name)
    if body is None or depth > 8:
        return None
    expr = re.sub(r"\b(0x[0-9a-fA-F]+|\d+)[uUlL]*\b", r"\1", body)

    def ref(m):
        v = value(m.group(0), depth + 1)
        if v is None:
            raise ValueError(m.group(0))
        return str(v)
    try:
        expr = re.sub(r"\bRV_\w+\b", ref, expr)
        if not re.fullmatch(r"[0-9a-fA-Fx()+\-*<>|&~ ]+", expr):
            return None
        return int(eval(expr, {"__builtins__": {}}))
    except (ValueError, SyntaxError, TypeError):
        return None


def num(s):
    return int(s, 0)


# ---- hypercalls and errors ---------------------------------------------------
calls = [(int(n), name) for n, name in re.findall(r"X\((\d+),\s*(\w+),\s*\d+\)", hdr)]
errors = [(name, int(v)) for name, v in re.findall(r"#define (RV_E\w+) (\d+)", abi_h)]
table = {int(n): (name, since) for n, name, since in
         re.findall(r"^\| (\d+) \| `(\w+)` \|[^\n]*\| (1\.\d+) \|$", doc, re.M)}
sections = {int(n): name for n, name in re.findall(r"^### (\d+) `(\w+)\(", doc, re.M)}
err_rows = {name: int(v) for name, v in re.findall(r"^\| `(RV_E\w+)` \| (\d+) \|", doc, re.M)}

check(len(calls) > 0, "pv-abi/hypercall.h lists hypercalls")
for n, name in calls:
    check(table.get(n, (None,))[0] == name, f"ABI.md table: {n} {name}")
    check(sections.get(n) == name, f"ABI.md section: {n} {name}")
check(set(table) == {n for n, _ in calls}, "ABI.md table has no extra hypercalls")
for name, v in errors:
    check(err_rows.get(name) == v, f"ABI.md errors: {name} = {v}")

# ---- constants quoted with a value --------------------------------------------
QUOTES = [r"`(RV_\w+)` \((0x[0-9a-fA-F]+|\d+)[,)]",          # `RV_X` (N) or (N, ...
          r"`(RV_\w+)` = `?(0x[0-9a-fA-F]+|\d+)\b",          # `RV_X` = N
          r"^\| `(RV_\w+)` \| `?(0x[0-9a-fA-F]+|\d+)`? \|"]  # | `RV_X` | N |
ROW_VALUE_FIRST = r"^\| `(0x[0-9a-fA-F]+|\d+)` \| `(RV_\w+)` \|"
HDR_QUOTES = [r"\b(RV_\w+) \((0x[0-9a-fA-F]+|\d+)\)", r"\b(RV_\w+) = (0x[0-9a-fA-F]+|\d+)\b"]


def quoted(text, patterns, where):
    seen = 0
    for pat in patterns:
        for name, v in re.findall(pat, text, re.M):
            if name not in defines:
                continue
            want = value(name)
            if want is None:
                continue
            seen += 1
            check(want == num(v), f"{where}: {name} quoted as {v} is {want:#x}")
    return seen


n = quoted(doc, QUOTES, "ABI.md")
for v, name in re.findall(ROW_VALUE_FIRST, doc, re.M):
    n += 1
    check(value(name) == num(v), f"ABI.md: {name} in a table as {v} is {value(name)}")
check(n >= 30, f"ABI.md quotes constants with values ({n} found)")
quoted(tutorial, QUOTES, "docs/porting-tutorial.md")
for h, text in header_text.items():
    comments = " ".join(re.findall(r"/\*.*?\*/", text, re.S))
    quoted(comments, HDR_QUOTES, h + " comments")

# ---- ranges the text repeats ----------------------------------------------------
mon_vec = {}
for f in ("monitor/time.h", "monitor/trap.h"):
    for name, v in re.findall(r"#define (VEC_\w+) (0x[0-9a-fA-F]+|\d+)", open(f).read()):
        mon_vec[name] = num(v)
direct_lo, direct_hi = mon_vec["VEC_IRQ_END"], mon_vec["VEC_TIMER"] - 1
texts = dict(header_text, **{"ABI.md": doc, "docs/porting-tutorial.md": tutorial,
                             "libpvguest/README.md": open("libpvguest/README.md").read()})
found = 0
for where, text in texts.items():
    for lo, hi in re.findall(r"(0x30)`?\s*-\s*`?(0x[0-9a-f]{2})\b", text):
        found += 1
        check((num(lo), num(hi)) == (direct_lo, direct_hi),
              f"{where}: the direct-gate range {lo}-{hi} is the monitor's {direct_lo:#x}-{direct_hi:#x}")
check(found >= 3, f"the direct-gate range is stated ({found} places)")
RANGES = [(r"Ports are 1 \.\. (\d+)", value("RV_NR_EVTCHN") - 1, "event-channel ports"),
          (r"`index` \(1 \.\. (\d+)\)", value("RV_GDT_GUEST_ENTRIES") - 1, "update_descriptor index"),
          (r"in\s+slots (\d+)-511", value("RV_L2_HOLE_FIRST"), "the hole's top-L2 slots"),
          (r"`count` \(1 \.\. (\d+)\)", value("RV_GDT_GUEST_ENTRIES"), "set_gdt count")]
for pat, want, what in RANGES:
    got = [int(x) for x in re.findall(pat, doc)]
    check(got and all(g == want for g in got), f"ABI.md: {what} range ends at {want} ({got})")

# ---- feature bits -----------------------------------------------------------------
supported = value("RV_FEATURES_SUPPORTED")
feat_rows = {name: (num(bit), since) for name, bit, since in
             re.findall(r"^\| `(RV_FEAT_\w+)` \| (\d+) \(`1u << \d+`\) \| (1\.\d+) \|", doc, re.M)}
for name in [n for n in defines if n.startswith("RV_FEAT_")]:
    bit = value(name)
    row = feat_rows.get(name)
    check(row is not None and bit == 1 << row[0], f"ABI.md feature table: {name} = bit {row and row[0]}")
    check(bit is not None and supported is not None and (supported & bit) == bit,
          f"{name} is in RV_FEATURES_SUPPORTED")

# ---- the version ---------------------------------------------------------------------
ver = "%d.%d" % (value("RV_ABI_MAJOR"), value("RV_ABI_MINOR"))
check(re.search(r"^# The ringvisor guest ABI, version (\d+\.\d+)$", doc, re.M).group(1) == ver,
      f"ABI.md title: version {ver}")
for where, text in texts.items():
    for got in re.findall(r"this monitor takes 1\.0\s+to\s+(1\.\d+)", text):
        check(got == ver, f"{where}: 'this monitor takes 1.0 to {got}' names {ver}")

# ---- the since index ------------------------------------------------------------------
m = re.search(r"^### Since which version\n(.*?)(?=^## )", doc, re.M | re.S)
index = {}
dups = []
for since, items in re.findall(r"^\| (1\.\d+) \| (.*) \|$", m.group(1) if m else "", re.M):
    for item in re.findall(r"`([\w.]+)`", items):
        if item in index:
            dups.append(item)
        index[item] = since
check(not dups, f"since index: nothing listed twice ({dups[:5]})")
want_items = set(name for _, name in calls)
want_items |= {n for n in defines if not n.endswith("_H") and not re.match(r"RV_(SIZE|FIELD|FLEX)$", n)}
want_items -= {n for n in defines if re.match(r"^#define %s\(" % n, "\n".join(header_text.values()), re.M)}
for h, text in header_text.items():
    for st, body in re.findall(r"^struct (rv_\w+) \{\n(.*?)^\};", text, re.M | re.S):
        for line in body.splitlines():
            f = re.match(r"\s*(?:const\s+)?(?:struct\s+)?\w+\s+(\w+)(\[[^\]]*\])?;", line)
            if f and not f.group(1).startswith(("pad", "reserved")):
                want_items.add(st + "." + f.group(1))
missing = sorted(want_items - set(index))
extra = sorted(set(index) - want_items)
check(not missing, f"since index lists every hypercall, constant and field ({len(index)}; missing {missing[:8]})")
check(not extra, f"since index names nothing pv-abi lacks ({extra[:8]})")
for n, name in calls:
    check(table.get(n, (0, 0))[1] == index.get(name), f"hypercall {name}: since {index.get(name)} in both")

# ---- structure layouts -------------------------------------------------------------------
h_size = {s: int(v) for s, v in re.findall(r"^RV_SIZE\((\w+), (\d+)\);", layout_h, re.M)}
h_field = {(s, f): (int(o), int(z)) for s, f, o, z in
           re.findall(r"^RV_FIELD\((\w+), (\w+), (\d+), (\d+)\);", layout_h, re.M)}
h_field.update({(s, f): (int(o), 0) for s, f, o in re.findall(r"^RV_FLEX\((\w+), (\w+), (\d+)\);", layout_h, re.M)})
sec = re.search(r"^## Structure layouts\n(.*?)(?=^## |\Z)", doc, re.M | re.S)
d_size, d_field, cur = {}, {}, None
for line in (sec.group(1) if sec else "").splitlines():
    s = re.match(r"\*\*`struct (\w+)`\*\* \(`pv-abi/[\w.]+`\): (\d+) bytes", line)
    if s:
        cur = s.group(1)
        d_size[cur] = int(s.group(2))
        continue
    f = re.match(r"^\| `(\w+)` \| (\d+) \| (\d+|\[\]) \|$", line)
    if f and cur:
        d_field[(cur, f.group(1))] = (int(f.group(2)), 0 if f.group(3) == "[]" else int(f.group(3)))
structs_in_headers = set(re.findall(r"^struct (rv_\w+) \{", "\n".join(header_text.values()), re.M))
check(structs_in_headers == set(h_size), "pv-abi/abi_layout.h covers every structure of pv-abi/")
check(d_size == h_size, "ABI.md structure sizes = pv-abi/abi_layout.h (%d structures)" % len(h_size))
check(d_field == h_field, "ABI.md field offsets and sizes = pv-abi/abi_layout.h (%d fields)" % len(h_field))

# ---- domctl commands ---------------------------------------------------------------------
domctl_h = open("pv-abi/domctl.h").read()
domctl = [(name, int(v)) for name, v in re.findall(r"#define (RV_DOMCTL_(?!\w*_MAX)\w+) (\d+)", domctl_h)]
ctl_rows = {name: int(v) for name, v in re.findall(r"^\| `(RV_DOMCTL_\w+)` \((\d+)\) \|", doc, re.M)}
check(len(domctl) > 0, "pv-abi/domctl.h lists domctl commands")
for name, v in domctl:
    check(ctl_rows.get(name) == v, f"ABI.md domctl table: {name} = {v}")
check(set(ctl_rows) == {n for n, _ in domctl}, "ABI.md domctl table has no extra commands")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
