#!/usr/bin/env python3
"""tools/check-abi-doc.py: ABI.md must document exactly the hypercalls that
pv-abi/hypercall.h defines (RV_HYPERCALLS), with the same numbers, each in
the table and with its own section; every RV_E* error code with its value;
and every domctl command of pv-abi/domctl.h in the "Control domains" table.
Prints one line per check and `N passed, N failed`."""
import re
import sys

hdr = open("pv-abi/hypercall.h").read()
abi_h = open("pv-abi/abi.h").read()
doc = open("ABI.md").read()

calls = [(int(n), name) for n, name in re.findall(r"X\((\d+),\s*(\w+),\s*\d+\)", hdr)]
errors = [(name, int(v)) for name, v in re.findall(r"#define (RV_E\w+) (\d+)", abi_h)]
table = {int(n): name for n, name in re.findall(r"^\| (\d+) \| `(\w+)` \|", doc, re.M)}
sections = {int(n): name for n, name in re.findall(r"^### (\d+) `(\w+)\(", doc, re.M)}
err_rows = {name: int(v) for name, v in re.findall(r"^\| `(RV_E\w+)` \| (\d+) \|", doc, re.M)}

passed = failed = 0


def check(ok, what):
    global passed, failed
    print(("PASS " if ok else "FAIL ") + what)
    if ok:
        passed += 1
    else:
        failed += 1


check(len(calls) > 0, "pv-abi/hypercall.h lists hypercalls")
for n, name in calls:
    check(table.get(n) == name, f"ABI.md table: {n} {name}")
    check(sections.get(n) == name, f"ABI.md section: {n} {name}")
check(set(table) == {n for n, _ in calls}, "ABI.md table has no extra hypercalls")
for name, v in errors:
    check(err_rows.get(name) == v, f"ABI.md errors: {name} = {v}")
domctl_h = open("pv-abi/domctl.h").read()
domctl = [(name, int(v)) for name, v in re.findall(r"#define (RV_DOMCTL_(?!\w*_MAX)\w+) (\d+)", domctl_h)]
ctl_rows = {name: int(v) for name, v in re.findall(r"^\| `(RV_DOMCTL_\w+)` \((\d+)\) \|", doc, re.M)}
check(len(domctl) > 0, "pv-abi/domctl.h lists domctl commands")
for name, v in domctl:
    check(ctl_rows.get(name) == v, f"ABI.md domctl table: {name} = {v}")
check(set(ctl_rows) == {n for n, _ in domctl}, "ABI.md domctl table has no extra commands")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
