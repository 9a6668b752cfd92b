#!/usr/bin/env bash
# tools/debian-config.sh: configure a debootstrapped Debian 12 tree (ROOT) as
# a ringvisor guest's root file system (called by tools/debian-image.sh).
#
#   tools/debian-config.sh ROOT
#
# What it sets is for a demo and the tests, not for a machine on a network:
# root has no password.  Idempotent: run it again on the same tree.
#  - /etc/fstab: /dev/vda (the first virtio disk, disk= on the module line)
#    as / (ext4, errors=remount-ro), a tmpfs /tmp;
#  - hostname `debian` (a module line's `-- systemd.hostname=NAME` overrides);
#  - a getty on hvc0: the ringvisor console (hvc_ringvisor) or the virtio
#    console that replaces it, both hvc0 (systemd's getty generator, from
#    console=hvc0; natively console=ttyS0 gets one the same way);
#  - systemd-networkd with DHCP (v4 and v6 router advertisements) on every
#    eth*/en* link: the uplink is the first virtio network device; an ip=
#    on the kernel command line (systemd-network-generator) overrides it;
#  - no apt-daily, e2scrub or fstrim timers;
#  - nothing waits for the network (systemd-networkd-wait-online is off),
#    so a guest on a switch without DHCP still boots promptly;
#  - apt's sources as debootstrap wrote them (the mirror the image came from).
set -euo pipefail
ROOT=${1:?usage: $0 ROOT}
[ -x "$ROOT/bin/sh" ] || { echo "debian-config: $ROOT is not a root file system" >&2; exit 1; }
say() { echo "  DEBIAN  $*"; }
say "configuring $ROOT"

echo debian >"$ROOT/etc/hostname"
cat >"$ROOT/etc/hosts" <<'EOF'
127.0.0.1	localhost
127.0.1.1	debian
::1		localhost ip6-localhost ip6-loopback
EOF

cat >"$ROOT/etc/fstab" <<'EOF'
# ringvisor guest: the module line's first disk= is /dev/vda
/dev/vda	/	ext4	errors=remount-ro	0	1
tmpfs		/tmp	tmpfs	nosuid,nodev	0	0
EOF

# Root logs in without a password (pam_unix in common-auth has nullok).
chroot "$ROOT" passwd -d root >/dev/null

# The console getty comes from systemd-getty-generator: serial-getty@ on
# the console= device (hvc0 on ringvisor, ttyS0 natively) and on hvc0 when
# it exists.  Not a static serial-getty@hvc0: the native kernel has no hvc0
# and boot would wait 90 s for the device.
rm -f "$ROOT/etc/systemd/system/getty.target.wants/serial-getty@hvc0.service"

mkdir -p "$ROOT/etc/systemd/network"
rm -f "$ROOT/etc/systemd/network/80-uplink.network"
cat >"$ROOT/etc/systemd/network/99-dhcp.network" <<'EOF'
# ringvisor: DHCP on the virtio network devices (the uplink's DHCP server is
# QEMU's user network, 10.0.2.2, when the monitor has net=switch:uplink).
# Last in order: a kernel command line's ip= (systemd-network-generator,
# /run/systemd/network/90-*.network) comes first.
[Match]
Name=eth* en*

[Network]
DHCP=yes
EOF
chroot "$ROOT" systemctl enable systemd-networkd.service >/dev/null 2>&1
chroot "$ROOT" systemctl disable systemd-networkd-wait-online.service >/dev/null 2>&1 || true

# No timers that reach the network or scan the disk behind the tests' and
# benchmarks' backs (apt's daily runs, e2scrub, fstrim).
for t in apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer; do
    chroot "$ROOT" systemctl disable "$t" >/dev/null 2>&1 || true
done

# A short DNS set-up for apt through QEMU's user network (its resolver).
[ -L "$ROOT/etc/resolv.conf" ] || echo "nameserver 10.0.2.3" >"$ROOT/etc/resolv.conf"

# The journal on the disk, small: the image is 1 GiB.
mkdir -p "$ROOT/etc/systemd/journald.conf.d"
cat >"$ROOT/etc/systemd/journald.conf.d/ringvisor.conf" <<'EOF'
[Journal]
SystemMaxUse=32M
EOF

# The in-guest check of a boot without a console to type on (Bochs):
# linux/debian/rvcheck, run by systemd.run= on the kernel command line.
install -D -m 755 "$(dirname "$0")/../linux/debian/rvcheck" "$ROOT/usr/local/sbin/rvcheck"

# An empty machine-id: each copy of the image makes its own at first boot.
: >"$ROOT/etc/machine-id"
rm -f "$ROOT/var/lib/dbus/machine-id"
apt_clean() { rm -rf "$ROOT"/var/cache/apt/archives/*.deb "$ROOT"/var/lib/apt/lists/*_Packages; }
apt_clean
