"""tests/bench/teardown_bench.py: the teardown suite of make bench (issue 20).

Two figures, in each mode:

- scrub throughput: tests/guests/memhog.c (mem=SIZE, restart=always,
  `crash`) fills all of its memory with a plain memset and crashes; the
  monitor scrubs its frames and starts it again, five times.  The
  monitor's `scrubbed N KiB in T ms (U us zeroing, R MiB/s)` lines give
  the scrub rate (zeroing time only), the guest's `MEMHOG ... mib_s=R`
  lines the memset rate over the same bytes; the table has the median of
  each and their ratio.
- destroy to exit: memhog with mem=512M fills its memory and powers off;
  the time from the monitor's exit line to the end of the QEMU process,
  on the host's clock (the serial line is read as QEMU writes it).  The
  monitor leaves a scrub no domain could see to the emulator (scrub.c),
  so this is what powering off a big guest costs.

Booted with tools/run-qemu.sh on the serial line (stdio), not through
Context.boot, to time lines as they come.
"""
import os
import re
import statistics
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RE_SCRUB = re.compile(r"^\(rv\) d\d+ memhog: scrubbed (\d+) KiB in (\d+) ms \((\d+) us zeroing, (\d+) MiB/s\)")
RE_MEMHOG = re.compile(r"^\[d\d+ memhog\] MEMHOG bytes=(\d+) ns=(\d+) mib_s=(\d+)")
RE_EXIT = re.compile(r"^\(rv\) d\d+ memhog: exit (poweroff|crash|reboot) code")


def timed_boot(ctx, tag, mode, module, mem):
    """Boots the monitor with one module; returns [(seconds, line)], the
    seconds at which QEMU ended, and its status.  The log is kept."""
    cmd = [os.path.join(ROOT, "tools", "run-qemu.sh"), "--mem", str(mem),
           "--timeout", str(ctx.opts.timeout), "--kernel", ctx.path("monitor.elf"),
           "--append", "autoexit", "--module", module]
    if mode.kvm:
        cmd.append("--kvm")
    if mode.qemu_args:
        cmd += ["--"] + mode.qemu_args
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    lines = []
    for raw in p.stdout:
        lines.append((time.monotonic() - t0, raw.decode("utf-8", "replace").rstrip("\r\n")))
    status = p.wait()
    end = time.monotonic() - t0
    log = os.path.join(ctx.logdir, "%s-%s.serial" % (tag, mode.name))
    with open(log, "w") as f:
        f.writelines("%8.3f %s\n" % l for l in lines)
    ctx.boots.append({"tag": tag, "mode": mode.name, "seconds": round(end, 2), "status": status,
                      "timed_out": status == 124, "command": " ".join(cmd),
                      "log": os.path.relpath(log, ctx.outdir)})
    return lines, end, status


class TeardownSuite:
    name = "teardown"
    title = "Domain teardown: scrub throughput and destroy-to-exit (tests/guests/memhog.c)"

    def __init__(self, table, section):
        self.Table, self.Section = table, section

    def available(self, ctx):
        if not os.path.exists(ctx.path("guests/memhog.elf")):
            return False, "build/guests/memhog.elf is not built"
        return True, ""

    def scrub(self, ctx, mode, mib, errors):
        module = "%s mem=%dM restart=always -- crash" % (
            os.path.relpath(ctx.path("guests/memhog.elf"), ROOT), mib)
        lines, _, _ = timed_boot(ctx, "scrub", mode, module, mib + 128)
        scrub = [RE_SCRUB.match(l) for _, l in lines]
        memset = [RE_MEMHOG.match(l) for _, l in lines]
        scrub = [int(m.group(4)) for m in scrub if m]
        memset = [int(m.group(3)) for m in memset if m]
        if len(scrub) < 5 or len(memset) < 6:
            errors.append("%s: %d scrubs and %d memsets, want 5 and 6" % (mode.name, len(scrub), len(memset)))
            return None
        s, m = statistics.median(scrub), statistics.median(memset)
        return {"scrub_mib_s": s, "memset_mib_s": m, "ratio": round(s / m, 2) if m else None,
                "scrubs": scrub, "memsets": memset}

    def destroy(self, ctx, mode, errors):
        module = "%s mem=512M" % os.path.relpath(ctx.path("guests/memhog.elf"), ROOT)
        best = None
        for _ in range(mode.boots):
            lines, end, status = timed_boot(ctx, "destroy", mode, module, 640)
            died = [t for t, l in lines if RE_EXIT.match(l)]
            if not died or status != 1:
                errors.append("%s: no memhog exit line or QEMU status %s" % (mode.name, status))
                return None
            secs = end - died[0]
            unscrubbed = any("left unscrubbed" in l for _, l in lines)
            if best is None or secs < best["seconds"]:
                best = {"seconds": round(secs, 3), "left_to_emulator": unscrubbed}
        return best

    def run(self, ctx):
        sec = self.Section(self.name, self.title)
        mib = 128 if ctx.opts.quick else 512
        sec.intro = [
            "Scrub: the monitor zeroing a dead domain's %d MiB (zeroing time only, median of 5) "
            "against the same guest's memset of its memory (libpvguest, REP STOSB; median of 6). "
            "Destroy to exit: from the exit line of a 512 MiB guest that touched all its memory "
            "to the end of QEMU, host clock, best of the mode's boots." % mib]
        rows, data = [], {}
        for mode in ctx.modes:
            sc = self.scrub(ctx, mode, mib, sec.errors)
            de = self.destroy(ctx, mode, sec.errors)
            data[mode.name] = {"scrub": sc, "destroy": de}
            rows.append({"mode": mode.name,
                         "scrub": sc and sc["scrub_mib_s"], "memset": sc and sc["memset_mib_s"],
                         "ratio": sc and sc["ratio"], "exit": de and de["seconds"]})
        sec.tables.append(self.Table(
            "Teardown", [("mode", "mode"), ("scrub", "scrub MiB/s"), ("memset", "guest memset MiB/s"),
                         ("ratio", "scrub / memset"), ("exit", "512 MiB guest: exit line to QEMU gone, s")],
            rows, ["Goal (issue 20): scrub within 1.5x of memset; a 512 MiB guest's poweroff to exit "
                   "under 3 s wall on QEMU TCG.  Under icount MiB/s count guest time (1 instruction "
                   "= 1 ns)."]))
        sec.data = data
        return sec
