#!/usr/bin/env bash
# linux/mkinitramfs.sh: the guest's userland, an initramfs made of Debian's
# busybox-static:i386, linux/init, linux/rvtest.sh and linux/rvtest.c, and
# the benchmark (linux/rvbench.c, linux/rvbench.sh; tests/bench).  The native
# kernel (make linux-native) boots the same initramfs.
#
#   linux/mkinitramfs.sh OUTDIR
#
# writes OUTDIR/initramfs.list (the gen_init_cpio description the kernel
# build embeds through CONFIG_INITRAMFS_SOURCE) and, when OUTDIR/../obj has
# the kernel's usr/gen_init_cpio, OUTDIR/initramfs.cpio.gz (the same tree as
# a separate module).  Files are rewritten only when their content changes,
# so the kernel relinks only when the userland did.
#
# Your own userland: put files in linux/overlay/ (copied over the tree, e.g.
# overlay/etc/profile), or set LINUX_INITRAMFS_EXTRA to a directory.
set -euo pipefail
out=$(realpath -m "$1")
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out/dl" "$out/root"

# busybox-static for i386 from the distribution (multiarch).  apt-get update
# may exit 100 because of a broken i386 index: what matters is whether the
# package downloads.
deb=$(ls "$out"/dl/busybox-static_*_i386.deb 2>/dev/null | head -1 || true)
if [ -z "$deb" ]; then
    if ! dpkg --print-foreign-architectures | grep -qx i386; then
        dpkg --add-architecture i386
    fi
    (cd "$out/dl" && apt-get download busybox-static:i386 >/dev/null 2>&1) || {
        apt-get update -qq >/dev/null 2>&1 || true
        (cd "$out/dl" && apt-get download busybox-static:i386) || {
            echo "mkinitramfs: cannot download busybox-static:i386 (dpkg --add-architecture i386; apt-get update)" >&2
            exit 1
        }
    }
    deb=$(ls "$out"/dl/busybox-static_*_i386.deb | head -1)
fi
if [ ! -x "$out/bb/bin/busybox" ] || [ "$deb" -nt "$out/bb/bin/busybox" ]; then
    rm -rf "$out/bb"
    dpkg-deb -x "$deb" "$out/bb"
fi

# Write $2 to $1 only if it differs (keeps mtimes, so make does not relink).
put() {
    if ! cmp -s "$2" "$1" 2>/dev/null; then cp "$2" "$1"; fi
}

root=$out/root
mkdir -p "$root/bin" "$root/etc"
put "$root/bin/busybox" "$out/bb/bin/busybox"
put "$root/init" "$here/init"
put "$root/etc/rvtest.sh" "$here/rvtest.sh"
put "$root/etc/rvdev.sh" "$here/rvdev.sh"
put "$root/etc/rvbench.sh" "$here/rvbench.sh"
if [ ! -x "$root/bin/rvtest" ] || [ "$here/rvtest.c" -nt "$root/bin/rvtest" ]; then
    gcc -m32 -static -O2 -Wall -o "$out/rvtest.tmp" "$here/rvtest.c"
    strip "$out/rvtest.tmp"
    put "$root/bin/rvtest" "$out/rvtest.tmp"
fi
if [ ! -x "$root/bin/rvbench" ] || [ "$here/rvbench.c" -nt "$root/bin/rvbench" ]; then
    # rvbench.full keeps the symbols (tests/bench/linprof.py finds its markers there)
    gcc -m32 -static -O2 -Wall -o "$out/rvbench.full" "$here/rvbench.c"
    strip -o "$out/rvbench.tmp" "$out/rvbench.full"
    put "$root/bin/rvbench" "$out/rvbench.tmp"
fi
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$out/passwd.tmp"
put "$root/etc/passwd" "$out/passwd.tmp"
# /init (a shell script, PID 1) does not act on the signals busybox's
# poweroff and reboot send to PID 1: the login shell makes them immediate
# (busybox syncs the disks first all the same).
printf 'export PS1="ringvisor:\\w# "\nalias poweroff="poweroff -f" reboot="reboot -f" halt="poweroff -f"\n' >"$out/profile.tmp"
put "$root/etc/profile" "$out/profile.tmp"

# The applet list of Debian's busybox 1.35 that the init script and the
# test use, plus the common tools for an interactive shell.
applets="sh ash cat cp cut date dd df dmesg echo env free grep head hostname
kill ln ls mkdir more mount mv ps rm seq setsid sleep sort sync tail test
tr true false uname umount uptime vi wc cttyhack poweroff reboot halt
printf expr awk sed find xargs id stat touch top watch which yes
mke2fs mkfs.ext2 md5sum cmp od hexdump tee timeout ifconfig ip ping nc
netstat sysctl mkfifo tar wget"

list=$out/initramfs.list.tmp
{
    echo "dir /dev 0755 0 0"
    echo "nod /dev/console 0600 0 0 c 5 1"
    echo "nod /dev/null 0666 0 0 c 1 3"
    for d in bin sbin usr usr/bin usr/sbin etc proc sys tmp root mnt; do echo "dir /$d 0755 0 0"; done
    echo "file /init $root/init 0755 0 0"
    echo "file /bin/busybox $root/bin/busybox 0755 0 0"
    echo "file /bin/rvtest $root/bin/rvtest 0755 0 0"
    echo "file /etc/rvtest.sh $root/etc/rvtest.sh 0644 0 0"
    echo "file /etc/rvdev.sh $root/etc/rvdev.sh 0644 0 0"
    echo "file /bin/rvbench $root/bin/rvbench 0755 0 0"
    echo "file /etc/rvbench.sh $root/etc/rvbench.sh 0644 0 0"
    echo "file /etc/passwd $root/etc/passwd 0644 0 0"
    echo "file /etc/profile $root/etc/profile 0644 0 0"
    for a in $applets; do echo "slink /bin/$a busybox 0777 0 0"; done
    for extra in "$here/overlay" "${LINUX_INITRAMFS_EXTRA:-}"; do
        [ -n "$extra" ] && [ -d "$extra" ] || continue
        (cd "$extra" && find . -mindepth 1 | sort) | while read -r f; do
            p=${f#.}
            if [ -d "$extra/$f" ]; then echo "dir $p 0755 0 0"
            else echo "file $p $(realpath "$extra/$f") $(stat -c %a "$extra/$f") 0 0"; fi
        done
    done
} >"$list"
put "$out/initramfs.list" "$list"

gen=$out/../obj/usr/gen_init_cpio
[ -x "$gen" ] || gen=$out/../obj-native/usr/gen_init_cpio   # only the native kernel built yet
if [ -x "$gen" ]; then
    "$gen" "$out/initramfs.list" | gzip -9n >"$out/initramfs.cpio.gz.tmp"
    put "$out/initramfs.cpio.gz" "$out/initramfs.cpio.gz.tmp"
fi
rm -f "$out"/*.tmp
