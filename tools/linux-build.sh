#!/usr/bin/env bash
# tools/linux-build.sh: build the ringvisor Linux guest (issue 5).
#
#   tools/linux-build.sh [--native] [BUILD_DIR]   (default build/linux)
#
# Two kernels come from the one patched source tree:
#   (default)  the ringvisor guest: BUILD_DIR/obj, BUILD_DIR/vmlinux;
#   --native   the same source for bare i386 (the benchmarks' reference,
#              `make linux-native`): ringvisor.config with the options
#              guest-patches/native.config names replaced (no
#              CONFIG_RINGVISOR_GUEST; 8250 console, PCI, virtio-pci), in
#              BUILD_DIR/obj-native, leaving BUILD_DIR/native/bzImage.
# Both use the same initramfs.  Steps 1, 2 and the initramfs, shared by
# both, run under a lock (BUILD_DIR/.lock), so the two may build at once.
#
# 1. unpacks Debian's /usr/src/linux-source-6.1.tar.xz into BUILD_DIR/src
#    once, as a git repository whose first commit (tag `pristine`) is the
#    untouched source;
# 2. applies guest-patches/series to it whenever the series or a patch
#    changed: the patched tree is computed in a scratch index (git apply
#    --cached, so a patch that does not apply is named and nothing is
#    touched), then the work tree moves to it with `git read-tree -m -u`,
#    which rewrites only the files whose content changes, so make rebuilds
#    only what the change reaches;
# 3. configures BUILD_DIR/obj (out of tree) as i386 tinyconfig plus
#    guest-patches/ringvisor.config when the fragment changed;
# 4. builds the initramfs (linux/mkinitramfs.sh) as initramfs.cpio.gz, which
#    the monitor hands to the guest as its initrd (module line initrd=next);
# 5. builds vmlinux with -j$LINUX_JOBS (default 2) and leaves a copy without
#    debug sections in BUILD_DIR/vmlinux, the image the monitor loads.
#
# LINUX_SKIP_SERIES=1 builds the tree as it is (for work on the patches in
# BUILD_DIR/src itself; regenerate the series with
# `git -C BUILD_DIR/src format-patch -o guest-patches pristine..`).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
flavour=pv
if [ "${1:-}" = --native ]; then flavour=native; shift; fi
B=$(realpath -m "${1:-$top/build/linux}")
SRC=$B/src
OBJ=$B/obj
[ $flavour = pv ] || OBJ=$B/obj-native
TARBALL=${LINUX_TARBALL:-/usr/src/linux-source-6.1.tar.xz}
PATCHES=$top/guest-patches
FRAGMENT=$PATCHES/ringvisor.config
NATIVE_FRAGMENT=$PATCHES/native.config
JOBS=${LINUX_JOBS:-2}
KMAKE=(make -C "$SRC" O="$OBJ" ARCH=i386 -s)
git_src() { git -C "$SRC" -c user.name="ringvisor build" -c user.email=build@ringvisor.invalid "$@"; }
say() { echo "  LINUX   $*"; }
die() { echo "linux-build: $*" >&2; exit 1; }

mkdir -p "$B"
exec 9>"$B/.lock"
flock 9         # steps 1, 2, 2b: one build at a time touches the source tree
mkinitramfs() { flock "$B/.lock" "$top/linux/mkinitramfs.sh" "$B/initramfs"; }

# ---- 1. the pristine tree ----------------------------------------------
if [ ! -f "$B/.unpacked" ] && git -C "$SRC" rev-parse -q --verify pristine >/dev/null 2>&1; then
    touch "$B/.unpacked"     # a tree unpacked by hand: keep it (and its history)
fi
if [ ! -f "$B/.unpacked" ]; then
    [ -r "$TARBALL" ] || die "$TARBALL missing: run 'bash tools/setup.sh linux' (package linux-source-6.1)"
    say "unpacking $(basename "$TARBALL") into $SRC"
    rm -rf "$SRC" "$B/.series" "$B/.config-stamp"
    mkdir -p "$B"
    tmp=$(mktemp -d "$B/unpack.XXXXXX")
    tar -xJf "$TARBALL" -C "$tmp"
    mv "$tmp"/linux-source-* "$SRC"
    rmdir "$tmp"
    git_src init -q
    # Debian's top-level .gitignore ignores everything: add by force.
    git_src add -f -A
    git_src commit -q -m "Debian linux-source-6.1 $(make -s -C "$SRC" kernelversion) (pristine)"
    git_src tag pristine
    touch "$B/.unpacked"
fi

# ---- 2. the patch series -------------------------------------------------
series_files() {
    sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$PATCHES/series"
}
series_hash() {
    { cat "$PATCHES/series"; series_files | while read -r p; do cat "$PATCHES/$p"; done; } | sha256sum | cut -d' ' -f1
}
if [ "${LINUX_SKIP_SERIES:-0}" != 1 ]; then
    [ -f "$PATCHES/series" ] || die "guest-patches/series missing"
    want=$(series_hash)
    if [ "$(cat "$B/.series" 2>/dev/null)" != "$want" ]; then
        if [ -n "$(git_src status --porcelain --untracked-files=no)" ]; then
            die "$SRC has uncommitted changes; commit or discard them (git -C $SRC status), or rm -rf $B"
        fi
        say "applying guest-patches/series ($(series_files | wc -l) patches)"
        idx=$B/.series-index
        rm -f "$idx"
        GIT_INDEX_FILE=$idx git_src read-tree pristine
        while read -r p; do
            [ -f "$PATCHES/$p" ] || die "guest-patches/series names $p, which does not exist"
            if ! GIT_INDEX_FILE=$idx git_src apply --cached --whitespace=nowarn "$PATCHES/$p" 2>"$B/.apply-error"; then
                cat "$B/.apply-error" >&2
                rm -f "$idx"
                die "patch guest-patches/$p does not apply to $(git_src log -1 --format=%s pristine); nothing was changed"
            fi
        done < <(series_files)
        tree=$(GIT_INDEX_FILE=$idx git_src write-tree)
        rm -f "$idx"
        cur=$(git_src write-tree)
        git_src read-tree -m -u "$cur" "$tree"
        commit=$(git_src commit-tree "$tree" -p pristine -m "guest-patches/series applied")
        git_src update-ref refs/heads/series "$commit"
        git_src symbolic-ref HEAD refs/heads/series
        echo "$want" >"$B/.series"
    fi
fi

# ---- 2b. the guest ABI headers ---------------------------------------------
# pv-abi/ is the one source of the ABI: copy it into the tree on every build
# (include/ringvisor/interface/), adapted to kernel includes, rewriting only
# what changed so the kernel's make rebuilds only what depends on it.
abi_dir=$SRC/include/ringvisor/interface
mkdir -p "$abi_dir"
for h in "$top"/pv-abi/*.h; do
    name=$(basename "$h")
    [ "$name" = ringvisor.h ] && continue
    sed -e 's|#include <stdint.h>|#include <linux/types.h>|' \
        -e 's|#include "\([a-z_]*\.h\)"|#include <ringvisor/interface/\1>|' "$h" >"$abi_dir/$name.tmp"
    if cmp -s "$abi_dir/$name.tmp" "$abi_dir/$name"; then rm -f "$abi_dir/$name.tmp"; else mv "$abi_dir/$name.tmp" "$abi_dir/$name"; fi
done

flock -u 9

# ---- 3. configuration ------------------------------------------------------
mkdir -p "$OBJ"
mkinitramfs
# The option an enabled/disabled config line names (empty for comments).
opt_of() { sed -n -e 's/^\(CONFIG_[A-Za-z0-9_]*\)=.*/\1/p' -e 's/^# \(CONFIG_[A-Za-z0-9_]*\) is not set$/\1/p'; }
if [ $flavour = pv ]; then
    gen_fragment=$B/ringvisor-generated.config
    what="guest-patches/ringvisor.config"
else
    gen_fragment=$B/native-generated.config
    what="guest-patches/ringvisor.config with guest-patches/native.config"
fi
{
    if [ $flavour = pv ]; then
        cat "$FRAGMENT"
    else
        # ringvisor.config less every line naming an option native.config sets
        opt_of <"$NATIVE_FRAGMENT" | sed 's/.*/^(# )?&[= ]/' >"$gen_fragment.drop"
        grep -v -E -f "$gen_fragment.drop" "$FRAGMENT"
        rm -f "$gen_fragment.drop"
        cat "$NATIVE_FRAGMENT"
    fi
    echo "CONFIG_INITRAMFS_SOURCE=\"\""   # the userland comes as a module (initrd=next) or -initrd
} >"$gen_fragment.tmp"
if ! cmp -s "$gen_fragment.tmp" "$gen_fragment" || [ ! -f "$OBJ/.config" ]; then
    say "configuring $OBJ: i386 tinyconfig + $what"
    "${KMAKE[@]}" tinyconfig >/dev/null
    (cd "$SRC" && scripts/kconfig/merge_config.sh -m -O "$OBJ" "$OBJ/.config" "$gen_fragment.tmp") >"$B/merge_config.log" 2>&1 ||
        { cat "$B/merge_config.log" >&2; die "merge_config.sh failed"; }
    "${KMAKE[@]}" olddefconfig
    # Every option the fragment names must have the value it asks for.
    bad=0
    while IFS= read -r line; do
        case "$line" in
        CONFIG_*=*) opt=${line%%=*} ;;
        "# CONFIG_"*" is not set") opt=${line#\# }; opt=${opt%% *} ;;
        *) continue ;;
        esac
        got=$(grep -E "^($opt=|# $opt is not set)" "$OBJ/.config" || echo "# $opt is not set")
        if [ "$got" != "$line" ]; then
            echo "linux-build: $opt: asked '$line', got '$got'" >&2
            bad=1
        fi
    done <"$gen_fragment.tmp"
    if [ $flavour = pv ]; then
        grep -q '^CONFIG_RINGVISOR_GUEST=y' "$OBJ/.config" || die "CONFIG_RINGVISOR_GUEST is not set: is the series applied?"
    else
        ! grep -q '^CONFIG_RINGVISOR_GUEST=y' "$OBJ/.config" || die "the native kernel has CONFIG_RINGVISOR_GUEST"
    fi
    [ $bad = 0 ] || echo "linux-build: warning: some options did not take the value asked (above)" >&2
    mv "$gen_fragment.tmp" "$gen_fragment"
fi
rm -f "$gen_fragment.tmp"

# ---- 4/5. the native kernel: bzImage ------------------------------------------
# kbuild TARGET LOG: the kernel's make for TARGET in $OBJ, its output in LOG.
kbuild() {
    local start
    say "building $1 in $OBJ (make -j$JOBS, $(git_src log -1 --format=%s))"
    start=$(date +%s)
    make -C "$SRC" O="$OBJ" ARCH=i386 LOCALVERSION= -j"$JOBS" "$1" >"$2" 2>&1 || {
        grep -E -B2 -A6 'error|Error' "$2" | head -60 >&2
        die "kernel build ($1) failed; see $2"
    }
    say "$1 built in $(( $(date +%s) - start )) s"
}

if [ $flavour = native ]; then
    kbuild bzImage "$B/build-native.log"
    mkinitramfs
    mkdir -p "$B/native"
    if ! cmp -s "$OBJ/arch/x86/boot/bzImage" "$B/native/bzImage"; then
        cp "$OBJ/arch/x86/boot/bzImage" "$B/native/bzImage.tmp"
        mv "$B/native/bzImage.tmp" "$B/native/bzImage"
    fi
    say "$B/native/bzImage: $(stat -c %s "$B/native/bzImage") bytes ($(make -s -C "$SRC" kernelversion), native)"
    exit 0
fi

# ---- 4/5. vmlinux ------------------------------------------------------------
kbuild vmlinux "$B/build.log"
# The initramfs as a separate module too (gen_init_cpio exists now).
mkinitramfs
objcopy --strip-debug "$OBJ/vmlinux" "$B/vmlinux.tmp"
if ! cmp -s "$B/vmlinux.tmp" "$B/vmlinux"; then mv "$B/vmlinux.tmp" "$B/vmlinux"; else rm -f "$B/vmlinux.tmp"; fi
size=$(stat -c %s "$B/vmlinux")
say "$B/vmlinux: $size bytes ($(make -s -C "$SRC" kernelversion))"
[ "$size" -le $((8 << 20)) ] || echo "linux-build: warning: vmlinux is larger than the monitor's 8 MiB module window" >&2
