#!/usr/bin/env bash
# tools/debian-image.sh: a Debian 12 (bookworm) i386 root file system as an
# ext4 image for a ringvisor Linux guest (issue 12, `make debian-image`).
#
#   tools/debian-image.sh [IMAGE]        (default build/debian/rootfs.ext4)
#
# 1. debootstrap --variant=minbase bookworm i386 from the mirror apt uses on
#    this machine (DEBIAN_MIRROR overrides), plus systemd-sysv, udev,
#    iproute2, procps, python3-minimal, stress-ng, e2fsprogs.  The second
#    stage runs natively: an x86_64 host runs i386 binaries.  The tree is
#    kept (IMAGE.d/root) so a failed configuration step does not refetch.
# 2. configures it for the demo: hostname, fstab (/dev/vda as /), root
#    without a password, a getty on hvc0 (the ringvisor console, or the
#    virtio console that replaces it: both are hvc0), systemd-networkd with
#    DHCP on every en*/eth* link, systemd-resolved left out (not in minbase).
# 3. packs it with mke2fs -d into a sparse ext4 image (DEBIAN_IMAGE_MB,
#    default 1024) and checks it with e2fsck -fn.
# An existing IMAGE is reused (delete it to rebuild) unless
# tools/debian-config.sh changed since it was made.  Needs root (chroot,
# mknod in debootstrap).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
IMG=$(realpath -m "${1:-$top/build/debian/rootfs.ext4}")
WORK=$IMG.d
ROOT=$WORK/root
SIZE_MB=${DEBIAN_IMAGE_MB:-1024}
INCLUDE=systemd-sysv,udev,iproute2,procps,python3-minimal,stress-ng,e2fsprogs,iputils-ping
say() { echo "  DEBIAN  $*"; }
die() { echo "debian-image: $*" >&2; exit 1; }

# The image is reused while tools/debian-config.sh and linux/debian/ are
# what made it;
# after a change the kept tree is configured and packed again (no refetch).
conf_hash=$(cat "$top/tools/debian-config.sh" "$top"/linux/debian/* | sha256sum | cut -d" " -f1)
if [ -f "$IMG" ]; then
    if [ "$(cat "$WORK/.config-hash" 2>/dev/null)" = "$conf_hash" ] || [ ! -f "$WORK/.bootstrapped" ]; then
        say "$IMG exists (delete it to rebuild)"; exit 0
    fi
    say "tools/debian-config.sh changed: configuring and packing $IMG again (its changes are lost)"
fi
[ "$(id -u)" = 0 ] || die "debootstrap needs root"
command -v debootstrap >/dev/null || die "debootstrap missing: run 'bash tools/setup.sh debian'"

# The mirror apt is configured with (deb822 or one-line sources), else Debian's.
mirror() {
    local m
    m=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null |
        sed -n -e 's|^URIs:[[:space:]]*\([^[:space:]]*/debian\)/*$|\1|p' \
               -e 's|^deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\?\([^[:space:]]*/debian\)/*[[:space:]]\+bookworm[[:space:]].*|\2|p' | head -1)
    echo "${m:-http://deb.debian.org/debian}"
}
MIRROR=${DEBIAN_MIRROR:-$(mirror)}

# ---- 1. debootstrap ----------------------------------------------------------
mkdir -p "$WORK"
if [ ! -f "$WORK/.bootstrapped" ]; then
    if command -v wget >/dev/null && ! wget -q -T 20 -t 2 --spider "$MIRROR/dists/bookworm/Release"; then
        die "cannot reach the Debian registry at $MIRROR (set DEBIAN_MIRROR to a reachable mirror)"
    fi
    rm -rf "$ROOT"
    say "debootstrap bookworm i386 minbase from $MIRROR into $ROOT (log $WORK/debootstrap.log)"
    start=$(date +%s)
    if ! debootstrap --arch=i386 --variant=minbase --include="$INCLUDE" \
            bookworm "$ROOT" "$MIRROR" >"$WORK/debootstrap.log" 2>&1; then
        tail -15 "$WORK/debootstrap.log" >&2
        [ -f "$ROOT/debootstrap/debootstrap.log" ] && tail -15 "$ROOT/debootstrap/debootstrap.log" >&2
        grep -qiE 'Failed getting release file|Temporary failure|unable to fetch|Couldn.t download' "$WORK/debootstrap.log" &&
            die "debootstrap could not reach the Debian registry at $MIRROR (set DEBIAN_MIRROR)"
        die "debootstrap failed; see $WORK/debootstrap.log"
    fi
    say "debootstrap done in $(( $(date +%s) - start )) s"
    touch "$WORK/.bootstrapped"
fi

# ---- 2. configuration ----------------------------------------------------------
"$top/tools/debian-config.sh" "$ROOT"

# ---- 3. the ext4 image ---------------------------------------------------------
say "packing $ROOT into $IMG (${SIZE_MB} MiB ext4)"
rm -f "$IMG.tmp"
truncate -s "${SIZE_MB}M" "$IMG.tmp"
mke2fs -q -t ext4 -L debian-root -d "$ROOT" "$IMG.tmp" >/dev/null
e2fsck -fn "$IMG.tmp" >"$WORK/e2fsck.log" 2>&1 || { cat "$WORK/e2fsck.log" >&2; die "the new image is not fsck-clean"; }
mv "$IMG.tmp" "$IMG"
echo "$conf_hash" >"$WORK/.config-hash"
say "$IMG: $(du -m "$IMG" | cut -f1) MiB used of ${SIZE_MB} MiB"
