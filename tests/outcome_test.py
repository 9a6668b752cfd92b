#!/usr/bin/env python3
"""tests/outcome_test.py: the emulator's exit status carries the guests'
outcome (monitor/outcome.c, README.md "Running guests", tests/PROTOCOL.md).

Boots QEMU TCG with `autoexit` and checks $? and the `(rv) outcome:` line:
all good (1), the first failing guest's exit code (42 -> 85), a kill (201),
a refused module beside a good guest (207); and, without the
isa-debug-exit device, that the monitor says so on the console and halts
instead of leaving QEMU running with no word.

    tests/outcome_test.py [BUILD]       (default build/)

Prints one PASS/FAIL line per case and `N passed, N failed`.
"""
import os
import re
import subprocess
import sys
import tempfile
import time

from hostcheck import Tally

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build")
EXIT_DEVICE = ["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]


def boot(modules, device=True, timeout=60, until=None):
    """Boot the monitor with modules; returns (status or None, serial text)."""
    with tempfile.TemporaryDirectory() as tmp:
        serial = os.path.join(tmp, "serial")
        cmd = ["qemu-system-i386", "-m", "64", "-no-reboot", "-display", "none", "-nic", "none",
               "-vga", "none", "-accel", "tcg", "-serial", "file:" + serial, "-monitor", "none",
               "-kernel", os.path.join(BUILD, "monitor.elf"), "-append", "autoexit",
               "-initrd", ",".join(modules)] + (EXIT_DEVICE if device else [])
        p = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        start, text = time.monotonic(), ""
        while p.poll() is None and time.monotonic() - start < timeout:
            time.sleep(0.1)
            text = open(serial, errors="replace").read() if os.path.exists(serial) else ""
            if until and until in text:
                time.sleep(0.5)
                break
        status = p.poll()
        if status is None:
            p.kill()
            p.wait()
        text = open(serial, errors="replace").read() if os.path.exists(serial) else ""
        return status, text


TALLY = Tally()
check = TALLY.check


def outcome(text):
    m = re.search(r"^\(rv\) outcome: (\d+) \((.*)\)\s*$", text, re.M)
    return (int(m.group(1)), m.group(2)) if m else None


def g(name):
    return os.path.join(BUILD, name)


def main():
    demo = g("guests/demo.elf")
    cases = [
        ("every guest exits 0: status 1", [demo + " name=a -- exit=0", demo + " name=b -- exit=0"],
         1, 0, "every domain exited poweroff code 0"),
        ("first failing guest's code 42: status 85", [demo + " name=a -- exit=0", demo + " name=b -- exit=42"],
         85, 42, "d2 b exit poweroff code 42"),
        ("a killed guest: status 201", [g("tests/conformance/core-priv.elf") + " name=k -- insn=clts"],
         201, 100, "d1 k killed"),
        ("a refused module beside a good guest: status 207",
         [g("tests/conformance/seg/img-not-elf.elf"), demo + " name=a -- exit=0"],
         207, 103, "module 0 refused"),
    ]
    for what, mods, want_status, want_v, want_why in cases:
        status, text = boot(mods)
        got = outcome(text)
        check(status == want_status, what, "QEMU exited %s" % status)
        check(got == (want_v, want_why), what + ": the outcome line", "got %r" % (got,))
    status, text = boot([demo + " -- exit=3"], device=False, timeout=30, until="(rv) autoexit:")
    check("(rv) autoexit: no exit device: QEMU needs -device isa-debug-exit,iobase=0xf4,iosize=0x04" in text,
          "no isa-debug-exit: the monitor says so", text.strip().splitlines()[-1] if text.strip() else "no output")
    check(outcome(text) == (3, "d1 demo exit poweroff code 3"), "no isa-debug-exit: the outcome line still printed",
          repr(outcome(text)))
    return TALLY.summary()


if __name__ == "__main__":
    sys.exit(main())
