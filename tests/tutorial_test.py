#!/usr/bin/env python3
"""tests/tutorial_test.py: the porting tutorial cannot rot.

Boots build/tests/tutorial/tutorial.elf (tests/tutorial/, pv-abi only)
alone on QEMU TCG with `autoexit` and compares its console, line by line,
with the output docs/porting-tutorial.md quotes in its ```output blocks,
in order; QEMU's exit status must be 1 (every domain exited poweroff code
0, README.md "Exit status").

    tests/tutorial_test.py [BUILD]

Prints one PASS/FAIL line per step and `N passed, N failed`.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from outcome_test import boot, ROOT  # noqa: E402

BUILD = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build")
DOC = os.path.join(ROOT, "docs", "porting-tutorial.md")


def expected():
    text = open(DOC).read()
    return [l for block in re.findall(r"^```output\n(.*?)^```", text, re.M | re.S)
            for l in block.splitlines()]


def main():
    passed = failed = 0
    want = expected()
    status, text = boot([os.path.join(BUILD, "tests/tutorial/tutorial.elf") + " name=tutorial"])
    got = [m.group(1) for m in re.finditer(r"^\[d\d+ tutorial\] (.*?)\r?$", text, re.M)]
    checks = [(len(want) >= 6, "the tutorial quotes the output of every step (%d lines)" % len(want))]
    for i, w in enumerate(want):
        g = got[i] if i < len(got) else "(nothing)"
        checks.append((g == w, "line %d: %s" % (i + 1, w) + ("" if g == w else " -- the guest printed: " + g)))
    checks.append((len(got) == len(want), "no more lines than quoted (%d printed)" % len(got)))
    checks.append((status == 1, "QEMU exit status 1 (got %s)" % status))
    for ok, what in checks:
        print(("PASS " if ok else "FAIL ") + what)
        passed += ok
        failed += not ok
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
