#!/usr/bin/env python3
"""tests/bench/linprof.py: where the instructions of one Linux benchmark
operation go, on ringvisor and natively (the `linux` suite of make bench).

    python3 tests/bench/linprof.py OP [--kernel pv|native|both] [--top N] [--full] [--keep]

Boots the kernel(s) as the `linux` suite does (tests/bench/bench.py), under
QEMU TCG with `-icount shift=0,sleep=off` and `-d in_asm,exec,nochain`,
with the benchmark timing only OP (`rvbench run quick only=OP`; --full:
the full loop counts).  The trace is filtered (-dfilter) to the guest
kernel's text, the monitor's (ringvisor boots) and rvbench's two marker
functions; every block executed between rvbench_mark_begin and
rvbench_mark_end (the timed repetitions, linux/rvbench.c) is charged its
instruction count and the function it starts in (kernel symbols from
build/linux/vmlinux or build/linux/obj-native/vmlinux; monitor functions
are shown as `monitor:NAME`).  Prints instructions per operation by
function for each kernel and, with both, the difference per function:
what the ratio of the two figures is made of.

User-mode instructions are not traced (the same program runs on both);
a block that faults half-way is charged in full, so figures are close,
not exact.  The trace of a whole boot is a few GB in a temporary
directory, removed at the end unless --keep; a few minutes per kernel.
Needs make bench (or make linux linux-native) to have built everything.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tbprof  # noqa: E402  (symbols, dfilter, trace regexes)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RE_OP = re.compile(r"RVBENCH op=(\S+) n=(\d+) reps=(\d+) best=(\d+)")
MARKS = ("rvbench_mark_begin", "rvbench_mark_end")
# Boot-time loops of the monitor (calibration, zeroing, copying a domain's
# memory): hundreds of millions of blocks that never run inside a window.
MONITOR_SKIP = ("time_init", "timer_device_init", "memset", "memcpy", "zero_frame", "scrub_some",
                "scrub_should_stop")


def exec_ranges(elf):
    hdr = subprocess.run(["readelf", "-lW", elf], capture_output=True, text=True, check=True).stdout
    out = []
    for line in hdr.splitlines():
        p = line.split()
        if p and p[0] == "LOAD" and "E" in p[-2]:
            out.append((int(p[2], 16), int(p[2], 16) + int(p[5], 16)))
    return out


def setup(kernel, build, tmp):
    """(symbols, -dfilter, QEMU arguments) for one kernel."""
    rvbench = os.path.join(build, "linux/initramfs/rvbench.full")
    initrd = os.path.join(build, "linux/initramfs/initramfs.cpio.gz")
    marks = [s for s in tbprof.symbols([rvbench]) if s[2] in MARKS]
    if len(marks) != 2:
        sys.exit("linprof.py: no rvbench markers in %s (make linux)" % rvbench)
    ranges = [(a, a + 16) for a, _, _ in marks]
    if kernel == "pv":
        vmlinux = shutil.copy(os.path.join(build, "linux/vmlinux"), os.path.join(tmp, "vmlinux-pv"))
        monitor = shutil.copy(os.path.join(build, "monitor.elf"), os.path.join(tmp, "monitor.elf"))
        msyms = tbprof.symbols([monitor])
        saved = tbprof.SKIP_FUNCS
        tbprof.SKIP_FUNCS = MONITOR_SKIP
        flt = tbprof.dfilter(msyms, [monitor])
        tbprof.SKIP_FUNCS = saved
        syms = [(a, s, "monitor:" + n) for a, s, n in msyms]
        args = ["-m", "256", "-kernel", monitor, "-append", "autoexit", "-initrd",
                "%s name=linux mem=128M initrd=next -- console=hvc0 quiet rdinit=/bin/rvbench "
                "rvbench=%%s,%s" % (vmlinux, initrd)]
    else:
        vmlinux = os.path.join(build, "linux/obj-native/vmlinux")
        bz = shutil.copy(os.path.join(build, "linux/native/bzImage"), os.path.join(tmp, "bzImage"))
        vmlinux = shutil.copy(vmlinux, os.path.join(tmp, "vmlinux-native"))
        syms, flt = [], ""
        args = ["-m", "128", "-kernel", bz, "-initrd", initrd, "-append",
                "console=ttyS0 quiet rdinit=/bin/rvbench rvbench=%s"]
    syms = sorted(syms + tbprof.symbols([vmlinux]) + marks)
    ranges += exec_ranges(vmlinux)
    flt = ",".join(x for x in [flt] + ["0x%x..0x%x" % (a, b - 1) for a, b in ranges] if x)
    return syms, flt, args


def boot(kernel, words, syms, flt, args, tmp, timeout):
    serial = os.path.join(tmp, "serial-%s.log" % kernel)
    trace = os.path.join(tmp, "trace-%s.log" % kernel)
    args = [a.replace("%s", words) if "%s" in a else a for a in args]
    cmd = ["qemu-system-i386", "-no-reboot", "-display", "none", "-nic", "none", "-vga", "none",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-accel", "tcg"] + args + \
          ["-serial", "file:" + serial, "-monitor", "none", "-icount", "shift=0,sleep=off",
           "-d", "in_asm,exec,nochain", "-dfilter", flt, "-D", trace]
    subprocess.run(cmd, timeout=timeout, stdin=subprocess.DEVNULL)
    with open(serial, errors="replace") as f:
        return f.read(), trace


def main(argv=None):
    ap = argparse.ArgumentParser(description="Instructions per Linux benchmark operation, by function.")
    ap.add_argument("op", help="an rvbench figure (null, pagefault, fork-exit, ...: tests/bench/README.md)")
    ap.add_argument("--kernel", choices=("pv", "native", "both"), default="both")
    ap.add_argument("--build", default="build")
    ap.add_argument("--full", action="store_true", help="full loop counts (default: rvbench quick)")
    ap.add_argument("--top", type=int, default=25, help="functions to show (default 25)")
    ap.add_argument("--timeout", type=int, default=1800)
    ap.add_argument("--keep", action="store_true", help="keep the traces (their directory is printed)")
    opts = ap.parse_args(argv)

    build = os.path.join(ROOT, opts.build)
    words = ("full" if opts.full else "quick") + ":only=" + opts.op
    kernels = ["native", "pv"] if opts.kernel == "both" else [opts.kernel]
    tmp = tempfile.mkdtemp(prefix="linprof-")
    per = {}
    try:
        for k in kernels:
            syms, flt, args = setup(k, build, tmp)
            out, trace = boot(k, words, syms, flt, args, tmp, opts.timeout)
            fig = [m for m in RE_OP.finditer(out) if m.group(1) == opts.op]
            if not fig:
                print("linprof.py: %s timed no figure %s (see %s)" % (k, opts.op, tmp), file=sys.stderr)
                opts.keep = True
                return 1
            n, reps, best = int(fig[0].group(2)), int(fig[0].group(3)), int(fig[0].group(4))
            count = tbprof.charge(trace, syms, MARKS)
            if not opts.keep:
                os.unlink(trace)
            ops = n * reps
            per[k] = {f: c / ops for f, c in count.items()}
            total = sum(per[k].values())
            print("%s: %s, %d operations traced; the guest's figure %.0f instructions per operation "
                  "(best repetition), %.0f traced in the kernel%s" % (
                      k, opts.op, ops, best / n, total, " and the monitor" if k == "pv" else ""))
            print("%12s  %6s  %s" % ("insns/op", "share", "function"))
            for f, v in sorted(per[k].items(), key=lambda x: -x[1])[:opts.top]:
                print("%12.1f  %5.1f%%  %s" % (v, 100.0 * v / total if total else 0, f))
            print()
    finally:
        if opts.keep:
            print("traces kept in %s" % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    if len(per) == 2:
        a, b = per["native"], per["pv"]
        diff = {f: b.get(f, 0.0) - a.get(f, 0.0) for f in set(a) | set(b)}
        print("ringvisor - native: %+.0f instructions per operation traced" % sum(diff.values()))
        print("%12s  %s" % ("insns/op", "function"))
        for f, v in sorted(diff.items(), key=lambda x: -abs(x[1]))[:opts.top]:
            if abs(v) >= 0.5:
                print("%+12.1f  %s" % (v, f))
    return 0


if __name__ == "__main__":
    sys.exit(main())
