"""tests/debian_vm.py: boot Debian 12 guests (build/debian/rootfs.ext4) under
QEMU, on ringvisor or natively, and drive their consoles (issue 12).

Used by tests/debian_test.py (make check-debian, and the short boot test of
make check) and tests/bench/debian_bench.py (make bench-debian).

On ringvisor each guest is a module line of the monitor: its disk is a whole
IDE disk of the machine (disk=ataN:0+SECTORS, N = 0, 1: primary master and
slave, the monitor drives them), its network device on the monitor's switch,
the first one on the uplink when asked (QEMU's e1000 and user network: DHCP
from 10.0.2.2).  COM1 is a pipe (-serial stdio); the console is the
monitor's default terminal mode, so the focused guest (the first) comes out
raw and the others' lines prefixed `[dN name] `.  Natively the same kernel
source (build/linux/native/bzImage) boots with virtio-blk-pci and
virtio-net-pci and console=ttyS0.
"""
import os
import re
import shutil
import subprocess
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROMPT = "RVSH# "          # the shell prompt set after login (PS1)
ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\r")


def fresh_image(build, name):
    """A sparse copy of the pristine image for one test guest."""
    src = os.path.join(build, "debian", "rootfs.ext4")
    dst = os.path.join(build, "debian", name + ".ext4")
    subprocess.run(["cp", "--sparse=always", src, dst], check=True)
    return dst


def sectors(path):
    return os.path.getsize(path) // 512


class Machine:
    """One QEMU: on ringvisor (guests = [(image, extra kernel args, module opts)])
    or native (one guest)."""

    def __init__(self, build, guests, native=False, uplink=True, mem="256M",
                 qemu_extra=(), monitor_args="autoexit console=terminal", log=None):
        self.t0 = time.monotonic()
        self.buf = bytearray()
        self.cv = threading.Condition()
        cmd = ["qemu-system-i386", "-display", "none", "-no-reboot", "-serial", "stdio",
               "-monitor", "none", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
        cmd += list(qemu_extra)
        for i, (img, _, _) in enumerate(guests):
            if native:
                cmd += ["-drive", "file=%s,format=raw,if=none,id=d%d" % (img, i),
                        "-device", "virtio-blk-pci,drive=d%d" % i]
            else:
                cmd += ["-drive", "file=%s,format=raw,if=ide,index=%d" % (img, i)]
        if native:
            nic = "virtio-net-pci"
            img, args, _ = guests[0]
            cmd += ["-m", mem.rstrip("M"), "-kernel", os.path.join(build, "linux", "native", "bzImage"),
                    "-append", "console=ttyS0 root=/dev/vda ro " + args]
        else:
            nic = "e1000"
            mods = []
            for i, (img, args, opts) in enumerate(guests):
                net = "net=switch" + (":uplink" if uplink and i == 0 else "")
                mods.append("%s name=deb%d mem=%s disk=ata%d:0+%d %s %s -- console=hvc0 root=/dev/vda ro %s"
                            % (os.path.join(build, "linux", "vmlinux"), i + 1, mem, i, sectors(img),
                               net, opts, args))
            total = 64 + len(guests) * (int(mem.rstrip("M")) + 48)
            cmd += ["-m", str(total), "-kernel", os.path.join(build, "monitor.elf"),
                    "-append", monitor_args, "-initrd", ",".join(mods)]
        if uplink:
            cmd += ["-netdev", "user,id=up", "-device", nic + ",netdev=up"]
        else:
            cmd += ["-nic", "none"]
        self.cmd = cmd
        self.log = open(log, "wb") if log else None
        self.p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        while True:
            b = os.read(self.p.stdout.fileno(), 4096)
            with self.cv:
                if b:
                    self.buf += b
                    if self.log:
                        self.log.write(b)
                        self.log.flush()
                self.cv.notify_all()
                if not b:
                    self.eof = True
                    return

    def elapsed(self):
        return time.monotonic() - self.t0

    def mark(self):
        with self.cv:
            return len(self.buf)

    def text(self, start=0, end=None):
        with self.cv:
            return ANSI.sub(b"", bytes(self.buf[start:end])).decode("utf-8", "replace")

    def wait_for(self, pattern, start=0, timeout=120):
        """The regex match (on the raw bytes from start) or None after timeout / QEMU's end."""
        rx = re.compile(pattern.encode() if isinstance(pattern, str) else pattern)
        end = time.monotonic() + timeout
        with self.cv:
            while True:
                m = rx.search(self.buf, start)
                if m:
                    return m
                left = end - time.monotonic()
                if left <= 0 or getattr(self, "eof", False):
                    return None
                self.cv.wait(min(left, 0.5))

    def type(self, s):
        # The monitor's console ring and a getty at 9600-ish pace: a few bytes at a time.
        data = s.encode()
        for i in range(0, len(data), 16):
            self.p.stdin.write(data[i:i + 16])
            self.p.stdin.flush()
            time.sleep(0.02)

    def login(self, start=0, timeout=600):
        """Wait for the getty, log in as root, set a plain prompt. The boot time or None."""
        m = self.wait_for(r"login: ", start, timeout)
        if not m:
            return None
        t = self.elapsed()
        self.type("root\n")
        if not self.wait_for(r"# ", m.end(), 60):
            return None
        self.run("export PS1='%s' TERM=dumb; stty -echo 2>/dev/null; true" % PROMPT, 60)
        return t

    def run(self, command, timeout=120):
        """Run command in the logged-in shell: (exit status, output) or (None, partial output)."""
        start = self.mark()
        self.type("%s; echo RVEND:$?:\n" % command)
        m = self.wait_for(r"RVEND:(\d+):", start, timeout)
        if not m:
            return None, self.text(start)
        out = self.text(start, m.start())
        # The command line's own echo (before stty -echo) ends with the typed marker.
        out = out.split("RVEND:$?:", 1)[-1]
        out = out.lstrip("\n")
        if out.startswith(PROMPT):       # the previous command's prompt
            out = out[len(PROMPT):]
        return int(m.group(1)), out.strip("\n")

    def close(self, timeout=120):
        try:
            rc = self.p.wait(timeout)
        except subprocess.TimeoutExpired:
            self.p.kill()
            rc = None
        if self.log:
            self.log.close()
        return rc

    def kill(self):
        self.p.kill()
        self.p.wait()
        if self.log:
            self.log.close()


def have_image(build):
    return os.path.exists(os.path.join(build, "debian", "rootfs.ext4"))


def cleanup(path):
    if os.path.exists(path):
        os.unlink(path)


__all__ = ["Machine", "fresh_image", "have_image", "cleanup", "PROMPT", "shutil"]
