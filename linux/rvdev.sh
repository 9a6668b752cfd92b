#!/bin/sh
# linux/rvdev.sh: the in-guest part of the Linux device tests (virtio over
# virtio_op), installed as /etc/rvdev.sh and run by /init when the kernel
# command line holds `rvdev=PHASE`; tools/linux-test.sh --devices boots the
# phases in turn.  Lines are `RVTEST ok NAME` / `RVTEST FAIL NAME` as in
# rvtest.sh, figures are `RVTEST figure NAME VALUE`, and the guest powers off
# with the number of failures as its exit code.
#
#   blk-make    mke2fs /dev/vda, files with md5 sums, dd speeds, sync, off
#   blk-check   mount /dev/vda again and check every sum
#   crash-write write+fsync files (their sums too), print `RVTEST fsynced`,
#               then write forever until the runner kills the machine
#   crash-check mount /dev/vda (not cleanly unmounted) and check them
#   net-a/net-b two guests on net=switch: 10.0.0.1 pings 10.0.0.2 and sends
#               64 MiB through busybox nc; both print the md5 of the stream
#   bench-blk   make bench (suite io): for each virtio disk, MiB of rvmb=N
#               (default 16) written and read back with O_DIRECT, 64 KiB at a
#               time, raw device, no file system: `RVTEST figure blk-...`
#               net-a/net-b take rvmb=N too (MiB sent, default 64)
#   net-uplink  net=switch:uplink, QEMU's user network behind the e1000:
#               10.0.2.15 fetches http://10.0.2.100/blob (QEMU's guestfwd to
#               a server the runner started on the host's 127.0.0.1) with
#               busybox wget and prints its md5 and size
fails=0
ok() { echo "RVTEST ok $1"; }
fail() { echo "RVTEST FAIL $1"; fails=$((fails + 1)); }
check() { name=$1; shift; if "$@"; then ok "$name"; else fail "$name"; fi; }
phase=$(sed -n 's/.*rvdev=\([a-z-]*\).*/\1/p' /proc/cmdline)
now() { cut -d' ' -f1 /proc/uptime; }
# MB/s of $1 bytes in the time since $2 (an uptime)
mb=$(sed -n 's/.*rvmb=\([0-9]*\).*/\1/p' /proc/cmdline)
rate() { awk -v b="$1" -v t0="$2" -v t1="$(now)" 'BEGIN { d = t1 - t0; if (d <= 0) d = 0.01; printf "%.1f", b / d / 1e6 }'; }
finish() {
    echo "RVTEST end: $fails failure(s)"
    if [ -d /sys/module/ringvisor ]; then
        echo "$fails" >/sys/module/ringvisor/parameters/exit_code
        poweroff -f
    fi
    reboot -f   # the same kernel native (make bench): QEMU's -no-reboot exits
}
echo "RVTEST begin $phase"
dmesg | grep -E 'virtio|vd[a-z]' | head -8

case $phase in
blk-make)
    check mke2fs mke2fs -q /dev/vda
    check mount mount -t ext2 /dev/vda /mnt
    i=0
    for kb in 1 7 64 300 1024 4096; do
        i=$((i + 1))
        dd if=/dev/urandom of=/mnt/f$i bs=1024 count=$kb 2>/dev/null
    done
    mkdir -p /mnt/dir/sub && seq 1 20000 >/mnt/dir/sub/seq
    (cd /mnt && md5sum f* dir/sub/seq >SUMS)
    cat /mnt/SUMS
    t0=$(now); dd if=/dev/zero of=/mnt/big bs=64k count=256 conv=fsync 2>/dev/null
    echo "RVTEST figure blk-write-MBps $(rate 16777216 "$t0")"
    sync; echo 3 >/proc/sys/vm/drop_caches
    t0=$(now); dd if=/mnt/big of=/dev/null bs=64k 2>/dev/null
    echo "RVTEST figure blk-read-MBps $(rate 16777216 "$t0")"
    rm /mnt/big
    check umount umount /mnt
    sync
    ;;
blk-check|crash-check)
    check mount mount -t ext2 /dev/vda /mnt
    [ $phase = crash-check ] && sums=/mnt/c/SUMS || sums=/mnt/SUMS
    cat "$sums"
    check sums-present test -s "$sums"
    check md5sums sh -c "cd $(dirname "$sums") && md5sum -c $(basename "$sums")"
    umount /mnt
    ;;
crash-write)
    check mount mount -t ext2 /dev/vda /mnt
    rm -rf /mnt/c; mkdir /mnt/c
    for i in 1 2 3 4; do
        dd if=/dev/urandom of=/mnt/c/s$i bs=1k count=$((i * 100)) conv=fsync 2>/dev/null
    done
    (cd /mnt/c && md5sum s*) >/mnt/c/SUMS.tmp
    sync /mnt/c/SUMS.tmp && mv /mnt/c/SUMS.tmp /mnt/c/SUMS
    # The directory entries too: fsync of a file does not write its
    # directory on ext2 (no journal).
    sync /mnt/c /mnt
    cat /mnt/c/SUMS
    echo "RVTEST fsynced"
    n=0
    while :; do
        n=$((n + 1))
        dd if=/dev/zero of=/mnt/junk$((n % 4)) bs=64k count=64 2>/dev/null
    done
    ;;
net-a|net-b)
    if [ $phase = net-a ]; then me=10.0.0.1 peer=10.0.0.2; else me=10.0.0.2 peer=10.0.0.1; fi
    ifconfig lo 127.0.0.1 up
    check ifconfig ifconfig eth0 $me netmask 255.255.255.0 up
    ifconfig eth0 | head -2
    up=0
    for i in $(seq 1 90); do ping -c 1 -W 1 $peer >/dev/null 2>&1 && { up=1; break; }; done
    check peer-up test $up = 1
    ping -c 10 $peer | tail -2
    rtt=$(ping -c 20 -i 0.2 $peer | sed -n 's/.*= [0-9.]*\/\([0-9.]*\)\/.*/\1/p')
    echo "RVTEST figure ping-avg-ms $rtt"
    check ping test -n "$rtt"
    # nc's stdin: a FIFO open for reading and writing never ends (an EOF
    # there would make nc close its side of the connection at once).
    mkfifo /tmp/hold && exec 3<>/tmp/hold
    if [ $phase = net-b ]; then
        nc -l -p 5000 <&3 | md5sum >/tmp/recv.sum
        echo "RVTEST net-md5 recv $(cut -d' ' -f1 /tmp/recv.sum)"
        check received test -s /tmp/recv.sum
        # tell the sender (which waits for this) what arrived
        for i in $(seq 1 20); do cut -d' ' -f1 /tmp/recv.sum | nc $peer 5001 && break; sleep 1; done
    else
        dd if=/dev/urandom of=/tmp/r bs=64k count=16 2>/dev/null     # 1 MiB
        n=${mb:-64}
        sum=$(for i in $(seq 1 $n); do cat /tmp/r; done | md5sum | cut -d' ' -f1)
        echo "RVTEST net-md5 sent $sum"
        sleep 2
        t0=$(now)
        for i in $(seq 1 $n); do cat /tmp/r; done | nc $peer 5000
        echo "RVTEST figure tcp-MBps $(rate $((n * 1048576)) "$t0")"
        got=$(timeout 120 nc -l -p 5001 <&3)
        echo "RVTEST net-md5 peer says $got"
        check tcp-64M-md5 test "$got" = "$sum"
    fi
    ;;
bench-blk)
    n=${mb:-16}
    for dev in /dev/vd?; do
        [ -b "$dev" ] || continue
        d=${dev#/dev/}
        t0=$(now)
        check write-$d dd if=/dev/zero of=$dev bs=64k count=$((n * 16)) oflag=direct 2>/dev/null
        echo "RVTEST figure blk-write-MBps-$d $(rate $((n * 1048576)) "$t0")"
        t0=$(now)
        check read-$d dd if=$dev of=/dev/null bs=64k count=$((n * 16)) iflag=direct 2>/dev/null
        echo "RVTEST figure blk-read-MBps-$d $(rate $((n * 1048576)) "$t0")"
    done
    check some-disk test -b /dev/vda
    ;;
net-uplink)
    # Static addresses on QEMU's user network (10.0.2.0/24); QEMU answers
    # ARP for its guestfwd address 10.0.2.100 and forwards each TCP
    # connection to it to the host.
    ifconfig lo 127.0.0.1 up
    check ifconfig ifconfig eth0 10.0.2.15 netmask 255.255.255.0 up
    rm -f /tmp/blob
    t0=$(now)
    check wget timeout 120 wget -q -O /tmp/blob http://10.0.2.100/blob
    bytes=$(wc -c </tmp/blob 2>/dev/null || echo 0)
    echo "RVTEST figure uplink-http-MBps $(rate "$bytes" "$t0")"
    echo "RVTEST net-md5 fetched $(md5sum </tmp/blob | cut -d' ' -f1) $bytes"
    check fetched test "$bytes" -gt 0
    ;;
*)
    fail "unknown-phase-$phase"
    ;;
esac
finish
