#!/usr/bin/env python3
"""tests/console_test.py: the console as a terminal (ABI.md "The console").

Boots the monitor under QEMU with COM1 on a pipe (-serial stdio, no
multiplexer: every byte passes as it is), console=terminal, and three
tests/guests/termtest.c guests: fg (the first, so it has the focus), bg
(ticks in the background) and fl (floods after a delay).  It then reads
bytes and types bytes, and checks bytes, not looks:

  fg-bytes      fg's colours, UTF-8, CR LF and a prompt with no newline
                arrive byte for byte, the prompt before anything is typed
  bg-lines      bg's lines are prefixed and cleaned (ESC, BEL -> '?'),
                its UTF-8 kept
  input         typed control bytes (Ctrl-C, an arrow, DEL, Ctrl-D, tab)
                reach fg exactly
  ctrl-a        Ctrl-A Ctrl-A sends one Ctrl-A
  flood         while fl floods, fg's echo of typed bytes comes back within
                a bound and whole, and the monitor says how many of fl's
                lines it did not show
  split         a monitor line (Ctrl-A t's CPU table) asked for while fg is
                inside an escape sequence comes out after the sequence,
                not in it
  focus         Ctrl-A n gives bg the focus: its history is replayed raw,
                input goes to bg and never to fg
  handover      when fg ends, the focus moves on by itself
Then the same fg checks with fg on its virtio console (console=virtio), and
  ctrl-a-l      Ctrl-A l lists every domain with its state
  ctrl-a-k      Ctrl-A k destroys the domain with the focus (a spinning
                one, so it is running when the key arrives); the others
                carry on and the run ends cleanly
Prints one PASS/FAIL line per check and `N passed, N failed`.
"""
import os
import re
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FG_BYTES = b"\x1b[1;31mred\x1b[0m caf\xc3\xa9 \xe2\x9c\x93\r\nprompt$ "
WAIT = 60          # seconds any one expected output may take (TCG on a loaded machine)
ECHO_BOUND = 5.0   # seconds for an echo to come back during a flood


class Serial:
    """QEMU with COM1 on stdin/stdout, and what it has written so far."""

    def __init__(self, build, modules, monitor_args="autoexit console=terminal"):
        cmd = ["qemu-system-i386", "-display", "none", "-no-reboot", "-m", "256",
               "-serial", "stdio", "-monitor", "none", "-nic", "none",
               "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
               "-kernel", os.path.join(build, "monitor.elf"), "-append", monitor_args,
               "-initrd", ",".join(modules)]
        self.p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL)
        self.buf = bytearray()
        self.cv = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        while True:
            b = os.read(self.p.stdout.fileno(), 4096)
            with self.cv:
                if not b:
                    self.cv.notify_all()
                    return
                self.buf += b
                self.cv.notify_all()

    def wait_for(self, pattern, start=0, timeout=WAIT):
        """Index just past the first match of pattern (bytes or compiled regex) at or
        after start, or None on timeout."""
        end = time.monotonic() + timeout
        with self.cv:
            while True:
                m = (pattern.search(self.buf, start) if hasattr(pattern, "search")
                     else self._find(pattern, start))
                if m is not None:
                    return m.end() if hasattr(m, "end") else m
                left = end - time.monotonic()
                if left <= 0 or self.p.poll() is not None and not self.reader.is_alive():
                    return None
                self.cv.wait(min(left, 0.2))

    def _find(self, s, start):
        i = self.buf.find(s, start)
        return None if i < 0 else i + len(s)

    def mark(self):
        with self.cv:
            return len(self.buf)

    def since(self, start):
        with self.cv:
            return bytes(self.buf[start:])

    def type(self, data):
        self.p.stdin.write(data)
        self.p.stdin.flush()

    def close(self, timeout=WAIT):
        try:
            return self.p.wait(timeout)
        except subprocess.TimeoutExpired:
            self.p.kill()
            return None


results = []
T0 = time.monotonic()


def check(name, ok, why=""):
    results.append(ok)
    print("%s console-%s%s (%.1f s)" % ("PASS" if ok else "FAIL", name, "" if ok else ": " + why,
                                        time.monotonic() - T0))
    sys.stdout.flush()


def echoed(data):
    return ("got:" + " ".join("%02x" % c for c in data) + "\r\n").encode()


def typed_echo(s, data, start, want=None):
    s.type(data)
    return s.wait_for(echoed(want if want is not None else data), start)


def run_main(build):
    tt = os.path.join(build, "guests", "termtest.elf")
    s = Serial(build, [tt + " name=fg -- role=fg", tt + " name=bg -- role=bg",
                       tt + " name=fl -- role=flood delay=3000 ms=3000"])
    at = s.wait_for(FG_BYTES)
    check("fg-bytes", at is not None, "fg's bytes did not arrive as written")
    if at is None:
        s.close(1)
        return
    bg = s.wait_for(b"[d2 bg] bg ?[31mline? caf\xc3\xa9\r\n")
    check("bg-lines", bg is not None, "no cleaned, prefixed bg line")
    for name, data in (("input", b"\x03\x1b[A\x7f\x04\tz"), ("ctrl-a", b"\x01\x01")):
        mark = s.mark()
        want = b"\x01" if name == "ctrl-a" else data
        ok = typed_echo(s, data, mark, want)
        check(name, ok is not None and b"[d1 fg]" not in s.since(mark),
              "fg did not echo %r" % want if ok is None else "fg's echo came out prefixed")
    # The flood: fl starts 3 s after boot (guest time); wait for its first line.
    flood_at = s.wait_for(b"[d3 fl] flood line")
    worst, whole = 0.0, True
    for i in range(5):
        mark, t0 = s.mark(), time.monotonic()
        data = b"flood%d" % i
        if typed_echo(s, data, mark) is None:
            whole = False
            break
        worst = max(worst, time.monotonic() - t0)
    hidden = s.wait_for(re.compile(rb"\(rv\) d3 fl: (\d+) console lines not shown"), flood_at or 0)
    check("flood", flood_at is not None and whole and worst < ECHO_BOUND and hidden is not None,
          "flood seen %s, echoes whole %s, slowest echo %.2f s, hidden lines reported %s"
          % (flood_at is not None, whole, worst, hidden is not None))
    s.wait_for(b"(rv) d3 fl: exit poweroff code 0")
    # A monitor line asked for inside fg's escape sequence.
    mark = s.mark()
    s.type(b"!split")
    inside = s.wait_for(b"\x1b[3", mark)
    s.type(b"\x01t")                    # the CPU table: monitor lines, now
    done = s.wait_for(b"1mSPLIT\x1b[0m\r\n", mark)
    table = s.wait_for(b"(rv) ", inside or mark)
    out = s.since(mark)
    ok = (inside is not None and done is not None and table is not None and
          b"\x1b[31mSPLIT" in out and table > done)
    check("split", ok, "sequence whole: %s; monitor text after it: %s"
          % (b"\x1b[31mSPLIT" in out, table is not None and done is not None and table > done))
    # Ctrl-A n: bg gets the focus, its history is replayed raw.
    mark = s.mark()
    s.type(b"\x01n")
    replay = s.wait_for(re.compile(rb"\(rv\) console: d2 bg has the focus; its last \d+ bytes follow"), mark)
    # bg ticks "tick N \e[2m.\e[0m": raw in the replay, cleaned in the line view
    raw = replay is not None and s.wait_for(re.compile(rb"\ntick \d+ \x1b\[2m\.\x1b\[0m\n"), replay, 10) is not None
    mark = s.mark()
    got_bg = typed_echo(s, b"k", mark)
    time.sleep(0.5)
    leaked = b"[d1 fg] got:6b" in s.since(mark)
    check("focus", raw and got_bg is not None and not leaked,
          "replayed raw: %s, bg echoed: %s, fg saw input: %s" % (raw, got_bg is not None, leaked))
    # Back to fg, which ends: the focus moves on to bg by itself.
    s.type(b"\x01n")
    s.wait_for(b"(rv) console: d1 fg has the focus")
    mark = s.mark()
    s.type(b"!exit")
    moved = s.wait_for(b"(rv) console: d2 bg has the focus", mark)
    mark = s.mark()
    s.type(b"!exit")
    stopped = s.wait_for(b"(rv) all domains stopped", mark)
    status = s.close()
    check("handover", moved is not None and stopped is not None and status == 1,
          "focus moved: %s, all stopped: %s, QEMU status %s" % (moved is not None, stopped is not None, status))


def run_virtio(build):
    tt = os.path.join(build, "guests", "termtest.elf")
    s = Serial(build, [tt + " name=fg console=virtio -- role=fg", tt + " name=bg -- role=bg"])
    at = s.wait_for(FG_BYTES)
    check("virtio-fg-bytes", at is not None, "fg's bytes did not arrive as written on virtio")
    mark = s.mark()
    data = b"\x03\x1b[B\x7fq"
    ok = at is not None and typed_echo(s, data, mark) is not None
    check("virtio-input", ok, "fg did not echo %r on virtio" % data)
    s.type(b"!exit")
    s.wait_for(b"(rv) console: d2 bg has the focus")
    s.type(b"!exit")
    s.close()


def run_destroy(build):
    child = os.path.join(build, "guests", "ctlchild.elf")
    tt = os.path.join(build, "guests", "termtest.elf")
    s = Serial(build, [child + " name=spinner -- spin", tt + " name=bg -- role=bg"])
    up = s.wait_for(b"child d1 up")
    s.wait_for(b"[d2 bg] bg ", up or 0)
    mark = s.mark()
    s.type(b"\x01l")
    listed = s.wait_for(re.compile(rb"\(rv\) d1 spinner: runnable.*\n(.*\n)*?\(rv\) d2 bg: (blocked|runnable)"), mark)
    check("ctrl-a-l", up is not None and listed is not None, "no list of d1 spinner and d2 bg")
    mark = s.mark()
    s.type(b"\x01k")
    gone = s.wait_for(b"(rv) d1 spinner: destroyed by the serial console", mark)
    moved = s.wait_for(b"(rv) console: d2 bg has the focus", mark)
    s.type(b"!exit")
    stopped = s.wait_for(b"(rv) all domains stopped", mark)
    status = s.close()
    check("ctrl-a-k", gone is not None and moved is not None and stopped is not None and status == 1,
          "destroyed: %s, focus moved: %s, all stopped: %s, QEMU status %s"
          % (gone is not None, moved is not None, stopped is not None, status))


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build")
    run_main(build)
    run_virtio(build)
    run_destroy(build)
    passed = sum(results)
    print("%d passed, %d failed" % (passed, len(results) - passed))
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
