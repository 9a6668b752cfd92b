#!/usr/bin/env python3
"""tests/bench/tbprof.py: where the instructions of one hvbench operation go.

    python3 tests/bench/tbprof.py OP [--div N] [--reps N] [--top N]

Boots the monitor with the two hvbench domains under QEMU TCG with
`-icount shift=0,sleep=off` and `-d in_asm,exec,nochain`, timing only the
figure OP (guest argument only=OP).  hvbench calls bench_mark_begin and
bench_mark_end around each timed loop; every translation block executed
between the two (in either domain, and in the monitor) is charged its
instruction count and the function it starts in (symbols of
build/monitor.elf and the guest image).  The sum per function, divided by
the operations timed, is printed: instructions per operation.

A block that faults half-way is charged in full, so figures are close,
not exact; the total is printed next to the guest's own icount figure
(which has the empty loop taken out).  Figures of the timer (not a loop)
are not windowed.  The trace goes to a temporary directory, removed at
the end unless --keep.  Python 3 standard library, plus nm, readelf and
qemu-system-i386.
"""

import argparse
import bisect
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RE_TRACE = re.compile(r"Trace \d+: \S+ \[[0-9a-f]+/([0-9a-f]+)/")
RE_INSN = re.compile(r"^0x([0-9a-f]+):")
RE_BENCH = re.compile(r"BENCH op=(\S+) ops=(\d+) best=(\d+) base=(\d+) .*total=(\d+)")
# Spinning on the PIT while the monitor calibrates the TSC and the APIC
# timer: tens of millions of instructions that would swamp the log.
SKIP_FUNCS = ("time_init", "timer_device_init")


def symbols(elfs):
    """(sorted start addresses, names, sizes) of the text symbols."""
    out = []
    for elf in elfs:
        text = subprocess.run(["nm", "-n", "-S", elf], capture_output=True, text=True, check=True).stdout
        for line in text.splitlines():
            p = line.split()
            if len(p) == 4 and p[2] in "tTwW":
                out.append((int(p[0], 16), int(p[1], 16), p[3]))
            elif len(p) == 3 and p[1] in "tTwW":
                out.append((int(p[0], 16), 0, p[2]))
    out.sort()
    return out


def dfilter(syms, elfs):
    """QEMU -dfilter ranges: the monitor's and the guest's text, less the
    calibration loops."""
    ranges = []
    for elf in elfs:
        hdr = subprocess.run(["readelf", "-lW", elf], capture_output=True, text=True, check=True).stdout
        for line in hdr.splitlines():
            p = line.split()
            if p and p[0] == "LOAD" and "E" in p[-2]:
                start, size = int(p[2], 16), int(p[5], 16)
                ranges.append([start, start + size])
    cuts = [(a, a + s) for a, s, n in syms if n in SKIP_FUNCS and s]
    out = []
    for lo, hi in ranges:
        for a, b in sorted(cuts):
            if lo <= a < hi:
                out.append((lo, a))
                lo = b
        out.append((lo, hi))
    return ",".join("0x%x..0x%x" % (a, b - 1) for a, b in out if b > a)


def boot(monitor, guest, only, opts, logdir, flt):
    serial = os.path.join(logdir, "serial-%s.log" % only)
    trace = os.path.join(logdir, "trace-%s.log" % only)
    args = "role=main only=%s reps=%d div=%d" % (only, opts.reps, opts.div)
    cmd = ["qemu-system-i386", "-m", "128", "-no-reboot", "-display", "none", "-nic", "none",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-vga", "none", "-accel", "tcg",
           "-kernel", monitor, "-append", "autoexit",
           "-initrd", "%s name=hvbench -- %s,%s name=hvpeer -- role=peer" % (guest, args, guest),
           "-serial", "file:" + serial, "-monitor", "none",
           "-icount", "shift=0,sleep=off", "-d", "in_asm,exec,nochain", "-dfilter", flt, "-D", trace]
    subprocess.run(cmd, timeout=opts.timeout, stdin=subprocess.DEVNULL)
    with open(serial, errors="replace") as f:
        return f.read(), trace


MARKS = ("bench_mark_begin", "bench_mark_end")


def charge(trace, syms, marks_names=MARKS):
    """Instructions per function: every block executed inside a timed
    window (between the markers marks_names: begin, end), its size."""
    starts = [s[0] for s in syms]
    marks = {a: n for a, _, n in syms if n in marks_names}
    size, count, cur, inside = {}, collections.Counter(), None, False
    cache = {}
    with open(trace, errors="replace") as f:
        for line in f:
            if line.startswith("IN:") or line.startswith("----"):
                cur = None
                continue
            m = RE_INSN.match(line)
            if m:
                pc = int(m.group(1), 16)
                if cur is None:
                    cur, size[pc] = pc, 0
                size[cur] += 1
                continue
            m = RE_TRACE.search(line)
            if m:
                pc = int(m.group(1), 16)
                if pc in marks:
                    inside = marks[pc] == marks_names[0]
                    continue
                if not inside:
                    continue
                name = cache.get(pc)
                if name is None:
                    i = bisect.bisect_right(starts, pc) - 1
                    name = cache[pc] = syms[i][2] if i >= 0 else "?"
                count[name] += size.get(pc, 1)
    return count


def main(argv=None):
    ap = argparse.ArgumentParser(description="Instructions per hvbench operation, by function.")
    ap.add_argument("op", help="a figure name of hvbench (e.g. hc-page, dom-switch, mmu-512)")
    ap.add_argument("--build", default="build")
    ap.add_argument("--div", type=int, default=4, help="divide hvbench's loop counts (default 4)")
    ap.add_argument("--reps", type=int, default=1, help="repetitions (default 1)")
    ap.add_argument("--top", type=int, default=30, help="functions to show (default 30)")
    ap.add_argument("--timeout", type=int, default=600)
    ap.add_argument("--keep", action="store_true", help="keep the traces (their directory is printed)")
    opts = ap.parse_args(argv)

    build = os.path.join(ROOT, opts.build)
    images = [os.path.join(build, "monitor.elf"), os.path.join(build, "bench", "hvbench.elf")]
    for f in images:
        if not os.path.isfile(f):
            print("tbprof.py: %s is not built (make bench builds it)" % os.path.relpath(f, ROOT),
                  file=sys.stderr)
            return 2
    logdir = tempfile.mkdtemp(prefix="tbprof-")
    # Copies: the symbols must be those of the images that boot, even if
    # someone rebuilds the tree meanwhile.
    elfs = [shutil.copy(f, os.path.join(logdir, os.path.basename(f))) for f in images]
    guest = elfs[1]
    syms = symbols(elfs)
    flt = dfilter(syms, elfs)
    try:
        out_op, trace_op = boot(elfs[0], guest, opts.op, opts, logdir, flt)
        figures = [m for m in RE_BENCH.finditer(out_op)]
        if not figures:
            print("tbprof.py: no figure named %s... was timed (see %s)" % (opts.op, logdir), file=sys.stderr)
            opts.keep = True
            return 1
        ops = sum(int(m.group(5)) for m in figures)
        diff = charge(trace_op, syms)
    finally:
        if not opts.keep:
            shutil.rmtree(logdir, ignore_errors=True)
        else:
            print("traces kept in %s" % logdir)
    total = sum(diff.values())
    print("%s: %d operations timed (%s)" % (opts.op, ops, ", ".join(m.group(1) for m in figures)))
    for m in figures:
        per = (int(m.group(3)) - int(m.group(4))) / int(m.group(2))
        print("  the guest's own figure for %s: %.1f instructions per operation" % (m.group(1), per))
    print("  traced: %.1f instructions per operation (the timed loops, loop overhead included)"
          % (total / ops))
    print()
    print("%12s  %6s  %s" % ("insns/op", "share", "function"))
    for name, n in diff.most_common(opts.top):
        if n:
            print("%12.1f  %5.1f%%  %s" % (n / ops, 100.0 * n / total if total else 0, name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
