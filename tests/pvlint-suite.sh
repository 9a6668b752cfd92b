#!/usr/bin/env bash
# tests/pvlint-suite.sh BUILD [linux]: the pvlint suite of `make check`
# (issue 14).  tools/pvlint.py disassembles every guest image and fails on
# a sensitive or privileged instruction its allow-lists do not explain:
#   - every ELF under BUILD but Linux's (tests/pvlint.allow);
#   - with `linux`, BUILD/linux/vmlinux (guest-patches/pvlint.allow), and
#     the trap lines of the Linux boot tests tests/linux-suite.sh just ran
#     (BUILD/linux/linux-test-*.log): every instruction that trapped must
#     be one pvlint found, none on a site allowed as unreachable;
#   - the same trap check on one QEMU boot of guests that trap on purpose
#     (core-emulate's CLI/STI/HLT, core-priv's IN and MOV CR3), so the
#     comparison is seen to find sites, not only an empty list;
#   - tests/pvlint_test.py: pvlint's own tests (it fails where it should).
# Prints pvlint's PASS/FAIL/SKIP lines and one closing
# `N passed, N failed, N skipped` for tests/run.py.
set -u
build=${1:-build}
linux=${2:-}
py=/usr/bin/python3
[ -x "$py" ] || py=python3
pvlint="$py tools/pvlint.py"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
n=0
run() { # run NAME COMMAND...: one pvlint run, its output kept for the total
    n=$((n + 1))
    "${@:2}" >"$out/$n.log" 2>&1
    grep -E "^(PASS|FAIL|SKIP|pvlint:)" "$out/$n.log"
    grep -qE "^[0-9]+ passed, [0-9]+ failed" "$out/$n.log" ||
        { echo "FAIL pvlint-$1: no result"; tail -3 "$out/$n.log" | sed 's/^/    /'; echo "0 passed, 1 failed" >>"$out/$n.log"; }
}

mapfile -t guests < <(find "$build" -name '*.elf' -not -path "$build/linux/*" -not -name monitor.elf | sort)
run guests $pvlint -a tests/pvlint.allow --stale --json "$build/test-results/pvlint-guests.json" "${guests[@]}"

# Guests that trap on purpose, booted once on QEMU: their trapped: lines against their images.
log=$build/test-results/pvlint-traps.serial
conf=$build/tests/conformance
timeout 60 qemu-system-i386 -nographic -no-reboot -m 64 -kernel "$build/monitor.elf" -append autoexit \
    -device isa-debug-exit,iobase=0xf4,iosize=4 \
    -initrd "$conf/core-emulate.elf name=emulate,$conf/core-priv.elf name=priv-in -- insn=in,$conf/core-priv.elf name=priv-cr3 -- insn=mov-to-cr3" \
    </dev/null >"$log" 2>&1
run traps-emulate $pvlint -a tests/pvlint.allow --traps "$log" --domain emulate "$conf/core-emulate.elf"
run traps-priv $pvlint -a tests/pvlint.allow --traps "$log" --domain 'priv-*' "$conf/core-priv.elf"

if [ -n "$linux" ]; then
    vmlinux=$build/linux/vmlinux
    feat=$build/linux/src/arch/x86/include/asm/cpufeatures.h
    lint="$pvlint -a guest-patches/pvlint.allow --cpufeatures $feat"
    run vmlinux $lint --stale --json "$build/test-results/pvlint-vmlinux.json" "$vmlinux"
    for l in "$build"/linux/linux-test-1.log "$build"/linux/linux-test-2.log "$build"/linux/linux-test-bochs-1.log; do
        if [ -f "$l" ]; then run "traps-$(basename "$l" .log)" $lint --traps "$l" --domain 'linux*' "$vmlinux"
        else n=$((n + 1)); echo "FAIL pvlint-traps $l: missing (the Linux boot test did not run)"; echo "0 passed, 1 failed" >"$out/$n.log"; fi
    done
fi

n=$((n + 1))
$py tests/pvlint_test.py >"$out/$n.log" 2>&1
grep -E "^(PASS|FAIL)" "$out/$n.log"

cat "$out"/*.log | awk '/^[0-9]+ passed, [0-9]+ failed/ { p += $1; f += $3; s += ($5 == "" ? 0 : $5) }
    END { printf "%d passed, %d failed, %d skipped\n", p, f, s }'
