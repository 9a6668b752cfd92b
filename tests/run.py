#!/usr/bin/env python3
"""tests/run.py: the conformance test runner.

Reads the manifests (tests/conformance/tests.list, then each ABI area's
tests/conformance/<area>/tests.list, in name order, then the hostile-guest
suite's tests/hostile/tests.list), packs the tests into
boots of up to 8 guests each, boots every group on QEMU TCG (monitor ELF
with -kernel, guests with -initrd) and the tests marked `strict` or `bochs` on Bochs
(a GRUB ISO; Bochs checks segment limits, TCG does not), reads the
monitor's serial log and prints one line per test and platform, then
`N passed, N failed, N skipped` as the very last line.

A test may bring more Multiboot modules (module=, e.g. a disk image for
disk=next) and a raw disk image as QEMU's IDE disk 0 (drive=NAME:SIZE);
the boots that share a drive run one after another, so a later boot
checks what an earlier one wrote.  A `nic` test boots with a network
card (an e1000 on QEMU's user network, restricted: nothing leaves the
machine).

The verdict comes from what the monitor says about a domain, never from
what the guest says about itself (tests/PROTOCOL.md): `exit poweroff code
N` gives 0 pass, 1 fail, 2 error, 3 skip; a domain killed, or one with no
exit line, crashed.  The guest's `RESULT:` line only supplies the message.

Results also go to build/test-results/results.tap (TAP 13) and junit.xml,
and host-side test suites (`--unit-result FILE`: output ending in a line
`N passed, N failed[, N skipped]`) are folded into the counts, so that
`make check` ends with one line that counts everything.

Python 3 standard library only.
"""

import argparse
import concurrent.futures
import glob
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONFORMANCE = os.path.join(ROOT, "tests", "conformance")


HOSTILE = os.path.join(ROOT, "tests", "hostile", "tests.list")


def default_manifests():
    top = os.path.join(CONFORMANCE, "tests.list")
    areas = sorted(glob.glob(os.path.join(CONFORMANCE, "*", "tests.list")))
    hostile = [HOSTILE] if os.path.isfile(HOSTILE) else []
    return ([top] if os.path.isfile(top) else []) + areas + hostile

PER_BOOT = 8                 # guests in one boot
TCG_TIMEOUT = 60             # seconds per boot
BOCHS_TIMEOUT = 240
DEFAULT_MEM_KB = 4096        # the monitor's default mem= (PROTOCOL.md)
NAME_MAX = 23                # monitor/modline.h: DOM_NAME_MAX 24 with the NUL
MODULE_INDEX_BASE = 0        # "(rv) module <INDEX> ...": the first module's index

# Verdicts.  FAIL, ERROR and CRASH all count as failed.
PASS, FAIL, ERROR, CRASH, SKIP = "PASS", "FAIL", "ERROR", "CRASH", "SKIP"
FAILED = (FAIL, ERROR, CRASH)
EXIT_CODES = {0: PASS, 1: FAIL, 2: ERROR, 3: SKIP}


# ---------------------------------------------------------------- manifest

class ManifestError(Exception):
    pass


class Test:
    """One manifest line: a guest image, how to boot it, what to expect."""

    def __init__(self, name, lineno=0):
        self.name = name
        self.lineno = lineno
        self.elf = "tests/conformance/%s.elf" % name   # under the build dir
        self.strict = False       # meaningful only where segment limits are enforced
        self.bochs = False        # runs on Bochs as well as TCG (need not rely on limits)
        self.alone = False        # boots by itself
        self.boot = None          # boot=NAME: shares a boot only with the other NAME tests
        self.icount = False       # boots on TCG with -icount shift=0,sleep=off (time = instructions)
        self.restarts = None      # restarts=N: the monitor must restart it exactly N times
        self.monlog = None        # monlog=REGEX: one of the monitor's lines about it must match
        self.nic = False          # boots with an e1000 on QEMU's restricted user network
        self.cpuflags = None      # cpuflags=A+B: QEMU -cpu qemu32,+A,+B (CPU features to add)
        self.smp = 1              # smp=N: QEMU -smp N, multi-threaded TCG (the monitor starts N CPUs)
        self.mem = None           # mem= as written (None: the monitor's default)
        self.mem_kb = DEFAULT_MEM_KB
        self.expect = None        # (kind, substring): ("killed"|"refused", text)
        self.args = ""            # guest command line (after --)
        self.modargs = ""         # raw module words before --
        self.timeout = None       # seconds, raises the boot's timeout
        self.modules = []         # module=PATH: more Multiboot modules after its own (disk=next)
        self.drive = None         # drive=NAME[:SIZE]: QEMU's IDE disk 0, shared across boots
        self.drive_kb = None

    def module_string(self, path):
        """The module command line PROTOCOL.md defines, after the path."""
        words = [path, "name=" + self.name]
        if self.mem is not None:
            words.append("mem=" + self.mem)
        if self.modargs:
            words.append(self.modargs)
        if self.args:
            words += ["--", self.args]
        return " ".join(words)


def parse_mem_kb(text):
    m = re.fullmatch(r"(\d+)([KkMmGg]?)", text)
    if not m:
        return None
    n, unit = int(m.group(1)), m.group(2).upper()
    return n * {"": 1, "K": 1, "M": 1024, "G": 1024 * 1024}[unit]


def strip_comment(line):
    """Drop a comment: from a '#' that starts a word outside quotes to the
    end of the line (so expect=killed:#GP keeps its '#')."""
    quote = None
    for i, c in enumerate(line):
        if quote:
            if c == quote:
                quote = None
        elif c in "'\"":
            quote = c
        elif c == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i]
    return line


def read_manifests(paths):
    """Every test of every manifest; a name may appear once in all."""
    tests, where = [], {}
    for path in paths:
        with open(path) as f:
            for t in parse_manifest(f.read(), rel(path)):
                if t.name in where:
                    raise ManifestError("%s:%d: test '%s' is also in %s" % (
                        rel(path), t.lineno, t.name, where[t.name]))
                where[t.name] = rel(path)
                tests.append(t)
    return tests


def parse_manifest(text, where="tests.list"):
    """Manifest lines (the format is described at the top of tests.list):
    NAME [strict] [bochs] [alone] [elf=PATH] [mem=SIZE] [expect=killed:TEXT]
    [expect=refused:TEXT] [expect=exit:KIND:CODE] [timeout=SEC] [boot=NAME]
    [module=PATH]... [drive=NAME[:SIZE]] [icount] [nic] [cpuflags=FLAG[+FLAG]] [smp=N] [monlog=REGEX]
    [modargs=WORDS] [args=WORDS]."""
    tests, seen = [], set()
    for lineno, line in enumerate(text.splitlines(), 1):
        try:
            words = shlex.split(strip_comment(line))
        except ValueError as e:
            raise ManifestError("%s:%d: %s" % (where, lineno, e))
        if not words:
            continue
        here = "%s:%d" % (where, lineno)
        name = words[0]
        if not re.fullmatch(r"[A-Za-z0-9._-]+", name) or len(name) > NAME_MAX:
            raise ManifestError("%s: test name '%s' must be 1-%d characters of [A-Za-z0-9._-]"
                                % (here, name, NAME_MAX))
        if name in seen:
            raise ManifestError("%s: test '%s' listed twice" % (here, name))
        seen.add(name)
        t = Test(name, lineno)
        for w in words[1:]:
            key, eq, val = w.partition("=")
            if not eq:
                if key == "strict":
                    t.strict = True
                elif key == "alone":
                    t.alone = True
                elif key == "bochs":
                    t.bochs = True
                elif key == "icount":
                    t.icount = True
                elif key == "nic":
                    t.nic = True
                else:
                    raise ManifestError("%s: unknown flag '%s'" % (here, key))
            elif key == "elf":
                t.elf = val
            elif key == "mem":
                if parse_mem_kb(val) is None:
                    raise ManifestError("%s: bad mem= '%s'" % (here, val))
                t.mem, t.mem_kb = val, parse_mem_kb(val)
            elif key == "expect":
                kind, colon, sub = val.partition(":")
                if kind not in ("killed", "refused", "exit") or not colon:
                    raise ManifestError("%s: expect= takes killed:TEXT, refused:TEXT or exit:KIND:CODE" % here)
                if kind == "exit" and not re.fullmatch(r"(poweroff|reboot|crash):\d+", sub):
                    raise ManifestError("%s: expect=exit: takes poweroff|reboot|crash:CODE" % here)
                t.expect = (kind, sub)
            elif key == "restarts":
                if not val.isdigit():
                    raise ManifestError("%s: bad restarts= '%s'" % (here, val))
                t.restarts = int(val)
            elif key == "boot":
                if not re.fullmatch(r"[A-Za-z0-9._-]+", val):
                    raise ManifestError("%s: bad boot= '%s'" % (here, val))
                t.boot = val
            elif key == "timeout":
                if not val.isdigit():
                    raise ManifestError("%s: bad timeout= '%s'" % (here, val))
                t.timeout = int(val)
            elif key == "module":
                t.modules.append(val)
            elif key == "monlog":
                try:
                    re.compile(val)
                except re.error as e:
                    raise ManifestError("%s: bad monlog= '%s': %s" % (here, val, e))
                t.monlog = val
            elif key == "drive":
                name, colon, size = val.partition(":")
                if not re.fullmatch(r"[A-Za-z0-9._-]+", name) or (colon and parse_mem_kb(size) is None):
                    raise ManifestError("%s: bad drive= '%s' (NAME or NAME:SIZE)" % (here, val))
                t.drive, t.drive_kb = name, parse_mem_kb(size) if colon else None
            elif key == "cpuflags":
                if not re.fullmatch(r"[a-z0-9_.-]+(\+[a-z0-9_.-]+)*", val):
                    raise ManifestError("%s: bad cpuflags= '%s' (FLAG[+FLAG]...)" % (here, val))
                t.cpuflags = val
            elif key == "smp":
                if not re.fullmatch(r"[1-9]|1[0-6]", val):
                    raise ManifestError("%s: bad smp= '%s' (1-16)" % (here, val))
                t.smp = int(val)
            elif key in ("args", "modargs"):
                setattr(t, key, val)
            else:
                raise ManifestError("%s: unknown key '%s'" % (here, key))
        # QEMU's -initrd separates modules with commas; GRUB's parser
        # would need quotes and backslashes escaped.
        for bad in (",", "'", "\\"):
            if bad in t.args + t.modargs + t.elf + "".join(t.modules):
                raise ManifestError("%s: '%s' cannot pass through -initrd or grub.cfg" % (here, bad))
        if t.drive and t.strict:
            raise ManifestError("%s: drive= tests run on QEMU only, they cannot be strict" % here)
        if t.nic and t.strict:
            raise ManifestError("%s: nic tests run on QEMU only, they cannot be strict" % here)
        if t.bochs and (t.drive or t.nic or t.cpuflags):
            raise ManifestError("%s: drive=, nic and cpuflags= tests run on QEMU only, not on Bochs" % here)
        if t.cpuflags and t.strict:
            raise ManifestError("%s: cpuflags= tests run on QEMU only, they cannot be strict" % here)
        if t.smp > 1 and t.strict:
            raise ManifestError("%s: smp= tests run on QEMU only, they cannot be strict" % here)
        if t.smp > 1 and t.icount:
            raise ManifestError("%s: smp= and icount exclude each other (icount is single-threaded TCG)" % here)
        tests.append(t)
    check_drives(tests, where)
    return tests


def check_drives(tests, where):
    """A drive has one size (given by at least one of its tests); the tests of
    one boot=NAME name at most one drive."""
    sizes, boots = {}, {}
    for t in tests:
        if t.drive:
            if t.drive_kb is not None and sizes.setdefault(t.drive, t.drive_kb) != t.drive_kb:
                raise ManifestError("%s:%d: drive '%s' has two sizes" % (where, t.lineno, t.drive))
            if t.boot and boots.setdefault(t.boot, t.drive) != t.drive:
                raise ManifestError("%s:%d: boot '%s' names two drives" % (where, t.lineno, t.boot))
    for t in tests:
        if t.drive:
            if t.drive not in sizes:
                raise ManifestError("%s:%d: drive '%s' has no size (drive=NAME:SIZE)" % (where, t.lineno, t.drive))
            t.drive_kb = sizes[t.drive]
        elif t.boot in boots:
            raise ManifestError("%s:%d: boot '%s' has a drive: name it here too" % (where, t.lineno, t.boot))


def make_groups(tests, per_boot=PER_BOOT):
    """Boots: `alone` tests by themselves, `boot=NAME` tests with each other
    (a witness beside the guests it watches), a test with a drive and no
    boot= by itself, icount tests and nic tests each only with their own
    kind, the rest in manifest order."""
    groups, cur, named = [], [], {}
    for t in tests:
        if t.alone or (t.drive and not t.boot):
            groups.append([t])
            continue
        if t.boot or t.icount or t.nic or t.cpuflags or t.smp > 1:
            # icount tests boot only with icount tests, nic tests with nic
            # tests, cpuflags tests with those of the same flags, smp= ones
            # with those of the same CPU count
            key = t.boot or "\0" + ("icount" if t.icount else "") + ("nic" if t.nic else "") + \
                ("cpu:" + t.cpuflags if t.cpuflags else "") + ("smp:%d" % t.smp if t.smp > 1 else "")
            g = named.get(key)
            if g is None or len(g) == per_boot:
                g = named[key] = []
                groups.append(g)
            g.append(t)
            continue
        cur.append(t)
        if len(cur) == per_boot:
            groups.append(cur)
            cur = []
    if cur:
        groups.append(cur)
    return groups


# --------------------------------------------------------------- log parser

ANSI = re.compile(r"\x1b(\[[0-9;?]*[ -/]*[@-~]|[@-Z\\-_])")
CTRL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
RE_STARTED = re.compile(r"\(rv\) d(\d+) (\S+): started\b")
RE_EXIT = re.compile(r"\(rv\) d(\d+) (\S+): exit (\w+) code (-?\d+)")
RE_KILLED = re.compile(r"\(rv\) d(\d+) (\S+): killed: (.*?)(?: \((eip .*)\))?$")
RE_REFUSED = re.compile(r"\(rv\) module (\d+) \((.*?)\): refused: (.*)$")
RE_PANIC = re.compile(r"\(rv\) PANIC: (.*)$")
RE_STOPPED = re.compile(r"\(rv\) all domains stopped")
RE_RESTART = re.compile(r"\(rv\) d(\d+) (\S+): restarting\b")
RE_DOMLINE = re.compile(r"\(rv\) d(\d+) (\S+): (.*)$")
RE_CONSOLE = re.compile(r"\[d(\d+) ([^\]\s]+)\] ?(.*)$")
RE_RESULT = re.compile(r"RESULT: (\w+) ?(.*)$")
PANIC_DUMP_LINES = 24


def clean_line(line):
    """A serial line without terminal escapes (GRUB clears the screen on
    COM1) and control characters."""
    return CTRL.sub("", ANSI.sub("", line)).rstrip()


class LogInfo:
    """What the monitor said, by domain name."""

    def __init__(self):
        self.names = {}        # domain id -> name
        self.started = set()
        self.exits = {}        # name -> (kind, code)
        self.killed = {}       # name -> (reason, detail)
        self.refused = {}      # module index -> (path, reason)
        self.results = {}      # name -> (word, message) from the guest's RESULT line
        self.console = {}      # name -> [lines]
        self.panic = None      # [first line, dump lines...]
        self.all_stopped = False
        self.restarts = {}     # name -> times the monitor restarted it
        self.monitor = {}      # name -> [what the monitor said about it: "(rv) dN NAME: ..."]


def parse_log(text):
    info = LogInfo()
    panic_left = 0
    for raw in text.splitlines():
        line = clean_line(raw)
        if panic_left:
            info.panic.append(line)
            panic_left -= 1
            continue
        m = RE_CONSOLE.match(line)
        if m:
            name = info.names.get(int(m.group(1)), m.group(2))
            info.console.setdefault(name, []).append(m.group(3))
            r = RE_RESULT.match(m.group(3))
            if r:
                info.results[name] = (r.group(1), r.group(2))
            continue
        if not line.startswith("(rv) "):
            continue
        m = RE_DOMLINE.match(line)
        if m:
            info.monitor.setdefault(m.group(2), []).append(m.group(3))
        m = RE_STARTED.match(line)
        if m:
            info.names[int(m.group(1))] = m.group(2)
            info.started.add(m.group(2))
            continue
        m = RE_EXIT.match(line)
        if m:
            info.exits[m.group(2)] = (m.group(3), int(m.group(4)))
            continue
        m = RE_KILLED.match(line)
        if m:
            info.killed[m.group(2)] = (m.group(3), m.group(4) or "")
            continue
        m = RE_REFUSED.match(line)
        if m:
            info.refused[int(m.group(1))] = (m.group(2), m.group(3))
            continue
        m = RE_PANIC.match(line)
        if m and info.panic is None:
            info.panic = [line]
            panic_left = PANIC_DUMP_LINES
            continue
        m = RE_RESTART.match(line)
        if m:
            info.restarts[m.group(2)] = info.restarts.get(m.group(2), 0) + 1
            continue
        if RE_STOPPED.match(line):
            info.all_stopped = True
    return info


# ------------------------------------------------------------------ verdict

class Result:
    def __init__(self, test, platform, verdict, reason="", details=None, elapsed=0.0, log=None):
        self.test = test            # test name
        self.platform = platform    # "tcg", "bochs", or a host suite's name
        self.verdict = verdict
        self.reason = reason
        self.details = details or []
        self.elapsed = elapsed
        self.log = log

    def line(self):
        s = "%s %s [%s]" % (self.verdict, self.test, self.platform)
        return s + (": " + self.reason if self.reason else "")


class Boot:
    """How an emulator run ended."""

    def __init__(self, status=None, timed_out=False, elapsed=0.0, note=""):
        self.status = status        # emulator exit status
        self.timed_out = timed_out
        self.elapsed = elapsed
        self.note = note            # e.g. Bochs' panic message


def judge_one(t, index, info, boot, platform):
    verdict, reason = judge_end(t, index, info, boot, platform)
    if t.restarts is not None and verdict == PASS and info.restarts.get(t.name, 0) != t.restarts:
        return FAIL, "restarted %d time(s), expected %d" % (info.restarts.get(t.name, 0), t.restarts)
    if t.monlog and verdict == PASS and not any(re.search(t.monlog, l) for l in info.monitor.get(t.name, [])):
        return FAIL, "no line of the monitor's about it matches monlog=%s" % t.monlog
    return verdict, reason


def judge_end(t, index, info, boot, platform):
    msg = info.results.get(t.name, (None, ""))[1]
    expect_kind, expect_sub = t.expect or (None, None)
    refused = info.refused.get(index + MODULE_INDEX_BASE)
    if expect_kind == "refused":
        if refused and expect_sub in refused[1]:
            return PASS, "refused as expected: " + refused[1]
        if refused:
            return FAIL, "refused for '%s', expected '%s'" % (refused[1], expect_sub)
        return FAIL, "expected the module to be refused (%s)" % expect_sub
    if refused and t.name not in info.started:
        return ERROR, "module refused: " + refused[1]
    if t.name in info.killed:
        reason, detail = info.killed[t.name]
        if expect_kind == "killed" and expect_sub in reason:
            return PASS, "killed as expected: " + reason
        return CRASH, "killed: %s%s" % (reason, " (%s)" % detail if detail else "")
    if t.name in info.exits:
        kind, code = info.exits[t.name]
        if expect_kind == "exit":
            if "%s:%d" % (kind, code) == expect_sub:
                return PASS, "exit %s code %d as expected" % (kind, code)
            return FAIL, "expected exit %s, got exit %s code %d%s" % (
                expect_sub, kind, code, ": " + msg if msg else "")
        if expect_kind == "killed":
            return FAIL, "expected to be killed (%s), but: exit %s code %d%s" % (
                expect_sub, kind, code, ": " + msg if msg else "")
        if kind != "poweroff":
            return CRASH, "exit %s code %d%s" % (kind, code, ": " + msg if msg else "")
        verdict = EXIT_CODES.get(code)
        if verdict is None:
            return FAIL, "exit code %d is not a test result%s" % (code, ": " + msg if msg else "")
        if verdict == PASS:
            return PASS, ""
        return verdict, msg or "(no RESULT message)"
    if info.panic:
        return FAIL, "monitor " + info.panic[0][len("(rv) "):]
    if boot.timed_out:
        return CRASH, "no exit line: the boot timed out after %.0f s" % boot.elapsed
    why = "never started" if t.name not in info.started else "no exit line"
    how = boot.note or ("emulator exit status %s" % boot.status)
    if platform == "tcg" and boot.status == 0:
        how = "QEMU exited 0: the machine reset (a triple fault?)"
    return CRASH, "%s (%s)" % (why, how)


def judge(group, info, boot, platform, log=None):
    out = []
    per_test = boot.elapsed / max(1, len(group))
    index = 0   # each test's module index: module= files come after their test's image
    for t in group:
        verdict, reason = judge_one(t, index, info, boot, platform)
        index += 1 + len(t.modules)
        # Bochs enforces segment limits: a strict test that skips there
        # never tested what it is for.
        if platform == "bochs" and t.strict and verdict == SKIP:
            verdict, reason = FAIL, "skipped on a CPU that enforces segment limits: " + reason
        details = []
        if verdict in FAILED:
            details = ["console: " + l for l in info.console.get(t.name, [])[-12:]]
            if info.panic and t.name not in info.exits:
                details += info.panic
            if log:
                details.append("log: " + rel(log))
        out.append(Result(t.name, platform, verdict, reason, details, per_test, log))
    return out


# -------------------------------------------------------- host test suites

RE_SUMMARY = re.compile(r"^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$")
RE_HOSTLINE = re.compile(r"^(PASS|FAIL|ERROR|CRASH|SKIP)\s+(.*)$")


def parse_host_result(text, suite):
    """A host suite's output: optional `PASS what` / `FAIL what` / `SKIP
    what` lines, and a last `N passed, N failed[, N skipped]` line that is
    authoritative for the counts."""
    summary, lines = None, []
    for raw in text.splitlines():
        line = clean_line(raw)
        m = RE_SUMMARY.match(line)
        if m:
            summary = (int(m.group(1)), int(m.group(2)), int(m.group(3) or 0))
            continue
        m = RE_HOSTLINE.match(line)
        if m:
            # The whole rest names the case: suites differ in how they add a reason.
            lines.append(Result(m.group(2), suite, m.group(1)))
    if summary is None:
        return [Result(suite, suite, ERROR, "no 'N passed, N failed' line in its output")]
    counted = (sum(r.verdict == PASS for r in lines),
               sum(r.verdict in FAILED for r in lines),
               sum(r.verdict == SKIP for r in lines))
    if counted == summary:
        return lines
    # The lines do not add up to the summary: trust the summary.
    p, f, s = summary
    out = [Result("%s#%d" % (suite, i + 1), suite, PASS) for i in range(p)]
    fails = [r for r in lines if r.verdict in FAILED]
    for i in range(f):
        r = fails[i] if i < len(fails) else None
        out.append(Result(r.test if r else "%s#f%d" % (suite, i + 1), suite, FAIL,
                          "" if r else "see the %s output" % suite))
    out += [Result("%s#s%d" % (suite, i + 1), suite, SKIP) for i in range(s)]
    return out


# ------------------------------------------------------------------ booting

def machine_megs(group):
    """RAM for a boot: the guests, their images, and room for the monitor."""
    need = sum(t.mem_kb for t in group) // 1024 + 2 * len(group) + 48
    return max(128, (need + 31) // 32 * 32)


class Runner:
    def __init__(self, opts):
        self.opts = opts
        self.build = os.path.join(ROOT, opts.build)
        self.logs = os.path.join(self.build, "test-logs")
        self.monitor = os.path.join(self.build, "monitor.elf")

    def image(self, t):
        return os.path.join(self.build, t.elf)

    def files(self, t):
        """The test's image and its module= files."""
        return [self.image(t)] + [os.path.join(self.build, m) for m in t.modules]

    def drive_path(self, name):
        return os.path.join(self.logs, "drive-%s.img" % name)

    def run_job(self, job):
        """Boots one after another: the boots of a drive=NAME share one
        raw image, created zeroed before the first, so a later boot reads
        what an earlier one wrote (persistence across a power-off)."""
        drive = group_drive(job[0][2])
        if drive:
            size = next(t.drive_kb for t in job[0][2] if t.drive)
            with open(self.drive_path(drive), "wb") as f:
                f.truncate(size * 1024)
        results = []
        for platform, n, group in job:
            results += self.run(platform, n, group)
        if drive and not self.opts.keep_logs and all(r.verdict not in FAILED for r in results):
            os.unlink(self.drive_path(drive))
        return results

    def run(self, platform, n, group):
        """Boot one group; return its Results."""
        tag = "%s-%02d" % (platform, n)
        serial = os.path.join(self.logs, tag + ".serial")
        out = os.path.join(self.logs, tag + ".out")
        if not os.path.isfile(self.monitor):
            return [Result(t.name, platform, ERROR, "not built: " + rel(self.monitor))
                    for t in group]
        absent = {t.name: [f for f in self.files(t) if not os.path.isfile(f)] for t in group}
        missing = [Result(t.name, platform, ERROR, "not built: " + rel(absent[t.name][0]))
                   for t in group if absent[t.name]]
        if missing:
            rest = [t for t in group if not absent[t.name]]
            results = missing + (self.run(platform, n, rest) if rest else [])
            order = [t.name for t in group]
            return sorted(results, key=lambda r: order.index(r.test))
        timeout = self.opts.timeout or (TCG_TIMEOUT if platform == "tcg" else BOCHS_TIMEOUT)
        timeout = max([timeout] + [t.timeout for t in group if t.timeout])
        moncmd = " ".join(["autoexit"] + self.opts.monitor_args)
        tools = os.path.join(ROOT, "tools")
        iso = None
        if platform == "tcg":
            cmd = [os.path.join(tools, "run-qemu.sh"), "--serial", serial,
                   "--mem", str(machine_megs(group)),
                   "--kernel", rel(self.monitor), "--append", moncmd]
            smp = max(t.smp for t in group)
            if smp > 1:
                # The monitor starts every CPU (monitor/smp.c); run-qemu.sh
                # runs them on multi-threaded TCG, at once as on SMP hardware.
                cmd += ["--smp", str(smp)]
            for t in group:
                cmd += ["--module", t.module_string(rel(self.image(t)))]
                cmd += [a for f in self.files(t)[1:] for a in ("--module", rel(f))]
            drive = group_drive(group)
            extra = qemu_extras(group, rel(self.drive_path(drive)) if drive else None)
            if extra:
                cmd += ["--"] + extra
        else:
            iso = os.path.join(self.logs, tag + ".iso")
            mk = [os.path.join(tools, "mkiso.sh"), iso, self.monitor, moncmd]
            mk += [m for t in group for m in [t.module_string(self.image(t))] + self.files(t)[1:]]
            p = subprocess.run(mk, cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
            if p.returncode != 0:
                return [Result(t.name, platform, ERROR, "mkiso.sh failed: " +
                               p.stdout.strip().splitlines()[-1]) for t in group]
            cmd = [os.path.join(tools, "run-bochs.sh"), "--serial", serial,
                   "--megs", str(machine_megs(group)), iso]
        with open(out, "w") as f:
            f.write("# " + " ".join(shlex.quote(c) for c in cmd) + "\n")
        boot = self.boot(cmd, serial, out, timeout)
        if platform == "bochs":
            boot.note = bochs_note(read(out))
        info = parse_log(read(serial))
        results = judge(group, info, boot, platform, serial)
        clean = all(r.verdict not in FAILED for r in results)
        if clean and not self.opts.keep_logs:
            for f in (serial, out, iso):
                if f and os.path.exists(f):
                    os.unlink(f)
        elif iso and not self.opts.keep_logs:
            os.unlink(iso)
        return results

    def boot(self, cmd, serial, out, timeout):
        """Run an emulator; stop it at the timeout, or soon after the log
        shows the run is over but the emulator has not left (a monitor that
        panicked, or an autoexit that did not work)."""
        start = time.monotonic()
        with open(out, "a") as f:
            p = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.DEVNULL,
                                 stdout=f, stderr=subprocess.STDOUT,
                                 start_new_session=True)
        over_at = None
        timed_out = False
        polls = 0
        while p.poll() is None:
            time.sleep(0.05)
            now = time.monotonic()
            polls += 1
            if over_at is None and polls % 5 == 0:
                text = read(serial)
                if "(rv) PANIC" in text or "(rv) all domains stopped" in text:
                    over_at = now
            if over_at is not None and now - over_at > 5:
                kill(p)
                break
            if now - start > timeout:
                timed_out = True
                kill(p)
                break
        p.wait()
        return Boot(p.returncode, timed_out, time.monotonic() - start)


def qemu_extras(group, drive_image):
    """QEMU options a boot's tests need beyond the machine run-qemu.sh makes."""
    extra = []
    if drive_image:
        extra += ["-drive", "file=%s,format=raw,if=ide,index=0,media=disk" % drive_image]
    if any(t.nic for t in group):
        # QEMU's user network (slirp) with restrict=on: its DHCP server and
        # gateway answer, nothing is routed off the machine.
        extra += ["-netdev", "user,id=n0,restrict=on", "-device", "e1000,netdev=n0"]
    flags = next((t.cpuflags for t in group if t.cpuflags), None)
    if flags:
        extra += ["-cpu", "qemu32," + ",".join("+" + f for f in flags.split("+"))]
    if any(t.icount for t in group):
        # Guest time follows the instruction count: timing tests do not
        # move with the host's load (../shared/notes/x86-facts.md).
        extra += ["-icount", "shift=0,sleep=off"]
    return extra


def group_drive(group):
    """The drive a boot's tests name (check_drives allows one), or None."""
    return next((t.drive for t in group if t.drive), None)


def jobs(plan):
    """The plan's boots as jobs: a boot by itself, or all the boots that
    share a drive, in plan order (they must run one after another)."""
    out, by_drive = [], {}
    for item in plan:
        drive = group_drive(item[2])
        if drive in by_drive:
            by_drive[drive].append(item)
            continue
        out.append([item])
        if drive:
            by_drive[drive] = out[-1]
    return out


def rel(path):
    """A path as the user sees it from the top of the tree."""
    r = os.path.relpath(path, ROOT)
    return path if r.startswith("..") else r


def kill(p):
    """The emulator and whatever it started (the scripts' `timeout`)."""
    try:
        os.killpg(p.pid, 9)
    except ProcessLookupError:
        pass


def read(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace")
    except FileNotFoundError:
        return ""


def bochs_note(text):
    """Why Bochs stopped, from its log (empty for the Shutdown port)."""
    for line in text.splitlines():
        if ">>PANIC<<" in line and "Shutdown port" not in line:
            return "Bochs: " + line.split(">>PANIC<<", 1)[1].strip()
    return ""


# ---------------------------------------------------------------- reporting

def counts(results):
    return (sum(r.verdict == PASS for r in results),
            sum(r.verdict in FAILED for r in results),
            sum(r.verdict == SKIP for r in results))


def write_tap(path, results):
    lines = ["TAP version 13", "1..%d" % len(results)]
    for i, r in enumerate(results, 1):
        desc = "%s/%s" % (r.platform, r.test)
        if r.verdict == SKIP:
            lines.append("ok %d - %s # SKIP %s" % (i, desc, r.reason))
        elif r.verdict == PASS:
            lines.append("ok %d - %s" % (i, desc))
        else:
            lines.append("not ok %d - %s" % (i, desc))
            lines += ["  ---", "  verdict: %s" % r.verdict,
                      "  message: %s" % yaml_str(r.reason)]
            if r.details:
                lines.append("  details: |")
                lines += ["    " + d for d in r.details]
            lines.append("  ...")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def yaml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_junit(path, results):
    root = ET.Element("testsuites")
    suites = []
    for r in results:
        if r.platform not in suites:
            suites.append(r.platform)
    for name in suites:
        rs = [r for r in results if r.platform == name]
        suite = ET.SubElement(root, "testsuite", name=name, tests=str(len(rs)),
                              failures=str(sum(r.verdict in (FAIL, CRASH) for r in rs)),
                              errors=str(sum(r.verdict == ERROR for r in rs)),
                              skipped=str(sum(r.verdict == SKIP for r in rs)),
                              time="%.3f" % sum(r.elapsed for r in rs))
        for r in rs:
            case = ET.SubElement(suite, "testcase", name=r.test,
                                 classname="ringvisor." + name, time="%.3f" % r.elapsed)
            if r.verdict == SKIP:
                ET.SubElement(case, "skipped", message=r.reason)
            elif r.verdict in FAILED:
                tag = "error" if r.verdict == ERROR else "failure"
                el = ET.SubElement(case, tag, message=r.reason, type=r.verdict)
                el.text = "\n".join(r.details)
    ET.indent(root)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def print_result(r):
    print(r.line())
    for d in r.details:
        print("    " + d)


# --------------------------------------------------------------------- main

def main(argv=None):
    ap = argparse.ArgumentParser(description="Run the ringvisor conformance tests.")
    ap.add_argument("--tcg-only", action="store_true", help="skip the Bochs runs")
    ap.add_argument("--bochs-only", action="store_true", help="only the Bochs runs")
    ap.add_argument("--bochs-all", action="store_true",
                    help="run every test on Bochs, not only the strict ones")
    ap.add_argument("--filter", action="append", default=[], metavar="SUBSTR",
                    help="only tests whose name contains SUBSTR (repeatable)")
    ap.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 2,
                    help="boots to run at once (default: the number of CPUs)")
    ap.add_argument("--per-boot", type=int, default=PER_BOOT, metavar="N",
                    help="guests per boot (default %d)" % PER_BOOT)
    ap.add_argument("--timeout", type=int, default=0, metavar="SEC",
                    help="seconds per boot (default %d on TCG, %d on Bochs)"
                    % (TCG_TIMEOUT, BOCHS_TIMEOUT))
    ap.add_argument("--keep-logs", action="store_true",
                    help="keep the logs of boots that passed too (build/test-logs/)")
    ap.add_argument("--monitor-args", action="append", default=[], metavar="WORDS",
                    help="more words for the monitor command line (after autoexit)")
    ap.add_argument("--unit-result", action="append", default=[], metavar="FILE",
                    help="output of a host test suite to count in (repeatable; "
                    "the suite is named after the file)")
    ap.add_argument("--manifest", action="append", default=[], metavar="FILE",
                    help="read these manifests (repeatable) instead of "
                    "tests/conformance/tests.list, tests/conformance/*/tests.list and "
                    "tests/hostile/tests.list")
    ap.add_argument("--build", default="build", help="build directory (default: build)")
    ap.add_argument("--list", action="store_true", help="print the boots and exit")
    ap.add_argument("--smp", type=int, default=0, metavar="N",
                    help="boot every QEMU test with at least N CPUs (not the icount ones: "
                    "icount is single-threaded TCG)")
    opts = ap.parse_args(argv)
    if opts.tcg_only and opts.bochs_only:
        ap.error("--tcg-only and --bochs-only exclude each other")

    try:
        tests = read_manifests(opts.manifest or default_manifests())
    except (OSError, ManifestError) as e:
        print("run.py: %s" % e, file=sys.stderr)
        return 2
    if opts.filter:
        tests = [t for t in tests if any(s in t.name for s in opts.filter)]
    for t in tests:
        if opts.smp > t.smp and not t.icount:
            t.smp = opts.smp

    plan = []   # (platform, n, group)
    if not opts.bochs_only:
        plan += [("tcg", i + 1, g) for i, g in enumerate(make_groups(tests, opts.per_boot))]
    if not opts.tcg_only:
        on_bochs = [t for t in tests if (t.strict or t.bochs or opts.bochs_all) and not t.drive and not t.nic
                    and not t.cpuflags]
        plan += [("bochs", i + 1, g) for i, g in enumerate(make_groups(on_bochs, opts.per_boot))]
    if opts.list:
        for platform, n, g in plan:
            drive = group_drive(g)
            print("%s-%02d: %s%s" % (platform, n, " ".join(t.name for t in g),
                                     " [drive %s]" % drive if drive else ""))
        return 0

    runner = Runner(opts)
    results_dir = os.path.join(runner.build, "test-results")
    os.makedirs(results_dir, exist_ok=True)
    shutil.rmtree(runner.logs, ignore_errors=True)
    os.makedirs(runner.logs)

    results = []
    for path in opts.unit_result:
        suite = os.path.splitext(os.path.basename(path))[0]
        try:
            rs = parse_host_result(read_strict(path), suite)
        except OSError as e:
            rs = [Result(suite, suite, ERROR, "cannot read %s: %s" % (path, e))]
        p, f, s = counts(rs)
        print("%s: %d passed, %d failed, %d skipped" % (suite, p, f, s))
        for r in rs:
            if r.verdict in FAILED:
                print_result(r)
        results += rs

    have_bochs = shutil.which("bochs") is not None
    with concurrent.futures.ThreadPoolExecutor(max(1, opts.jobs)) as pool:
        futures = []
        for job in jobs(plan):
            if job[0][0] == "bochs" and not have_bochs:
                futures.append([Result(t.name, platform, SKIP,
                                       "bochs is not installed (tools/setup.sh bochs)")
                                for platform, n, group in job for t in group])
            else:
                futures.append(pool.submit(runner.run_job, job))
        # Print in plan order, each boot as soon as it and those before it are done.
        for fut in futures:
            rs = fut if isinstance(fut, list) else fut.result()
            for r in rs:
                print_result(r)
            sys.stdout.flush()
            results += rs

    write_tap(os.path.join(results_dir, "results.tap"), results)
    write_junit(os.path.join(results_dir, "junit.xml"), results)
    p, f, s = counts(results)
    print("%d passed, %d failed, %d skipped" % (p, f, s))
    return 1 if f else 0


def read_strict(path):
    with open(path, "rb") as f:
        return f.read().decode("utf-8", "replace")


if __name__ == "__main__":
    sys.exit(main())
