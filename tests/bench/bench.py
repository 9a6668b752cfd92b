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
microbenchmarks (HvSuite) are the first; LinuxSuite boots the patched
Linux on ringvisor and the same source built natively with the same
initramfs and benchmark (linux/rvbench.c), side by side
(tests/bench/README.md).

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


# ------------------------------------------------------------------ the Linux suite

RE_RVBENCH = re.compile(r"^RVBENCH(-ERROR)? (.*)$")
RE_MON_ENTRY = re.compile(r"^\(rv\) time: TSC [\d.]+ MHz.*monitor entered at TSC (\d+)")
RE_COUNTS = re.compile(r"^\(rv\) d\d+ (\S+): emulated .*; hypercalls (\d+), exceptions bounced (\d+), "
                       r"events (\d+) raised (\d+) delivered")
RE_PROFILE_LINE = re.compile(r"^\(rv\) d\d+ (\S+): profile:(.*)$")


def parse_rvbench(lines):
    """linux/rvbench.c's lines (already without any console prefix):
    {"tsc_mhz": F or None, "ops": {key: {"n", "reps", "best", "cycles"}},
     "tsc": {label: cycles}, "done": bool, "errors": [...]}."""
    out = {"tsc_mhz": None, "ops": {}, "tsc": {}, "done": False, "errors": []}
    for line in lines:
        m = RE_RVBENCH.match(line.strip())
        if not m:
            continue
        if m.group(1):
            out["errors"].append(m.group(2))
            continue
        rest = m.group(2)
        kv = dict(RE_KV.findall(rest))
        if rest.startswith("clock "):
            out["tsc_mhz"] = float(kv["tsc_mhz"])
        elif rest.startswith("tsc ") and "at" in kv:
            out["tsc"][kv["at"]] = int(kv["cycles"])
        elif rest.strip() == "done":
            out["done"] = True
        elif "op" in kv:
            n, best = int(kv["n"]), int(kv["best"])
            out["ops"][kv["op"]] = {"n": n, "reps": int(kv["reps"]), "best": best, "cycles": best / n}
    return out


def serial_lines(log):
    """Every line of a serial log (a native kernel's console: no prefixes)."""
    return [l.rstrip("\r") for l in log.splitlines()]


def parse_profile(log, name):
    """The monitor's end-of-domain counters for `name`: {counter: count},
    e.g. {"hypercalls": 123, "traps": 4, "iret": 100, "vec14": 4}."""
    out = {}
    for line in log.splitlines():
        line = line.rstrip()
        m = RE_COUNTS.match(line)
        if m and m.group(1) == name:
            out.update(hypercalls=int(m.group(2)), traps=int(m.group(3)), events_raised=int(m.group(4)),
                       events_delivered=int(m.group(5)))
        m = RE_PROFILE_LINE.match(line)
        if m and m.group(1) == name:
            out.update({k: int(v) for k, v in RE_KV.findall(m.group(2))})
    return out


def profile_delta(prof, base, ops):
    """Per operation: (prof - base) / ops for every counter, zeros left out."""
    out = {}
    for k in sorted(set(prof) | set(base)):
        d = (prof.get(k, 0) - base.get(k, 0)) / ops
        if abs(d) >= 0.005:
            out[k] = d
    return out


def boot_figures(tsc):
    """Boot times in TSC cycles from one boot's readings (QEMU's TSC is 0
    at reset): {key: {"cycles"}} for LinuxSuite.BOOTS."""
    out = {}
    for key, a, b in (("reset-init", None, "init"), ("reset-prompt", None, "prompt"),
                      ("reset-entry", None, "entry"), ("entry-init", "entry", "init"),
                      ("entry-prompt", "entry", "prompt")):
        if b in tsc and (a is None or a in tsc):
            out[key] = {"cycles": tsc[b] - (tsc[a] if a else 0)}
    return out


def best_run(runs):
    """Several boots of one kernel in one mode: each figure (and boot
    time) from the boot where it took fewest cycles; the TSC calibration
    at their median; real time added up."""
    if len(runs) == 1:
        return runs[0]
    out = dict(runs[0], ops={}, seconds=sum(r.get("seconds") or 0 for r in runs))
    cals = sorted(r["tsc_mhz"] for r in runs if r["tsc_mhz"])
    out["tsc_mhz"] = cals[len(cals) // 2] if cals else None
    for r in runs:
        for k, f in r["ops"].items():
            if k not in out["ops"] or f["cycles"] < out["ops"][k]["cycles"]:
                out["ops"][k] = f
    return out


def ratio_cell(num, den):
    if num is None or not den:
        return None
    r = num / den
    return "%.2f" % r if r < 100 else "%.0f" % r


class KernelPair:
    """What the Linux suites share: the patched kernel for ringvisor and the
    same source built for bare i386, booting the same initramfs."""

    pv_image = "linux/vmlinux"
    native_image = "linux/native/bzImage"
    initrd = "linux/initramfs/initramfs.cpio.gz"

    def available(self, ctx):
        missing = [p for p in (self.pv_image, self.native_image, self.initrd) if not os.path.isfile(ctx.path(p))]
        if missing:
            return False, "%s not built (make bench builds them: make linux linux-native)" % ", ".join(
                os.path.join(ctx.opts.build, p) for p in missing)
        return True, ""


class LinuxSuite(KernelPair):
    """The patched Linux 6.1 on ringvisor against the same source built for
    bare i386 (make linux-native), same initramfs, same benchmark program
    (linux/rvbench.c), in each mode."""

    name = "linux"
    title = "Linux: the ringvisor guest against the same kernel native (linux/rvbench.c)"
    guest_mb = 128      # RAM each kernel manages: the PV domain's mem=, the native QEMU's -m
    monitor_mb = 256    # QEMU's -m under the monitor: the domain, the monitor, the module copies

    # (key, label, target ratio or None), table order
    OPS = [
        ("null", "null syscall (getppid through libc)", 1.05),
        ("null-int80", "null syscall (getppid, raw int 0x80)", 1.05),
        ("stat", "stat", None),
        ("open", "open + close", None),
        ("sig-install", "signal handler install (sigaction)", None),
        ("sig-deliver", "signal delivery (kill self, handler, sigreturn)", None),
        ("fork-exit", "fork + exit + wait", 1.4),
        ("fork-exec", "fork + execve + wait", 1.3),
        ("pipe", "pipe ping-pong between two processes (round trip)", 1.5),
        ("pagefault", "page fault, fresh anonymous memory (per page)", 1.5),
        ("mmap", "mmap + munmap 4 MiB, a byte touched every 16 KiB", 1.5),
        ("cpu", "CPU loop, 10^7 iterations (control)", 1.0),
        ("macro", "tar xf + md5sum of 300 files in tmpfs + rm (busybox)", None),
    ]
    BOOTS = [
        ("reset-init", "boot: QEMU reset -> /init", None),
        ("reset-prompt", "boot: QEMU reset -> first shell prompt", None),
        ("reset-entry", "boot: QEMU reset -> monitor entry (firmware, loader)", None),
        ("entry-init", "boot: monitor entry -> /init", None),
        ("entry-prompt", "boot: monitor entry -> first shell prompt", None),
    ]

    def bench_args(self, ctx, only=None):
        words = ["quick"] if ctx.opts.quick else ["full"]
        words += ctx.opts.linux_args.split()
        if only:
            words.append("only=" + only)
        return ":".join(words)

    def boot_pv(self, ctx, mode, tag="linux-pv", only=None):
        cmdline = "console=hvc0 quiet rdinit=/bin/rvbench rvbench=" + self.bench_args(ctx, only)
        res = ctx.boot(tag, mode, modules=["%s name=linux mem=%dM initrd=next -- %s" % (
            self.pv_image, self.guest_mb, cmdline), self.initrd], mem=self.monitor_mb)
        problems = boot_problems(res, ["linux"])
        return res, parse_rvbench(console_lines(res.log, "linux")), problems

    def boot_native(self, ctx, mode, tag="linux-native"):
        cmdline = "console=ttyS0 quiet rdinit=/bin/rvbench rvbench=" + self.bench_args(ctx)
        res = ctx.boot(tag, mode, kernel=self.native_image, modules=[self.initrd], append=cmdline,
                       mem=self.guest_mb)
        problems = ["the boot timed out"] if res.timed_out else []
        return res, parse_rvbench(serial_lines(res.log)), problems

    def run(self, ctx):
        sec = Section(self.name, self.title)
        sec.intro.append(
            "The same static benchmark (linux/rvbench.c) in the same initramfs, booted by the patched "
            "6.1 kernel on ringvisor (%s, mem=%dM, QEMU -m %d) and by the same source built for bare "
            "i386 (%s, make linux-native, QEMU -m %d). Each figure is the best of %s repetitions, in "
            "microseconds per operation; ratio = ringvisor / native, from TSC cycles (the same counter "
            "for both). Microseconds: under icount the TSC counts instructions, 1 per ns (1000 MHz by "
            "definition); in real time, at the median of the benchmark's own calibrations (TSC against "
            "CLOCK_MONOTONIC, every boot)."
            % (self.pv_image, self.guest_mb, self.monitor_mb, self.native_image, self.guest_mb,
               "2 (--quick: loops a tenth as long)" if ctx.opts.quick else "5"))
        sec.intro.append(
            "Boot: QEMU starts the TSC at 0 at reset. /init is the TSC read by the first user "
            "instruction (rdinit=/bin/rvbench, which then runs /init); the prompt is the TSC read by "
            "the first command of the interactive login shell /init starts, right after its first "
            "prompt. Monitor entry is the TSC at the monitor's kmain() (its `time:` line). The native "
            "kernel's entry is not observable without patching it: its reset figures include SeaBIOS, "
            "QEMU's linuxboot option ROM and the bzImage decompressor, the ringvisor ones SeaBIOS, "
            "QEMU's Multiboot loader and the monitor. Both boot with `quiet`.")
        per_mode, logs = {}, {}
        for mode in ctx.modes:
            got = {}
            nboots = 1 if mode.name == "icount" else max(1, ctx.opts.linux_wall_boots)
            for i in range(nboots):
                # native first, then ringvisor, boot after boot: host load hits both alike
                for kernel in ("native", "pv"):
                    tag = "linux-%s%s" % (kernel, "-%d" % (i + 1) if nboots > 1 else "")
                    run = self.boot_and_parse(ctx, sec, mode, kernel, tag, logs)
                    if run:
                        got.setdefault(kernel, []).append(run)
            if got:
                per_mode[mode.name] = self.figures(mode, {k: best_run(v) for k, v in got.items()})
        for mode in ctx.modes:
            if mode.name in per_mode:
                sec.tables.append(self.table(mode, per_mode[mode.name]))
        if ctx.opts.linux_profile:
            prof = self.profile(ctx, sec)
            if prof:
                per_mode.setdefault("profile", prof)
        for mode in ctx.modes:
            if mode.name in logs:
                sec.blocks.append(("Hypercalls and traps of the ringvisor guest, whole boot [%s] "
                                   "(monitor's (rv) lines)" % mode.name, profile_lines(logs[mode.name])))
        sec.data = {"modes": per_mode}
        return sec

    def boot_and_parse(self, ctx, sec, mode, kernel, tag, logs):
        res, run, problems = (self.boot_native if kernel == "native" else self.boot_pv)(ctx, mode, tag)
        problems += ["RVBENCH-ERROR " + e for e in run["errors"]]
        if not run["done"]:
            problems.append("no 'RVBENCH done' line")
        if problems:
            sec.errors += ["[%s, %s] %s (log: %s)" % (mode.name, kernel, p, os.path.relpath(res.serial, ROOT))
                           for p in problems]
        if not (run["ops"] or run["tsc"]):
            return None
        if kernel == "pv":
            m = [RE_MON_ENTRY.match(l.rstrip()) for l in res.log.splitlines()]
            m = [x for x in m if x]
            if m:
                run["tsc"]["entry"] = int(m[0].group(1))
            run["profile"] = parse_profile(res.log, "linux")
            logs.setdefault(mode.name, res.log)
        run["ops"].update(boot_figures(run["tsc"]))
        run["seconds"] = round(res.elapsed, 1)
        return run

    def figures(self, mode, got):
        """One mode: {"tsc_mhz", "calibrations", "native": {...}, "pv": {...}}
        with per-op cycles and us, and boot figures in cycles and us."""
        cals = sorted(r["tsc_mhz"] for r in got.values() if r["tsc_mhz"])
        mhz = 1000.0 if mode.name == "icount" else (cals[len(cals) // 2] if cals else None)
        out = {"tsc_mhz": mhz, "calibrations": {k: r["tsc_mhz"] for k, r in got.items()}}
        for kernel, run in got.items():
            ops = {k: dict(f, us=f["cycles"] / mhz if mhz else None) for k, f in run["ops"].items()}
            out[kernel] = {"ops": ops, "seconds": run.get("seconds"), "profile": run.get("profile", {})}
        return out

    def table(self, mode, fig):
        cols = [("op", "operation"), ("native", "native us"), ("pv", "ringvisor us"), ("ratio", "ratio"),
                ("target", "target"), ("met", "met")]
        rows = []
        for key, label, target in self.OPS + self.BOOTS:
            n = fig.get("native", {}).get("ops", {}).get(key)
            p = fig.get("pv", {}).get("ops", {}).get(key)
            row = {"key": key, "op": label, "native": n and n["us"], "pv": p and p["us"]}
            if n and p:
                row["ratio"] = ratio_cell(p["cycles"], n["cycles"])
                if target:
                    r = p["cycles"] / n["cycles"]
                    # the control must be 1.00 (to 2%); the others at most their target
                    ok = abs(r - 1.0) <= 0.02 if target == 1.0 else r <= target
                    row["met"] = "yes" if ok else "no"
            if target:
                row["target"] = "1.00 +- 0.02" if target == 1.0 else "<= %.2f" % target
            if n is None and p is None:
                continue
            rows.append(row)
        notes = []
        cal = fig.get("calibrations", {})
        notes.append("[%s] us at %s MHz%s; the benchmark's calibrations: native %s, ringvisor %s MHz" % (
            mode.name, fmt_num(fig["tsc_mhz"]) if fig["tsc_mhz"] else "?",
            " (icount: 1 instruction = 1 ns)" if mode.name == "icount" else " (their median)",
            fmt_num(cal.get("native")), fmt_num(cal.get("pv"))))
        notes.append("[%s] boots took %s s (native) and %s s (ringvisor) of real time" % (
            mode.name, fmt_num(fig.get("native", {}).get("seconds")), fmt_num(fig.get("pv", {}).get("seconds"))))
        if mode.name == "icount":
            notes.append("Under icount a privileged instruction, a TLB flush or a trap costs one "
                         "instruction's time: ratios count instructions. The wall table says what the "
                         "emulator really spends; neither is hardware.")
        return Table("%s: %s" % (mode.name, mode.title), cols, rows, notes)

    def profile(self, ctx, sec):
        """--linux-profile: under icount, one ringvisor boot per operation
        (rvbench only=KEY) and one that times nothing (only=none); the
        difference of the monitor's end-of-domain counters, divided by the
        operations run (warm-up included), is what one operation costs in
        hypercalls and bounced traps, hypercall by hypercall."""
        mode = next((m for m in ctx.modes if m.name == "icount"), None) or \
            next(m for m in all_modes(1) if m.name == "icount")
        res, base_run, problems = self.boot_pv(ctx, mode, tag="linux-prof-none", only="none")
        if problems:
            sec.errors += ["[profile] baseline: %s" % p for p in problems]
            return None
        base = parse_profile(res.log, "linux")
        rows, data = [], {}
        for key, label, target in self.OPS:
            res, run, problems = self.boot_pv(ctx, mode, tag="linux-prof-" + key, only=key)
            f = run["ops"].get(key)
            if problems or not f:
                sec.errors += ["[profile] %s: %s" % (key, p) for p in (problems or ["no figure"])]
                continue
            warm = max(1, f["n"] // 10)
            total = f["n"] * f["reps"] + warm
            d = profile_delta(parse_profile(res.log, "linux"), base, total)
            data[key] = {"ops": total, "per_op": d}
            top = sorted(((v, k) for k, v in d.items()
                          if k not in ("hypercalls", "traps", "events_raised", "events_delivered")), reverse=True)
            rows.append({"key": key, "op": label, "hc": d.get("hypercalls", 0.0), "traps": d.get("traps", 0.0),
                         "events": d.get("events_delivered", 0.0),
                         "detail": ", ".join("%s %s" % (k, fmt_num(v)) for v, k in top[:8]) or "-"})
        sec.tables.append(Table(
            "Per operation, ringvisor guest: hypercalls and bounced traps (icount, --linux-profile)",
            [("op", "operation"), ("hc", "hypercalls/op"), ("traps", "traps/op"), ("events", "events/op"),
             ("detail", "largest counters per op (hypercall names; vecN: exception N bounced)")], rows,
            ["Each row: a boot timing only that operation less a boot timing nothing, divided by the "
             "operations run (repetitions and warm-up); the monitor's per-domain counters "
             "(`(rv) dN linux: profile:` and `emulated ...; hypercalls N, exceptions bounced N`)."]))
        return data


# ------------------------------------------------------------------ the I/O suite

RE_FIGURE = re.compile(r"RVTEST figure (\S+) ([\d.]+)")


def rvtest_figures(lines):
    """linux/rvdev.sh's `RVTEST figure NAME VALUE` lines: {NAME: float}."""
    out = {}
    for line in lines:
        m = RE_FIGURE.search(line)
        if m:
            out[m.group(1)] = float(m.group(2))
    return out


def free_udp_ports(n):
    import socket
    socks = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(n)]
    for s in socks:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


class IoSuite(KernelPair):
    """Virtio block and network throughput and latency: the patched Linux
    on ringvisor's devices (virtio over the hypercall transport, the
    monitor's switch and disks) against the same source built for bare
    i386 on QEMU's own virtio-blk-pci and virtio-net-pci.  The in-guest
    part is linux/rvdev.sh (phases bench-blk, net-a, net-b)."""

    name = "io"
    title = "I/O: virtio disks and network, Linux on ringvisor against the same kernel on QEMU's virtio-pci"
    disk_mb = 64

    ROWS = [
        ("blk-write-MBps-vda", "block write, MB/s (O_DIRECT, 64 KiB): ringvisor ATA region / native virtio-blk-pci"),
        ("blk-read-MBps-vda", "block read, MB/s (O_DIRECT, 64 KiB): ringvisor ATA region / native virtio-blk-pci"),
        ("blk-write-MBps-vdb", "block write, MB/s: ringvisor RAM disk (disk=ram:)"),
        ("blk-read-MBps-vdb", "block read, MB/s: ringvisor RAM disk (disk=ram:)"),
        ("tcp-MBps", "TCP guest to guest, MB/s (busybox nc)"),
        ("ping-avg-ms", "ping round trip guest to guest, ms (mean of 20)"),
    ]

    def sizes(self, ctx):
        return (8, 4) if ctx.opts.quick else (32, 16)   # MiB: block, network

    def disk_image(self, ctx, tag):
        img = os.path.join(ctx.outdir, "io-%s.img" % tag)
        with open(img, "wb") as f:
            f.truncate(self.disk_mb << 20)
        return img

    def pv_cmd(self, phase, mb):
        return "console=hvc0 quiet rvdev=%s rvmb=%d" % (phase, mb)

    def blk_pv(self, ctx, mode, mb):
        img = self.disk_image(ctx, "pv-" + mode.name)
        mods = ["%s name=linux mem=128M initrd=next disk=ata0:0+%d disk=ram:%dM -- %s" % (
            self.pv_image, self.disk_mb * 2048, self.disk_mb, self.pv_cmd("bench-blk", mb)), self.initrd]
        res = ctx.boot("io-blk-pv", mode, modules=mods, mem=256 + self.disk_mb,
                       extra=["-drive", "file=%s,format=raw,if=ide" % img])
        os.unlink(img)
        return res, rvtest_figures(console_lines(res.log, "linux")), boot_problems(res, ["linux"])

    def native_mode(self, mode):
        """Under icount the native kernel waits for QEMU's disk or the other
        QEMU, which answer in real time: with sleep=off its clock would jump
        to its next timer while it waits.  sleep=on lets it follow real
        time then (so those figures mix instructions and real waiting)."""
        if mode.name != "icount":
            return mode
        return Mode(mode.name, mode.title, mode.kvm,
                    [a.replace("sleep=off", "sleep=on") for a in mode.qemu_args], mode.boots)

    def blk_native(self, ctx, mode, mb):
        img = self.disk_image(ctx, "native-" + mode.name)
        res = ctx.boot("io-blk-native", self.native_mode(mode), kernel=self.native_image, modules=[self.initrd], mem=128,
                       append="console=ttyS0 quiet rvdev=bench-blk rvmb=%d" % mb,
                       extra=["-drive", "file=%s,format=raw,if=none,id=d0" % img,
                              "-device", "virtio-blk-pci,drive=d0"])
        os.unlink(img)
        return res, rvtest_figures(serial_lines(res.log)), self.native_problems(res)

    def net_pv(self, ctx, mode, mb):
        mods = []
        for side in ("a", "b"):
            mods += ["%s name=net-%s mem=128M initrd=next net=switch -- %s" % (
                self.pv_image, side, self.pv_cmd("net-" + side, mb)), self.initrd]
        res = ctx.boot("io-net-pv", mode, modules=mods, mem=400)
        figs = rvtest_figures(console_lines(res.log, "net-a"))
        return res, figs, boot_problems(res, ["net-a", "net-b"])

    def net_native(self, ctx, mode, mb):
        """Two QEMUs, each the native kernel with a virtio-net-pci, joined by
        QEMU's UDP socket netdev on 127.0.0.1, run at the same time."""
        import threading
        pa, pb = free_udp_ports(2)
        qmode = self.native_mode(mode)     # two emulators cannot share an instruction clock
        out = {}

        def one(side, local, remote, mac):
            extra = ["-netdev", "socket,id=n0,udp=127.0.0.1:%d,localaddr=127.0.0.1:%d" % (remote, local),
                     "-device", "virtio-net-pci,netdev=n0,mac=%s" % mac]
            out[side] = ctx.boot("io-net-native-" + side, qmode, kernel=self.native_image,
                                 modules=[self.initrd], mem=128,
                                 append="console=ttyS0 quiet rvdev=net-%s rvmb=%d" % (side, mb), extra=extra)
        ts = [threading.Thread(target=one, args=("a", pa, pb, "52:54:00:00:0a:01")),
              threading.Thread(target=one, args=("b", pb, pa, "52:54:00:00:0a:02"))]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        problems = self.native_problems(out["a"]) + self.native_problems(out["b"])
        return out["a"], rvtest_figures(serial_lines(out["a"].log)), problems

    def native_problems(self, res):
        lines = serial_lines(res.log)
        out = ["the boot timed out"] if res.timed_out else []
        if not any("RVTEST end: 0 failure(s)" in l for l in lines):
            out.append("no 'RVTEST end: 0 failure(s)' line")
        return out

    def run(self, ctx):
        sec = Section(self.name, self.title)
        blk_mb, net_mb = self.sizes(ctx)
        sec.intro.append(
            "The same kernel source and initramfs twice (linux/rvdev.sh does the work): the patched 6.1 on "
            "ringvisor, whose virtio devices are the monitor's (the virtio_op hypercall transport, "
            "drivers/), and the same source built for bare i386 (make linux-native) on QEMU's own "
            "virtio-blk-pci and virtio-net-pci. Block: %d MiB written then read on the raw device with "
            "O_DIRECT, 64 KiB per request; ringvisor's vda is a region of QEMU's IDE disk driven by the "
            "monitor (disk=ata0:), its vdb a RAM disk in the monitor (disk=ram:), native vda a "
            "virtio-blk-pci on a raw file. Network: two guests, 20 pings then %d MiB through busybox nc "
            "(TCP, checksummed); ringvisor's are two domains on the monitor's switch (net=switch), native "
            "two QEMUs joined by -netdev socket (UDP on 127.0.0.1). MB/s and ms from the guests' own "
            "clocks (/proc/uptime, ping); one boot per figure and mode." % (blk_mb, net_mb))
        per_mode = {}
        for mode in ctx.modes:
            fig = {"native": {}, "pv": {}}
            for kernel, what, fn, mb in (("native", "blk", self.blk_native, blk_mb), ("pv", "blk", self.blk_pv, blk_mb),
                                         ("native", "net", self.net_native, net_mb), ("pv", "net", self.net_pv, net_mb)):
                res, figs, problems = fn(ctx, mode, mb)
                if problems:
                    sec.errors += ["[%s, %s %s] %s (log: %s)" % (mode.name, kernel, what, p,
                                                                 os.path.relpath(res.serial, ROOT)) for p in problems]
                fig[kernel].update(figs)
                fig[kernel]["seconds-" + what] = round(res.elapsed, 1)
                if kernel == "pv" and what == "net":
                    sec.blocks.append(("Network boot, ringvisor [%s]: the monitor's counters" % mode.name,
                                       [l.rstrip() for l in res.log.splitlines()
                                        if re.match(r"^\(rv\) d\d+ net-[ab]: (profile:|emulated |net0: sent)", l)]))
            per_mode[mode.name] = fig
            rows = []
            for key, label in self.ROWS:
                n, p = fig["native"].get(key), fig["pv"].get(key)
                if n is None and p is None:
                    continue
                rows.append({"key": key, "what": label, "native": n, "pv": p, "ratio": ratio_cell(p, n)})
            notes = ["ratio = ringvisor / native (above 1: ringvisor has more MB/s, or a longer round trip)",
                     "[%s] real time of the boots, s: native blk %s, net %s; ringvisor blk %s, net %s" % (
                         mode.name, fmt_num(fig["native"].get("seconds-blk")), fmt_num(fig["native"].get("seconds-net")),
                         fmt_num(fig["pv"].get("seconds-blk")), fmt_num(fig["pv"].get("seconds-net")))]
            if mode.name == "icount":
                notes.append("icount: the ringvisor figures count instructions (its disks and both guests "
                             "are inside one emulator). The native boots run with sleep=on: QEMU's disk "
                             "and the other QEMU answer in real time, so a native guest's clock counts its "
                             "own instructions while it runs and real time while it waits; those figures "
                             "mix the two and compare only roughly.")
            sec.tables.append(Table("%s: %s" % (mode.name, mode.title),
                                    [("what", "figure"), ("native", "native"), ("pv", "ringvisor"),
                                     ("ratio", "ratio")], rows, notes))
        sec.data = {"modes": per_mode, "block_mib": blk_mb, "net_mib": net_mb}
        return sec


class CtlSuite:
    """The control plane (issue 11): tests/conformance/ctl/ctl-cycles, a
    control domain that creates a small guest, reads its first console
    line back and destroys it (or waits for its exit code), 100 times.
    It prints `BENCH ctl cycles=N first_line_us=U cycles_per_s=C` in
    guest time (instructions under icount).  The monitor's memory per
    domain is the size of its struct domain (nm of monitor.elf)."""

    name = "ctl"
    title = "Control plane: domain creation and destruction from a control domain"
    image = "tests/conformance/ctl-cycles.elf"

    def available(self, ctx):
        if not os.path.isfile(ctx.path(self.image)):
            return False, "%s is not built (make bench builds it)" % self.image
        return True, ""

    def per_domain_bytes(self, ctx):
        try:
            out = subprocess.run(["nm", "-S", ctx.path("monitor.elf")], stdout=subprocess.PIPE,
                                 stderr=subprocess.DEVNULL).stdout.decode()
        except OSError:
            return None
        for line in out.splitlines():
            f = line.split()
            if len(f) == 4 and f[3] == "domains":
                return int(f[1], 16) // 32      # MAX_DOMAINS (monitor/domain.h)
        return None

    def run(self, ctx):
        sec = Section(self.name, self.title)
        sec.intro.append("Guest time as the control domain sees it (rv_time_ns): from the CREATE call to "
                         "reading the new domain's first console line (polling its console, yielding "
                         "between reads), and whole cycles per second (create, first line, destroy or "
                         "wait for the exit code). Goal: a small guest created and running in under 5 ms "
                         "of guest time (icount).")
        rows, per_mode = [], {}
        for mode in ctx.modes:
            res = ctx.boot("ctl", mode, ["%s name=ctl-cycles control" % self.image], timeout=300)
            problems = boot_problems(res, ["ctl-cycles"])
            figs = {}
            for line in console_lines(res.log, "ctl-cycles"):
                if line.startswith("BENCH ctl "):
                    figs = {k: float(v) for k, v in RE_KV.findall(line)}
            if problems or not figs:
                sec.errors.append("[%s] %s (log: %s)" % (mode.name, "; ".join(problems) or "no BENCH ctl line",
                                                           os.path.relpath(res.serial, ROOT)))
                continue
            per_mode[mode.name] = figs
            rows.append({"mode": mode.name, "first_line_us": figs.get("first_line_us"),
                         "cycles_per_s": figs.get("cycles_per_s"),
                         "met": "yes" if figs.get("first_line_us", 1e9) < 5000 else "no"})
        size = self.per_domain_bytes(ctx)
        notes = ["monitor memory per domain: struct domain %s bytes (%.1f KiB) plus its shared_info page "
                 "(4 KiB); goal < 64 KiB" % (size, size / 1024.0)] if size else []
        sec.tables.append(Table("Create to first console line, and create+destroy cycles",
                                [("mode", "mode"), ("first_line_us", "create to first line, us"),
                                 ("cycles_per_s", "cycles/s"), ("met", "< 5 ms")], rows, notes))
        sec.data = {"modes": per_mode, "struct_domain_bytes": size}
        return sec


# ------------------------------------------------------------------ the suites

SUITES = [HvSuite(), LinuxSuite(), IoSuite(), CtlSuite()]


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
    ap.add_argument("--linux-args", default="", metavar="WORDS",
                    help="more words for the Linux benchmark (rvbench run), e.g. 'reps=3 only=pipe'")
    ap.add_argument("--linux-wall-boots", type=int, default=1, metavar="N",
                    help="boots of each Linux kernel in real-time modes; each figure is the best (default 1)")
    ap.add_argument("--linux-profile", action="store_true",
                    help="also count the ringvisor guest's hypercalls and traps per operation "
                         "(one icount boot per operation, a few minutes)")
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
