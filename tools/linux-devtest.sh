#!/usr/bin/env bash
# tools/linux-devtest.sh: the Linux device tests (virtio disks and network
# through guest-patches 0010, virtio_ringvisor), in-guest part linux/rvdev.sh.
#
#   tools/linux-devtest.sh [--timeout S] MONITOR_ELF VMLINUX
#
# blk-persist  boot 1 makes an ext2 file system on an ATA region
#              (disk=ata0:0+N of a raw image, QEMU if=ide), writes files and
#              their md5 sums, powers off; boot 2 checks every sum
# blk-crash    boot 3 writes+fsyncs files, prints `RVTEST fsynced`, keeps
#              writing; QEMU is killed (SIGKILL) 2 s later; boot 4 checks
#              the fsync'ed files
# net-tcp      two guests on net=switch: ping, 64 MiB through busybox nc,
#              md5 on both ends
# net-uplink   a guest with net=switch:uplink fetches a 2 MiB file over
#              HTTP (busybox wget) from a server this script starts on the
#              host's 127.0.0.1, through the monitor's e1000 and QEMU's user
#              network (restrict=on: nothing leaves the machine; guestfwd
#              maps 10.0.2.100:80 to the server); md5 checked on both ends
# virtio-console  the boot test (rvtest) with console=virtio: hvc0 is
#              virtio_console's, the early console stays on console_io
# Prints `linux-devtest: NAME: PASS|FAIL` per case, the figures (block MB/s,
# ping RTT, TCP MB/s), and exits non-zero if a case failed.
set -u
timeout_s=${LINUX_TEST_TIMEOUT:-300}
[ "${1:-}" = --timeout ] && { timeout_s=$2; shift 2; }
[ $# -eq 2 ] || { echo "usage: $0 [--timeout S] MONITOR_ELF VMLINUX" >&2; exit 2; }
monitor=$1 vmlinux=$2
for f in "$monitor" "$vmlinux"; do
    [ -r "$f" ] || { echo "linux-devtest: $f missing (make linux)" >&2; exit 2; }
done
dir=$(dirname "$vmlinux")/devtest
initrd=$(dirname "$vmlinux")/initramfs/initramfs.cpio.gz  # the userland, a module of its own
mkdir -p "$dir"
img=$dir/disk.img
sectors=131072                       # 64 MiB
QEMU=(qemu-system-i386 -nographic -no-reboot -kernel "$monitor" -append autoexit
      -device isa-debug-exit,iobase=0xf4,iosize=4)
fail=0

# boot NAME MEM MODULES [extra QEMU args]: runs QEMU to the end, log in $dir/NAME.log
boot() {
    local name=$1 mem=$2 modules=$3; shift 3
    timeout "$timeout_s" "${QEMU[@]}" -m "$mem" -initrd "$modules" "$@" </dev/null >"$dir/$name.raw" 2>&1
    local rc=$?
    sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g' "$dir/$name.raw" >"$dir/$name.log"; rm -f "$dir/$name.raw"
    [ $rc -eq 124 ] && echo "  $name: QEMU timed out after ${timeout_s}s"
    return 0
}
# passed NAME DOMAIN_TAG: the guest's RVTEST end was 0 and it powered off with 0
passed() {
    grep -a "^\[$2\] RVTEST \(ok\|FAIL\|figure\|net-md5\)" "$dir/$1.log" | sed 's/^/  /'
    grep -aq "^\[$2\] RVTEST end: 0 failure(s)" "$dir/$1.log" &&
        grep -aq "^(rv) ${2%% *} ${2#* }: exit poweroff code 0" "$dir/$1.log"
}
result() {
    if [ "$2" = 0 ]; then echo "linux-devtest: $1: PASS"; else echo "linux-devtest: $1: FAIL (logs in $dir)"; fail=1; fi
}
disk() { echo "$vmlinux name=linux mem=128M initrd=next disk=ata0:0+$sectors -- console=hvc0 rvdev=$1,$initrd"; }

# ---- blk-persist ----
rm -f "$img"; truncate -s $((sectors * 512)) "$img"
drive=(-drive "file=$img,format=raw,if=ide")
boot blk-make 320 "$(disk blk-make)" "${drive[@]}"
r=0; passed blk-make "d1 linux" || r=1
boot blk-check 320 "$(disk blk-check)" "${drive[@]}"
passed blk-check "d1 linux" || r=1
grep -a "^(rv) d1 linux: disk0:" "$dir/blk-make.log" | sed 's/^/  /'
result blk-persist $r

# ---- blk-crash: SIGKILL QEMU after the guest said its files are fsync'ed ----
# QEMU itself in the background (not under timeout(1), whose pid this would be).
"${QEMU[@]}" -m 320 -initrd "$(disk crash-write)" "${drive[@]}" </dev/null >"$dir/crash-write.raw" 2>&1 &
qpid=$!
r=1
for _ in $(seq 1 $((timeout_s * 2))); do
    if grep -aq "RVTEST fsynced" "$dir/crash-write.raw"; then r=0; break; fi
    kill -0 $qpid 2>/dev/null || break
    sleep 0.5
done
sleep 2
kill -KILL $qpid 2>/dev/null; wait $qpid 2>/dev/null
sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g' "$dir/crash-write.raw" >"$dir/crash-write.log"; rm -f "$dir/crash-write.raw"
grep -a "RVTEST \(ok\|FAIL\|fsynced\)" "$dir/crash-write.log" | sed 's/^/  /'
[ $r = 0 ] && echo "  QEMU killed (SIGKILL) 2 s after the marker, the guest still writing"
boot crash-check 320 "$(disk crash-check)" "${drive[@]}"
passed crash-check "d1 linux" || r=1
result blk-crash $r

# ---- net-tcp: two guests on the switch ----
boot net 640 "$vmlinux name=net-a mem=128M initrd=next net=switch -- console=hvc0 rvdev=net-a,$initrd,$vmlinux name=net-b mem=128M initrd=next net=switch -- console=hvc0 rvdev=net-b,$initrd"
r=0
passed net "d1 net-a" || r=1
passed net "d2 net-b" || r=1
sent=$(grep -a "^\[d1 net-a\] RVTEST net-md5 sent" "$dir/net.log" | awk '{print $NF}')
recv=$(grep -a "^\[d2 net-b\] RVTEST net-md5 recv" "$dir/net.log" | awk '{print $NF}')
[ -n "$sent" ] && [ "$sent" = "$recv" ] || r=1
result net-tcp $r

# ---- net-uplink: a server on the host's loopback, reached through the e1000 ----
www=$dir/www
mkdir -p "$www"; rm -f "$dir/httpd.port"
head -c 2097152 /dev/urandom >"$www/blob"
want=$(md5sum <"$www/blob" | cut -d' ' -f1)
# A tiny HTTP server on 127.0.0.1, on a port the kernel picks.
python3 -c '
import functools, http.server, os, sys
h = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), h)
open(sys.argv[2] + ".tmp", "w").write(str(s.server_address[1]))
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
s.serve_forever()' "$www" "$dir/httpd.port" >"$dir/httpd.log" 2>&1 &
hpid=$!
for _ in $(seq 1 50); do [ -s "$dir/httpd.port" ] && break; sleep 0.1; done
r=1
if [ -s "$dir/httpd.port" ]; then
    port=$(cat "$dir/httpd.port")
    boot uplink 320 "$vmlinux name=linux mem=128M initrd=next net=switch:uplink -- console=hvc0 rvdev=net-uplink,$initrd" \
        -netdev "user,id=n0,restrict=on,guestfwd=tcp:10.0.2.100:80-tcp:127.0.0.1:$port" -device e1000,netdev=n0
    grep -a "^(rv) net: uplink:" "$dir/uplink.log" | sed 's/^/  /'
    got=$(grep -a "^\[d1 linux\] RVTEST net-md5 fetched" "$dir/uplink.log" | tr -d '\r' | awk '{print $(NF-1), $NF}')
    echo "  host: $want 2097152, guest: ${got:-nothing}"
    passed uplink "d1 linux" && [ "$got" = "$want 2097152" ] && r=0
    grep -aq "GET /blob" "$dir/httpd.log" || { echo "  the host's server saw no request"; r=1; }
else
    echo "  the HTTP server on 127.0.0.1 did not start (see $dir/httpd.log)"
fi
kill $hpid 2>/dev/null; wait $hpid 2>/dev/null
result net-uplink $r

# ---- virtio-console: the boot test with hvc0 on virtio_console ----
boot vcons 320 "$vmlinux name=linux mem=128M initrd=next console=virtio -- console=hvc0 earlyprintk=ringvisor rvtest,$initrd"
r=0
grep -a "^(rv) d1 linux: console:" "$dir/vcons.log" | sed 's/^/  /'
grep -a "^\[d1 linux\] RVTEST end" "$dir/vcons.log" | sed 's/^/  /'
grep -aq "^\[d1 linux\] RVTEST end: 0 failure(s)" "$dir/vcons.log" &&
    grep -aq "^(rv) d1 linux: exit poweroff code 0" "$dir/vcons.log" || r=1
# After the early console, output goes through the device, not console_io.
cio=$(grep -a "^(rv) d1 linux: profile:" "$dir/vcons.log" | grep -o "console_io=[0-9]*" | cut -d= -f2)
echo "  console_io calls: ${cio:-?} (the early console only)"
result virtio-console $r

echo "linux-devtest: figures:"
grep -ah "RVTEST figure" "$dir"/*.log | sed 's/^/  /'
exit $fail
