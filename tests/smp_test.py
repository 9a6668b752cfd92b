#!/usr/bin/env python3
"""tests/smp_test.py: the monitor on every CPU (monitor/smp.c, cpufind.c).

Boots the monitor with one guest and checks its console lines:
  - QEMU TCG -smp 1: one CPU, no AP started, the guest passes (single-CPU
    behaviour as before);
  - QEMU -smp 2 and -smp 4 on multi-threaded TCG: the MADT lists every
    CPU; each AP says `started` and prints the same `(rv) cpu:` state line
    as the boot CPU (cr0, cr4, ldtr, tr, dr7, sysenter_cs, efer, umip
    equal), with its own number; every AP has its own GDT and TSS; the
    guest passes;
  - acpi=off: the MP table is read instead (SeaBIOS's lists the boot CPU
    only: it is not where QEMU describes the others);
  - apic-extra=7 (an APIC id no CPU has): the `not started` line with the
    timeout, the others still start, the guest still passes;
  - Bochs with `cpu: count=2` (Debian's Bochs 2.7 is built with SMP):
    the same checks as -smp 2 on the strict CPU; skipped with the reason
    when Bochs or the ISO tools are missing;
  - in every run, no monitor line is broken by another's (the console lock).

    tests/smp_test.py [--no-bochs] [BUILD]       (default build/)

(--no-bochs: make check-tcg, the QEMU cases only.)

Prints one PASS/FAIL/SKIP line per case and `N passed, N failed`.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

from hostcheck import Tally

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ARGS = [a for a in sys.argv[1:] if a != "--no-bochs"]
NO_BOCHS = "--no-bochs" in sys.argv[1:]
BUILD = ARGS[0] if ARGS else os.path.join(ROOT, "build")
STATE = re.compile(r"^\(rv\) cpu: (cr0 .* umip \S+) cpu (\d+)\s*$", re.M)
STARTED = re.compile(r"^\(rv\) smp: cpu (\d+) apic (\d+): started, parked \(gdt (0x[0-9a-f]+) tss (0x[0-9a-f]+)\)",
                     re.M)
LISTED = re.compile(r"^\(rv\) smp: (\d+) CPUs? in the (ACPI MADT|MP table), APIC ids ([\d ]+)$", re.M)
ONLINE = re.compile(r"^\(rv\) smp: (\d+) of (\d+) CPUs online", re.M)

TALLY = Tally()
check = TALLY.check


def wait(p, serial, timeout):
    start = time.monotonic()
    while p.poll() is None and time.monotonic() - start < timeout:
        time.sleep(0.1)
        text = open(serial, errors="replace").read() if os.path.exists(serial) else ""
        if "(rv) outcome:" in text:
            time.sleep(0.3)
            break
    if p.poll() is None:
        p.kill()
    p.wait()
    return open(serial, errors="replace").read().replace("\r", "") if os.path.exists(serial) else ""


def qemu(smp, append="autoexit", timeout=60):
    guest = os.path.join(BUILD, "guests/hello.elf") + " name=one -- smp test"
    with tempfile.TemporaryDirectory() as tmp:
        serial = os.path.join(tmp, "serial")
        cmd = [os.path.join(ROOT, "tools/run-qemu.sh"), "--serial", serial, "--mem", "128",
               "--smp", str(smp), "--kernel", os.path.join(BUILD, "monitor.elf"),
               "--append", append, "--module", guest]
        p = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        return wait(p, serial, timeout)


def bochs(cpus, timeout=120):
    """Boot the GRUB ISO in Bochs with cpu: count=N; None if it cannot run here."""
    if not shutil.which("bochs") or not shutil.which("grub-mkrescue"):
        return None
    guest = os.path.join(BUILD, "guests/hello.elf") + " name=one -- smp test"
    with tempfile.TemporaryDirectory() as tmp:
        iso, serial = os.path.join(tmp, "t.iso"), os.path.join(tmp, "serial")
        mk = subprocess.run([os.path.join(ROOT, "tools/mkiso.sh"), iso,
                             os.path.join(BUILD, "monitor.elf"), "autoexit", guest],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if mk.returncode != 0:
            return None
        rc = open(os.path.join(ROOT, "tools/bochsrc.in")).read()
        rc = rc.replace("@ISO@", iso).replace("@SERIAL@", serial).replace("@MEGS@", "128")
        rc = re.sub(r"^cpu: ", "cpu: count=%d, " % cpus, rc, flags=re.M)
        with open(os.path.join(tmp, "bochsrc"), "w") as f:
            f.write(rc)
        with open(os.path.join(tmp, "cont"), "w") as f:
            f.write("c\n")
        open(serial, "w").close()
        p = subprocess.Popen(["bochs", "-q", "-f", "bochsrc", "-rc", "cont"], cwd=tmp,
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.STDOUT, start_new_session=True)
        return wait(p, serial, timeout)


def guest_passed(text):
    return "(rv) d1 one: exit poweroff code 0" in text and "(rv) outcome: 0 " in text


def lines_whole(text):
    """Every "(rv)" starts its line and appears once in it: no line was cut into another."""
    bad = [l for l in text.splitlines() if "(rv)" in l and (not l.startswith("(rv) ") or l.count("(rv)") > 1)]
    return not bad, "; ".join(bad[:3])


def check_all_started(tag, text, n):
    listed = LISTED.search(text)
    check(bool(listed) and int(listed.group(1)) == n and listed.group(2) == "ACPI MADT",
          "%s: the MADT lists %d CPUs" % (tag, n), listed.group(0) if listed else "no list line")
    states = STATE.findall(text)
    nums = sorted(int(c) for _, c in states)
    check(nums == list(range(n)), "%s: a `(rv) cpu:` state line from each of cpu 0..%d" % (tag, n - 1),
          "cpu lines from %s" % nums)
    check(len(set(s for s, _ in states)) == 1 and states and "ldtr 0x0 " in states[0][0],
          "%s: the same state (LDTR null, CR0, CR4, DR7, SYSENTER_CS, EFER) on every CPU" % tag,
          "; ".join(sorted(set(s for s, _ in states))))
    started = STARTED.findall(text)
    check(sorted(int(c) for c, _, _, _ in started) == list(range(1, n)),
          "%s: every AP says started" % tag, "started: %s" % started)
    gdts, tsses = {g for _, _, g, _ in started}, {t for _, _, _, t in started}
    check(len(gdts) == len(started) and len(tsses) == len(started),
          "%s: each AP has its own GDT and TSS" % tag, "gdt %s tss %s" % (sorted(gdts), sorted(tsses)))
    online = ONLINE.search(text)
    check(bool(online) and online.group(1) == online.group(2) == str(n),
          "%s: %d of %d CPUs online" % (tag, n, n), online.group(0) if online else "no online line")
    check(guest_passed(text), "%s: the guest runs and passes" % tag, "no clean exit")
    ok, bad = lines_whole(text)
    check(ok, "%s: no monitor line broken by another" % tag, bad)


def main():
    text = qemu(1)
    check(len(STATE.findall(text)) == 1 and not STARTED.search(text) and guest_passed(text),
          "smp 1: one CPU, no AP, the guest passes", text[-400:])
    for n in (2, 4):
        check_all_started("qemu -smp %d" % n, qemu(n), n)

    text = qemu(4, "autoexit acpi=off")
    listed = LISTED.search(text)
    check(bool(listed) and listed.group(2) == "MP table" and "0" in listed.group(3).split()
          and guest_passed(text), "acpi=off: the MP table is read, it lists the boot CPU",
          listed.group(0) if listed else "no list line")

    text = qemu(2, "autoexit apic-extra=7")
    check(re.search(r"^\(rv\) smp: apic 7: not started: no answer to INIT-SIPI-SIPI within \d+ ms$",
                    text, re.M) is not None,
          "apic-extra=7: an APIC id with no CPU is reported not started", text[-600:])
    check(len(STARTED.findall(text)) == 1 and "(rv) smp: 2 of 3 CPUs online" in text and guest_passed(text),
          "apic-extra=7: the real AP still starts, the guest still passes", text[-600:])

    text = None if NO_BOCHS else bochs(2)
    if NO_BOCHS:
        TALLY.skip("bochs cpu: count=2", "--no-bochs (make check-tcg)")
    elif text is None:
        TALLY.skip("bochs cpu: count=2", "bochs or grub-mkrescue missing (tools/setup.sh bochs)")
    else:
        check_all_started("bochs count=2", text, 2)
    return TALLY.summary()


if __name__ == "__main__":
    sys.exit(main())
