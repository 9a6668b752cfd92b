#!/usr/bin/env python3
"""tests/fuzz/mkseeds.py: writes the hand-made seeds of tests/fuzz/corpus/
(modline, desc, vring; the elf seeds are stripped guest images).  Run it
from the top of the tree when a format changes; the files are committed."""
import os
import struct

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


def put(target, name, data):
    os.makedirs(os.path.join(HERE, target), exist_ok=True)
    with open(os.path.join(HERE, target, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


# Module lines as QEMU and GRUB pass them (tests/PROTOCOL.md, ABI.md "Devices").
for i, line in enumerate([
        "build/guests/hello.elf name=hello-1 mem=8M -- first hello",
        "vmlinux name=linux mem=128M initrd=next -- console=hvc0 rvtest",
        "g.elf weight=65535 cap=100 restart=always mem=4096K",
        "g.elf disk=ata0:0+131072:ro disk=ram:64M disk=next console=virtio",
        "g.elf net=switch:uplink:mac=52:54:00:12:34:56 net=switch",
        "autoexit quantum=5 ratelimit=0",
        "name=abcdefghijklmnopqrstuvw mem=3G --"]):
    put("modline", "line%d" % i, line)


def desc(base, limit, typ, dpl, s=1, p=1, db=1, g=1):
    low = (limit & 0xffff) | (base & 0xffff) << 16
    high = ((base >> 16) & 0xff) | typ << 8 | s << 12 | dpl << 13 | p << 15 | (limit & 0xf0000) \
        | db << 22 | g << 23 | (base & 0xff000000)
    return struct.pack("<II", low, high)


put("desc", "flat-code-dpl1", desc(0, 0xfbfff, 0xa, 1))
put("desc", "flat-data-dpl3", desc(0, 0xfbfff, 0x2, 3))
put("desc", "tls-cut-4g", desc(0x12345000, (0xfc000000 - 0x12345000 - 0x1000) >> 12, 0x2, 3))
put("desc", "expand-down", desc(0x1000, 0xffff0, 0x6, 1))
put("desc", "byte-limit", desc(0x400000, 0xfffff, 0x2, 1, g=0))
put("desc", "tss", desc(0x1000, 0x67, 0x9, 1, s=0, db=0, g=0))
put("desc", "null", b"\0" * 8)

# A virtqueue of 8 in guest frames 0x100.. (fuzz_vring.c): desc at frame 0,
# avail at frame 1, used at frame 2, buffers in frames 3..10.
def vring(chains, event_idx=False):
    size_log = 3
    mem = bytearray(11 * 4096)
    hdr = struct.pack("<BBHQQQ", size_log | (0x80 if event_idx else 0), 0, 0,
                      0x100000, 0x101000, 0x102000)
    idx = 0
    for head, segs in chains:
        for k, (addr, ln, flags, nxt) in enumerate(segs):
            struct.pack_into("<QIHH", mem, 16 * (head + k), addr, ln, flags, nxt)
        struct.pack_into("<H", mem, 4096 + 4 + 2 * idx, head)
        idx += 1
    struct.pack_into("<H", mem, 4096 + 2, idx)
    return hdr + bytes(mem[:3 * 4096])


put("vring", "one-read", vring([(0, [(0x103000, 64, 0, 0)])]))
put("vring", "read-write", vring([(0, [(0x103000, 16, 1, 1), (0x104000, 512, 2, 0)])]))
put("vring", "cross-page", vring([(0, [(0x103f00, 0x300, 1, 1), (0x105ff0, 0x20, 2, 0)])], True))
put("vring", "two-chains", vring([(0, [(0x103000, 8, 0, 0)]), (1, [(0x106000, 8, 2, 0)])]))
# Rings that must be refused: the attacks of direct paging through a device.
put("vring", "write-into-pagetable", vring([(0, [(0x103000, 16, 1, 1), (0x10b000, 64, 2, 0)])]))
put("vring", "read-other-domain", vring([(0, [(0x10c000, 64, 0, 0)])]))
put("vring", "write-monitor-frame", vring([(0, [(0x10d800, 64, 2, 0)])]))
put("vring", "loop", vring([(0, [(0x103000, 8, 1, 1), (0x103000, 8, 1, 0)])]))
