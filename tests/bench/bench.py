#!/usr/bin/env python3
"""tests/bench/bench.py: `make bench`, the benchmark harness (issue 6).

Runs every benchmark suite in every mode, prints Markdown tables, and
writes build/bench-results/<timestamp>/results.md and results.json (and
points build/bench-results/latest at them).  It builds nothing: make has
built what the suites boot (tests/bench/bench.mk, BENCH_DEPS).

Modes (the same emulator, one invocation):
  icount  QEMU TCG with -icount shift=0,sleep=off: the guest's TSC and
          clocks count instructions (1 ns each), so figures are
          deterministic and do not move with host load;
  wall    QEMU TCG in real time: what the emulator really takes (the best
          of --wall-boots boots, figure by figure: the least disturbed);
  kvm     QEMU with KVM, only where /proc/cpuinfo shows vmx or svm (a
          /dev/kvm without them is software nested KVM, which cannot run
          the monitor: ../shared/notes/x86-facts.md).

Suites: SUITES below, each an object with `name`, `title`, `available(ctx)`
and `run(ctx) -> Section`.  A Section holds Markdown tables (Table), free
text blocks (e.g. the monitor's per-domain profile lines) and a JSON-able
`data` dict; the harness renders and stores them.  The hypervisor
microbenchmarks (HvSuite) are the first; the Linux native-vs-ringvisor
suite plugs in the same way (tests/bench/README.md).

Python 3 standard library only.
"""

import argparse
import datetime
import json
import os
import re
import shlex
import subprocess
import sys
import time

# The serial-log vocabulary (tests/PROTOCOL.md) is the runner's: one parser.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from run import RE_CONSOLE, RE_EXIT, RE_PANIC, read  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCHEMA = "ringvisor-bench/1"


# ------------------------------------------------------------------ modes

class Mode:
    """One way of running QEMU."""

    def __init__(self, name, title, kvm=False, qemu_args=(), boots=1):
        self.name = name
        self.title = title
        self.kvm = kvm                  # tools/run-qemu.sh --kvm
        self.qemu_args = list(qemu_args)
        self.boots = boots              # boots per suite run; figures take the best

    def json(self):
        return {"title": self.title, "accel": "kvm" if self.kvm else "tcg",
                "qemu_args": self.qemu_args, "boots": self.boots}


def host_has_kvm():
    try:
        with open("/proc/cpuinfo") as f:
            flags = f.read()
    except OSError:
        return False
    return bool(re.search(r"\b(vmx|svm)\b", flags)) and os.access("/dev/kvm", os.W_OK)


def all_modes(wall_boots):
    modes = [Mode("icount", "QEMU TCG, -icount shift=0,sleep=off (instructions)",
                  qemu_args=["-icount", "shift=0,sleep=off"]),
             Mode("wall", "QEMU TCG, real time", boots=wall_boots)]
    if host_has_kvm():
        modes.append(Mode("kvm", "QEMU KVM, real time", kvm=True, boots=wall_boots))
    return modes


# ------------------------------------------------------------------ output model

class Table:
    """A Markdown table.  columns: (key, header) pairs; rows: dicts keyed by
    column key (missing: shown as a dash).  Values are preformatted strings
    or numbers (formatted by fmt_num)."""

    def __init__(self, title, columns, rows, notes=()):
        self.title = title
        self.columns = columns
        self.rows = rows
        self.notes = list(notes)

    def markdown(self):
        out = ["#### " + self.title, ""] if self.title else []
        out.append("| " + " | ".join(h for _, h in self.columns) + " |")
        out.append("|" + "|".join("---" if i == 0 else "---:" for i in range(len(self.columns))) + "|")
        for r in self.rows:
            out.append("| " + " | ".join(cell(r.get(k)) for k, _ in self.columns) + " |")
        out += [""] + ["- " + n for n in self.notes] + ([""] if self.notes else [])
        return "\n".join(out)

    def json(self):
        return {"title": self.title, "columns": [{"key": k, "header": h} for k, h in self.columns],
                "rows": self.rows, "notes": self.notes}


class Section:
    """What a suite returns."""

    def __init__(self, name, title):
        self.name = name
        self.title = title
        self.intro = []         # paragraphs before the tables
        self.tables = []
        self.blocks = []        # (title, [lines]): shown as code blocks
        self.data = {}          # anything else for results.json
        self.errors = []        # the suite did not run cleanly: reasons

    def markdown(self):
        out = ["## " + self.title, ""]
        for p in self.intro:
            out += [p, ""]
        for e in self.errors:
            out += ["**Error:** " + e, ""]
        for t in self.tables:
            out.append(t.markdown())
        for title, lines in self.blocks:
            out += ["#### " + title, "", "```"] + lines + ["```", ""]
        return "\n".join(out)

    def json(self):
        return {"name": self.name, "title": self.title, "intro": self.intro, "errors": self.errors,
                "tables": [t.json() for t in self.tables],
                "blocks": [{"title": t, "lines": l} for t, l in self.blocks], "data": self.data}


def fmt_num(v):
    if v is None:
        return "-"
    if isinstance(v, str):
        return v
    a = abs(v)
    if a >= 1000:
        return "{:,.0f}".format(v)
    if a >= 100:
        return "%.0f" % v
    if a >= 10:
        return "%.1f" % v
    return "%.2f" % v


def cell(v):
    return fmt_num(v) if not isinstance(v, str) else v


# ------------------------------------------------------------------ booting

class BootResult:
    def __init__(self, log, elapsed, status, timed_out, serial):
        self.log = log
        self.elapsed = elapsed
        self.status = status
        self.timed_out = timed_out
        self.serial = serial


class Context:
    """What a suite may use: the build tree, the modes, and boot()."""

    def __init__(self, opts, modes, outdir):
        self.opts = opts
        self.build = os.path.join(ROOT, opts.build)
        self.modes = modes
        self.outdir = outdir
        self.logdir = os.path.join(outdir, "logs")
        os.makedirs(self.logdir, exist_ok=True)
        self.boots = []         # for results.json: what ran, how long

    def path(self, rel):
        return os.path.join(self.build, rel)

    def boot(self, tag, mode, modules=(), kernel="monitor.elf", append="autoexit", mem=128,
             timeout=None, extra=()):
        """One QEMU run through tools/run-qemu.sh in `mode`; returns a
        BootResult with the serial log (kept in logs/TAG-MODE.serial).

        kernel: relative to the build directory: the monitor (Multiboot,
        the default) or anything else QEMU's -kernel takes, e.g. a Linux
        bzImage booted natively.  modules: "FILE ARGS" strings (FILE
        relative to the build directory): Multiboot modules for the
        monitor, or for a bzImage its initramfs (one FILE, no ARGS).
        append: the kernel command line.  extra: more QEMU arguments."""
        serial = os.path.join(self.logdir, "%s-%s.serial" % (tag, mode.name))
        cmd = [os.path.join(ROOT, "tools", "run-qemu.sh"), "--serial", serial, "--mem", str(mem),
               "--kernel", self.path(kernel), "--append", append]
        for m in modules:
            f, _, args = m.partition(" ")
            cmd += ["--module", os.path.relpath(self.path(f), ROOT) + (" " + args if args else "")]
        if mode.kvm:
            cmd.append("--kvm")
        qemu = mode.qemu_args + list(extra)
        if qemu:
            cmd += ["--"] + qemu
        timeout = timeout or self.opts.timeout
        if os.path.exists(serial):
            os.unlink(serial)
        start = time.monotonic()
        timed_out = False
        try:
            p = subprocess.run(cmd, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, timeout=timeout + 5)
            status, out = p.returncode, p.stdout.decode("utf-8", "replace")
        except subprocess.TimeoutExpired:
            status, out, timed_out = None, "", True
        elapsed = time.monotonic() - start
        log = read(serial)
        if out.strip():
            log += "\n# run-qemu.sh output:\n" + out
        self.boots.append({"tag": tag, "mode": mode.name, "seconds": round(elapsed, 2),
                           "status": status, "timed_out": timed_out or status == 124,
                           "command": " ".join(shlex.quote(c) for c in cmd),
                           "log": os.path.relpath(serial, self.outdir)})
        if self.opts.verbose:
            print("  boot %s [%s]: %.1f s, status %s" % (tag, mode.name, elapsed, status), file=sys.stderr)
        return BootResult(log, elapsed, status, timed_out or status == 124, serial)


# ------------------------------------------------------------------ log parsing

RE_KILLED = re.compile(r"^\(rv\) d(\d+) (\S+): killed: (.*)$")
RE_PROFILE = re.compile(r"^\(rv\) d\d+ \S+: (profile:|emulated ).*$")
RE_TSC = re.compile(r"^\(rv\) time: TSC ([\d.]+) MHz")
RE_KV = re.compile(r"(\w+)=(\S+)")


def console_lines(log, name):
    """What domain `name` printed, one entry per line."""
    out = []
    for line in log.splitlines():
        m = RE_CONSOLE.match(line.rstrip())
        if m and m.group(2) == name:
            out.append(m.group(3))
    return out


def domain_end(log, name):
    """(kind, code) of its exit line, ("killed", reason) or None."""
    for line in log.splitlines():
        line = line.rstrip()
        m = RE_EXIT.match(line)
        if m and m.group(2) == name:
            return m.group(3), int(m.group(4))
        m = RE_KILLED.match(line)
        if m and m.group(2) == name:
            return "killed", m.group(3)
    return None


def boot_problems(res, names):
    """Why a boot's figures cannot be trusted, or []."""
    out = []
    for line in res.log.splitlines():
        m = RE_PANIC.match(line.rstrip())
        if m:
            out.append("monitor panic: " + m.group(1))
    for n in names:
        end = domain_end(res.log, n)
        if end is None:
            out.append("%s has no exit line%s" % (n, " (the boot timed out)" if res.timed_out else ""))
        elif end != ("poweroff", 0):
            out.append("%s: %s %s" % (n, end[0], end[1]))
        for l in console_lines(res.log, n):
            if l.startswith("BENCH-ERROR"):
                out.append("%s: %s" % (n, l))
    return out


def profile_lines(log):
    return [l.rstrip() for l in log.splitlines() if RE_PROFILE.match(l.rstrip())]


# ------------------------------------------------------------------ the hypervisor suite

class HvSuite:
    """Hypervisor-level microbenchmarks: tests/bench/hvbench.c as two
    domains (role=main, role=peer), in each mode."""

    name = "hv"
    title = "Hypervisor microbenchmarks (tests/bench/hvbench.c)"
    image = "bench/hvbench.elf"

    # (key, label) in table order, grouped.  Keys are hvbench's figure names;
    # "mmu-512/entry" is derived.
    GROUPS = [
        ("Traps and hypercalls", [
            ("intiret-r3", "int 0x80 + iret, ring 3 -> ring 1, direct trap gate (reference)"),
            ("intiret-r1", "int 0x80 + iret, ring 1 -> ring 1, direct trap gate"),
            ("segload", "mov ds (one segment-register load, for scale)"),
            ("hc-page", "null hypercall (version), hypercall page"),
            ("hc-int82", "null hypercall (version), raw int 0x82"),
            ("bounce-r3", "int 0x81 ring 3 -> ring 1, bounced by the monitor, native iret"),
            ("bounce-r1", "int3 in ring 1, bounced by the monitor, native iret"),
            ("bounce-r1-hciret", "int3 in ring 1, bounced, iret hypercall"),
        ]),
        ("Page tables", [
            ("mmu-1", "mmu_update, 1 entry"),
            ("mmu-512", "mmu_update, 512 entries (one call)"),
            ("mmu-512/entry", "mmu_update, 512 entries: per entry"),
            ("uvm", "update_va_mapping, no flush"),
            ("uvm-invlpg", "update_va_mapping + INVLPG"),
            ("tlb-flush", "mmuext_op TLB_FLUSH"),
            ("baseptr", "mmuext_op NEW_BASEPTR (address-space switch)"),
        ]),
        ("Events, scheduling, time", [
            ("evt-self", "event to self: send + upcall + iret"),
            ("evt-pingpong", "event round trip between two domains"),
            ("dom-switch", "domain switch (two domains yielding; per switch)"),
            ("timer-spin", "timer: deadline -> callback, guest spinning"),
            ("timer-block", "timer: deadline -> callback, guest blocked"),
        ]),
    ]
    # (name, numerator, denominator, target): "<= target" is the goal.
    RATIOS = [
        ("null hypercall (page) / int+iret ring 3 -> 1", "hc-page", "intiret-r3", 1.2),
        ("null hypercall (int 0x82) / int+iret ring 3 -> 1", "hc-int82", "intiret-r3", 1.2),
        ("null hypercall (page) / int+iret ring 1 -> 1", "hc-page", "intiret-r1", None),
        ("mmu_update: per entry of 512 / 1 entry", "mmu-512/entry", "mmu-1", None),
    ]

    def available(self, ctx):
        if not os.path.isfile(ctx.path(self.image)):
            return False, "%s is not built (make bench builds it)" % os.path.join(ctx.opts.build, self.image)
        return True, ""

    def modules(self, ctx):
        args = " ".join(a for a in ("div=10 reps=2" if ctx.opts.quick else "", ctx.opts.hv_args) if a)
        return ["%s name=hvbench -- role=main%s" % (self.image, " " + args if args else ""),
                "%s name=hvpeer -- role=peer" % self.image]

    def run(self, ctx):
        sec = Section(self.name, self.title)
        sec.intro.append(
            "Best of %s repetitions of a loop of each operation, less the same loop empty; TSC cycles "
            % ("2 (--quick: shorter loops)" if ctx.opts.quick else "5") +
            "and ns (from the monitor's pvclock scale). Under icount the TSC counts instructions. "
            "hc, traps, switches: hypercalls, exceptions bounced and times scheduled in, per "
            "operation, both domains together (vcpu_op GET_STATS).")
        per_mode, logs = {}, {}
        for mode in ctx.modes:
            runs = []
            for i in range(mode.boots):
                res = ctx.boot("hv%s" % ("-%d" % (i + 1) if mode.boots > 1 else ""), mode, self.modules(ctx))
                problems = boot_problems(res, ["hvbench", "hvpeer"])
                if problems:
                    sec.errors += ["[%s] %s (log: %s)" % (mode.name, p, os.path.relpath(res.serial, ROOT))
                                   for p in problems]
                    continue
                run = parse_hv(res.log)
                if run["tsc_ghz"] is None:
                    sec.errors.append("[%s] no 'BENCH clock' line (log: %s)"
                                      % (mode.name, os.path.relpath(res.serial, ROOT)))
                    continue
                runs.append(run)
                logs.setdefault(mode.name, res.log)
            if runs:
                per_mode[mode.name] = best_of(runs)
        self.tables(sec, ctx, per_mode)
        for mode in ctx.modes:
            if mode.name in logs:
                sec.blocks.append(("Hypercalls and traps per domain [%s] (monitor's (rv) lines)" % mode.name,
                                   profile_lines(logs[mode.name])))
        sec.data = {"modes": per_mode}
        return sec

    def tables(self, sec, ctx, per_mode):
        names = [m.name for m in ctx.modes if m.name in per_mode]
        counts = per_mode.get("icount") or (per_mode[names[0]] if names else None)
        columns = [("op", "operation")]
        for n in names:
            columns += [(n + "_cycles", n + " cycles"), (n + "_ns", n + " ns")]
        columns += [("hc", "hc/op"), ("traps", "traps/op"), ("switches", "switches/op")]
        for group, ops in self.GROUPS:
            rows = []
            for key, label in ops:
                row = {"key": key, "op": label}
                for n in names:
                    f = per_mode[n]["ops"].get(key)
                    if f:
                        row[n + "_cycles"], row[n + "_ns"] = f["cycles"], f["ns"]
                f = counts["ops"].get(key) if counts else None
                if f and "hc" in f:
                    row.update(hc=f["hc"], traps=f["traps"], switches=f["switches"])
                rows.append(row)
            sec.tables.append(Table(group, columns, rows))
        # ratios
        rcols = [("name", "ratio")] + [(n, n) for n in names] + [("target", "target"), ("met", "met")]
        rrows = []
        for name, num, den, target in self.RATIOS:
            row = {"name": name, "target": "<= %.1f" % target if target else ""}
            verdicts = []
            for n in names:
                a, b = per_mode[n]["ops"].get(num), per_mode[n]["ops"].get(den)
                if a and b and b["cycles"] > 0:
                    r = a["cycles"] / b["cycles"]
                    row[n] = "%.2f" % r if r < 100 else "%.0f" % r
                    if target:
                        verdicts.append("%s %s" % (n, "yes" if r <= target else "no"))
            row["met"] = ", ".join(verdicts)
            rrows.append(row)
        sec.tables.append(Table("Ratios", rcols, rrows, self.checks(per_mode, names)))

    def checks(self, per_mode, names):
        """Sanity of the figures, as notes under the ratios."""
        notes = []
        for n in names:
            boots = per_mode[n]["tsc_mhz_boots"]
            notes.append("[%s] TSC %.1f MHz (the monitor's calibration%s)" % (
                n, per_mode[n]["tsc_mhz"], "; median of %s" % ", ".join("%.1f" % b for b in boots)
                if len(boots) > 1 else ""))
            ops = per_mode[n]["ops"]
            bad = [k for k, f in ops.items() if f["cycles"] <= 0]
            if bad:
                notes.append("[%s] not positive: %s" % (n, ", ".join(sorted(bad))))
            e, one = ops.get("mmu-512/entry"), ops.get("mmu-1")
            if e and one:
                notes.append("[%s] a batch of 512 costs %s per entry than 1-entry calls (%s vs %s cycles)" % (
                    n, "less" if e["cycles"] < one["cycles"] else "MORE", fmt_num(e["cycles"]),
                    fmt_num(one["cycles"])))
        notes.append("Under icount every instruction costs one cycle and int+iret are two instructions, "
                     "so the icount ratio is the monitor's instruction count per hypercall; the wall "
                     "ratio is what the emulator spends.")
        c = per_mode.get("icount")
        if c:
            for key in ("intiret-r3", "intiret-r1"):
                f = c["ops"].get(key)
                if f and "hc" in f:
                    notes.append("%s: %s hypercalls and %s traps per operation (0 and 0: the monitor is not "
                                 "involved)" % (key, fmt_num(f["hc"]), fmt_num(f["traps"])))
        return notes


def parse_hv(log):
    """One boot's figures: {"tsc_ghz": TSC ticks per ns, "ops": {key: {...}}}."""
    clock, main, peer = None, {}, {}
    for line in console_lines(log, "hvbench") + console_lines(log, "hvpeer"):
        if not line.startswith("BENCH "):
            continue
        kv = dict(RE_KV.findall(line))
        if line.startswith("BENCH clock"):
            mul, shift = int(kv["mul"]), int(kv["shift"])
            # ns = (ticks << shift) * mul >> 32, so ticks per ns = 2^32 / (mul << shift)
            clock = 2.0 ** 32 / (mul * 2.0 ** shift)   # GHz = ticks per ns
        elif "op" in kv and kv.get("role") == "peer":
            peer[kv["op"]] = kv
        elif "op" in kv:
            main[kv["op"]] = kv
    ops = {}
    if clock is None:
        return {"tsc_ghz": None, "ops": ops}
    for key, kv in main.items():
        n, best, base = int(kv["ops"]), int(kv["best"]), int(kv["base"])
        per = (best - base) / n
        # TSC ticks either way: a figure in ns of system time came from the
        # TSC through this boot's scale
        cycles = per * clock if kv["unit"] == "ns" else per
        f = {"cycles": cycles, "ops": n, "best": best, "base": base, "unit": kv["unit"],
             "reps": int(kv["reps"])}
        total = int(kv["total"])
        hc, traps, sw = int(kv["hc"]) / total, int(kv["traps"]) / total, int(kv["sched"]) / total
        p = peer.get(key)
        if p and int(p["total"]):
            pt = int(p["total"])
            hc, traps, sw = hc + int(p["hc"]) / pt, traps + int(p["traps"]) / pt, sw + int(p["sched"]) / pt
        f.update(hc=hc, traps=traps, switches=sw)
        ops[key] = f
    if "mmu-512" in ops:
        f = ops["mmu-512"]
        ops["mmu-512/entry"] = dict({k: f[k] / 512 for k in ("cycles", "hc", "traps", "switches")},
                                    derived="mmu-512 / 512")
    return {"tsc_ghz": clock, "ops": ops}


def best_of(runs):
    """Figure by figure, the run with the fewest cycles; ns at the median
    of the boots' TSC rates.  Each boot calibrates the TSC against the PIT,
    and under real time on a loaded host one calibration in a few is off
    by tens of percent: the median of three is not."""
    rates = sorted(r["tsc_ghz"] for r in runs)
    ghz = rates[len(rates) // 2]
    out = {"tsc_mhz": ghz * 1000, "tsc_mhz_boots": [round(x * 1000, 3) for x in rates],
           "boots": len(runs), "ops": {}}
    for r in runs:
        for k, f in r["ops"].items():
            if k not in out["ops"] or f["cycles"] < out["ops"][k]["cycles"]:
                out["ops"][k] = dict(f, ns=f["cycles"] / ghz)
    return out


# ------------------------------------------------------------------ the suites

SUITES = [HvSuite()]


# ------------------------------------------------------------------ main

def host_info(opts):
    def first_line(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT).stdout.splitlines()[0]
        except (OSError, IndexError):
            return ""
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"^model name\s*:\s*(.*)$", f.read(), re.M)
            cpu = m.group(1) if m else ""
    except OSError:
        pass
    return {"qemu": first_line(["qemu-system-i386", "--version"]), "cpu": cpu, "cpus": os.cpu_count(),
            "kvm": host_has_kvm(), "git": first_line(["git", "describe", "--always", "--dirty"])}


def main(argv=None):
    ap = argparse.ArgumentParser(description="Run the ringvisor benchmarks (make bench).")
    ap.add_argument("--build", default="build", help="build directory (default: build)")
    ap.add_argument("--out", default=None, help="results folder (default: BUILD/bench-results)")
    ap.add_argument("--suite", action="append", default=[], metavar="NAME",
                    help="only these suites (repeatable): " + ", ".join(s.name for s in SUITES))
    ap.add_argument("--mode", action="append", default=[], metavar="NAME",
                    help="only these modes (repeatable): icount, wall, kvm")
    ap.add_argument("--wall-boots", type=int, default=3, metavar="N",
                    help="boots per suite in real-time modes; each figure is the best (default 3)")
    ap.add_argument("--timeout", type=int, default=120, help="seconds per boot (default 120)")
    ap.add_argument("--hv-args", default="", metavar="WORDS",
                    help="more guest arguments for hvbench role=main (e.g. 'div=10 reps=2')")
    ap.add_argument("--quick", action="store_true",
                    help="shorter runs (a smoke test of the harness; figures are rougher)")
    ap.add_argument("--verbose", "-v", action="store_true", help="say what boots, and how long it took")
    opts = ap.parse_args(argv)

    modes = all_modes(max(1, opts.wall_boots))
    if opts.mode:
        unknown = set(opts.mode) - {"icount", "wall", "kvm"}
        if unknown:
            ap.error("unknown mode: " + ", ".join(sorted(unknown)))
        modes = [m for m in modes if m.name in opts.mode]
        if "kvm" in opts.mode and not host_has_kvm():
            print("bench.py: no vmx/svm on this CPU: no kvm mode", file=sys.stderr)
    suites = [s for s in SUITES if not opts.suite or s.name in opts.suite]
    if opts.suite and len(suites) != len(set(opts.suite)):
        ap.error("unknown suite; there are: " + ", ".join(s.name for s in SUITES))

    started = datetime.datetime.now()
    base = os.path.join(ROOT, opts.out or os.path.join(opts.build, "bench-results"))
    outdir = os.path.join(base, started.strftime("%Y%m%d-%H%M%S"))
    ctx = Context(opts, modes, outdir)
    t0 = time.monotonic()

    sections = []
    for s in suites:
        ok, why = s.available(ctx)
        if not ok:
            sec = Section(s.name, s.title)
            sec.errors.append("not run: " + why)
        else:
            sec = s.run(ctx)
        sections.append(sec)

    elapsed = time.monotonic() - t0
    header = ["# ringvisor benchmarks, %s" % started.strftime("%Y-%m-%d %H:%M:%S"), ""]
    info = host_info(opts)
    header.append("Host: %s (%s CPUs), %s, ringvisor %s. Modes: %s. Took %.0f s." % (
        info["cpu"] or "?", info["cpus"], info["qemu"] or "QEMU ?", info["git"] or "?",
        "; ".join("**%s** = %s" % (m.name, m.title) for m in modes), elapsed))
    header.append("")
    md = "\n".join(header) + "\n" + "\n".join(s.markdown() for s in sections)
    doc = {"schema": SCHEMA, "started": started.isoformat(timespec="seconds"), "seconds": round(elapsed, 1),
           "host": info, "modes": {m.name: m.json() for m in modes},
           "suites": [s.json() for s in sections], "boots": ctx.boots}
    os.makedirs(outdir, exist_ok=True)
    with open(os.path.join(outdir, "results.md"), "w") as f:
        f.write(md)
    with open(os.path.join(outdir, "results.json"), "w") as f:
        json.dump(doc, f, indent=1)
    latest = os.path.join(base, "latest")
    try:
        if os.path.islink(latest):
            os.unlink(latest)
        if not os.path.exists(latest):
            os.symlink(os.path.basename(outdir), latest)
    except OSError:
        pass
    print(md)
    print("results: %s/results.md, results.json" % os.path.relpath(outdir, ROOT))
    failed = [s for s in sections if s.errors]
    if failed:
        print("bench.py: %d suite(s) did not run cleanly: %s"
              % (len(failed), ", ".join(s.name for s in failed)), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
