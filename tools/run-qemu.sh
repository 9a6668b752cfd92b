#!/usr/bin/env bash
# tools/run-qemu.sh: boot the monitor in qemu-system-i386, from the ELF
# (QEMU's own Multiboot loader: fastest) or from the GRUB ISO.
#
#   tools/run-qemu.sh [options] --kernel MONITOR.elf [--append "CMDLINE"] [--module "GUEST.elf ARGS"]...
#   tools/run-qemu.sh [options] --kernel MONITOR.elf [--append "CMDLINE"] --initrd "G1.elf ARGS,G2.elf ARGS"
#   tools/run-qemu.sh [options] --iso FILE.iso
#
# Options:
#   --serial FILE   COM1 to FILE (default: this terminal)
#   --timeout SEC   kill QEMU after SEC seconds (exit status 124)
#   --mem MB        guest RAM (default 256)
#   --smp N         N CPUs (-smp N) on multi-threaded TCG (the monitor starts
#                   them all, monitor/smp.c); default 1
#   --kvm           use KVM with -cpu host, but only where the CPU has vmx/svm
#                   (a /dev/kvm without them is software nested KVM, which
#                   cannot emulate the INT/IRET the monitor lives on)
#   --interactive   COM1 and the QEMU monitor share the terminal (Ctrl-A X quits)
#   --              the rest goes to QEMU unchanged
#
# The machine has isa-debug-exit at port 0xf4: the monitor's `autoexit`
# writes v there and QEMU exits with status (v << 1) | 1, so 1 means every
# domain exited with code 0.  -no-reboot turns a triple fault into exit 0.
set -euo pipefail

die() { echo "run-qemu.sh: $*" >&2; exit 2; }
kernel="" append="" iso="" serial="" timeout="" mem=256 smp=1 kvm=0 interactive=0
modules=() extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --kernel) kernel=$2; shift 2 ;;
    --append) append=$2; shift 2 ;;
    --module) modules+=("$2"); shift 2 ;;
    --initrd) IFS=, read -r -a more <<<"$2"; modules+=("${more[@]}"); shift 2 ;;
    --iso) iso=$2; shift 2 ;;
    --serial) serial=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --mem) mem=$2; shift 2 ;;
    --smp) smp=$2; shift 2 ;;
    --kvm) kvm=1; shift ;;
    --interactive) interactive=1; shift ;;
    --) shift; extra=("$@"); break ;;
    *) die "unknown option '$1' (see the comment at the top of $0)" ;;
  esac
done
[ -n "$kernel" ] || [ -n "$iso" ] || die "need --kernel or --iso"
[ -z "$kernel" ] || [ -z "$iso" ] || die "--kernel and --iso exclude each other"

args=(-m "$mem" -no-reboot -display none -nic none
      -device isa-debug-exit,iobase=0xf4,iosize=0x04)
if [ -n "$kernel" ]; then
  [ -f "$kernel" ] || die "no kernel '$kernel'"
  # -initrd separates modules with commas, so module arguments cannot hold one.
  initrd=""
  for m in "${modules[@]+"${modules[@]}"}"; do
    case "$m" in *,*) die "a comma in module arguments cannot pass through -initrd: '$m'" ;; esac
    f=${m%% *}
    [ -f "$f" ] || die "no module '$f'"
    initrd="${initrd:+$initrd,}$m"
  done
  args+=(-kernel "$kernel" -append "$append")
  [ -z "$initrd" ] || args+=(-initrd "$initrd")
  # QEMU's Multiboot path never touches VGA; without one nothing is emulated for nothing.
  args+=(-vga none)
else
  [ -f "$iso" ] || die "no ISO '$iso'"
  # GRUB wants a VGA controller (its multiboot loader asks for VBE info).
  args+=(-cdrom "$iso" -boot d)
fi

if [ "$kvm" = 1 ] && grep -qwE 'vmx|svm' /proc/cpuinfo && [ -w /dev/kvm ]; then
  args+=(-enable-kvm -cpu host)
else
  [ "$kvm" = 0 ] || echo "run-qemu.sh: no vmx/svm on this CPU: using TCG" >&2
  if [ "$smp" -gt 1 ]; then
    args+=(-accel tcg,thread=multi)   # one host thread per CPU: they really run at once
  else
    args+=(-accel tcg)
  fi
fi
[ "$smp" = 1 ] || args+=(-smp "$smp")

if [ -n "$serial" ]; then
  args+=(-serial "file:$serial" -monitor none)
elif [ "$interactive" = 1 ]; then
  echo "run-qemu.sh: Ctrl-A X quits QEMU, Ctrl-A C its monitor" >&2
  args+=(-serial mon:stdio)
else
  args+=(-serial stdio -monitor none)
fi

cmd=(qemu-system-i386 "${args[@]}" "${extra[@]+"${extra[@]}"}")
if [ -n "$timeout" ]; then
  exec timeout --foreground -k 2 "$timeout" "${cmd[@]}"
fi
exec "${cmd[@]}"
