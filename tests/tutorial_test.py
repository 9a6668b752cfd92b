#!/usr/bin/env python3
"""tests/tutorial_test.py: the porting tutorial cannot rot.

Boots build/tests/tutorial/tutorial.elf (tests/tutorial/, pv-abi only)
alone on QEMU TCG with `autoexit` and compares its console, line by line,
with the output docs/porting-tutorial.md quotes in its ```output blocks,
in order; QEMU's exit status must be 1 (every domain exited poweroff code
0, README.md "Exit status").  Where Bochs is installed it boots it there
too (a GRUB ISO): Bochs checks segments as hardware does, so the DS/ES
reload before the IRET to ring 3 (a pitfall the tutorial names) is tested;
without Bochs that half is skipped.

    tests/tutorial_test.py [BUILD]

Prints one PASS/FAIL line per step and `N passed, N failed`.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from outcome_test import boot, ROOT  # noqa: E402

BUILD = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build")
DOC = os.path.join(ROOT, "docs", "porting-tutorial.md")


def expected():
    text = open(DOC).read()
    return [l for block in re.findall(r"^```output\n(.*?)^```", text, re.M | re.S)
            for l in block.splitlines()]


def lines(text):
    return [m.group(1) for m in re.finditer(r"^\[d\d+ tutorial\] (.*?)\r?$", text, re.M)]


def compare(want, got, tag):
    checks = []
    for i, w in enumerate(want):
        g = got[i] if i < len(got) else "(nothing)"
        checks.append((g == w, "%s line %d: %s" % (tag, i + 1, w) + ("" if g == w else " -- the guest printed: " + g)))
    checks.append((len(got) == len(want), "%s: no more lines than quoted (%d printed)" % (tag, len(got))))
    return checks


def bochs(elf):
    """The tutorial on Bochs from a GRUB ISO; its serial text, or None without Bochs."""
    if not shutil.which("bochs") or not shutil.which("grub-mkrescue"):
        return None
    with tempfile.TemporaryDirectory() as tmp:
        iso, serial = os.path.join(tmp, "t.iso"), os.path.join(tmp, "serial")
        subprocess.run([os.path.join(ROOT, "tools/mkiso.sh"), iso, os.path.join(BUILD, "monitor.elf"),
                        "autoexit", elf + " name=tutorial"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        subprocess.run([os.path.join(ROOT, "tools/run-bochs.sh"), "--serial", serial, "--megs", "64", iso],
                       cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.STDOUT, timeout=120)
        return open(serial, errors="replace").read() if os.path.exists(serial) else ""


def main():
    passed = failed = skipped = 0
    want = expected()
    elf = os.path.join(BUILD, "tests/tutorial/tutorial.elf")
    status, text = boot([elf + " name=tutorial"])
    checks = [(len(want) >= 6, "the tutorial quotes the output of every step (%d lines)" % len(want))]
    checks += compare(want, lines(text), "QEMU")
    checks.append((status == 1, "QEMU exit status 1 (got %s)" % status))
    btext = bochs(elf)
    if btext is None:
        print("SKIP Bochs: not installed (tools/setup.sh bochs)")
        skipped += 1
    else:
        checks += compare(want, lines(btext), "Bochs")
    for ok, what in checks:
        print(("PASS " if ok else "FAIL ") + what)
        passed += ok
        failed += not ok
    print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
