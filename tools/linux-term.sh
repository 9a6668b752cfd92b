#!/usr/bin/env bash
# tools/linux-term.sh: the Linux guest's shell through the console as a
# terminal (issue 19; ABI.md "The console").
#
#   tools/linux-term.sh MONITOR_ELF VMLINUX
#
# Runs the monitor under QEMU inside a tmux session (a real pty, 100x30),
# console=terminal, with one Linux guest whose /init gives a shell on
# hvc0 (linux/init), and a small guest beside it that prints in the
# background.  It reads the screen with tmux capture-pane and types with
# send-keys; one line per check, `linux-term: NAME: PASS|FAIL ...`:
#   prompt     the shell's prompt shows without a key pressed
#   stty       `stty -a` reports a sane line discipline (icanon, echo,
#              isig, icrnl, opost, onlcr)
#   ctrl-c     Ctrl-C interrupts a running `sleep` (isig through the console)
#   vi         busybox vi draws its screen: tildes down the left, its
#              status line at the bottom, and :q! leaves it
#   top        `top -n 1` draws its header and process table
#   poweroff   the guest powers off and QEMU exits
set -u
[ $# -eq 2 ] || { echo "usage: $0 MONITOR_ELF VMLINUX" >&2; exit 2; }
monitor=$1 vmlinux=$2
initrd=$(dirname "$vmlinux")/initramfs/initramfs.cpio.gz
hello=$(dirname "$monitor")/guests/hello.elf
for f in "$monitor" "$vmlinux" "$initrd" "$hello"; do
    [ -r "$f" ] || { echo "linux-term: $f missing (make linux)" >&2; exit 2; }
done
command -v tmux >/dev/null || { echo "linux-term: no tmux (tools/setup.sh linux)" >&2; exit 2; }
session=rvterm-$$
log=$(dirname "$vmlinux")/linux-term.log
rm -f "$log"
tmux kill-session -t "$session" 2>/dev/null
tmux new-session -d -s "$session" -x 100 -y 30 \
    "qemu-system-i386 -nographic -no-reboot -m 384 -kernel $monitor -append 'autoexit console=terminal' \
     -device isa-debug-exit,iobase=0xf4,iosize=4 \
     -initrd '$vmlinux name=linux mem=128M initrd=next -- console=hvc0,$initrd,$hello name=hello'; \
     echo qemu-exit-\$?; sleep 30"
trap 'tmux kill-session -t "$session" 2>/dev/null' EXIT

screen() { tmux capture-pane -p -t "$session"; }
# wait_for REGEX SECONDS: 0 once the screen matches.
wait_for() {
    local end=$((SECONDS + $2))
    while [ $SECONDS -lt $end ]; do
        screen | grep -Eq "$1" && return 0
        sleep 0.5
    done
    return 1
}
result() { # NAME OK WHY
    if [ "$2" = 0 ]; then echo "linux-term: $1: PASS"; else echo "linux-term: $1: FAIL $3"; fi
    { echo "== $1"; screen; } >>"$log"
}
keys() { tmux send-keys -t "$session" "$@"; }

# The prompt (PS1 of linux/mkinitramfs.sh): capture-pane drops trailing
# blanks, so its space shows only when a late kernel message follows it.
wait_for 'ringvisor:/#( |$)' 120; result prompt $? "no shell prompt on the screen after 120 s"
keys 'clear; stty -a | tr " " "\n" | grep -xE "icanon|echo|isig|icrnl|opost|onlcr" | sort | tr "\n" " "; echo =stty' Enter
wait_for '^=stty' 20
line=$(screen | grep -E '^[a-z ]+=stty' | tail -1)
[ "$line" = "echo icanon icrnl isig onlcr opost =stty" ]; result stty $? "stty -a: '$line'"
keys 'clear' Enter
sleep 1
keys 'sleep 30; echo slept-$?' Enter
sleep 2
keys C-c
wait_for '# ?$' 10; ok=$?
screen | grep -q 'slept-0' && ok=1
result ctrl-c $ok "Ctrl-C did not interrupt sleep"
keys 'stty rows 30 cols 100; clear; vi /tmp/term-check' Enter
# The command line also says term-check: wait for vi's own screen.
end=$((SECONDS + 20))
while [ $SECONDS -lt $end ] && [ "$(screen | grep -c '^~')" -lt 20 ]; do sleep 0.5; done
sleep 1
tildes=$(screen | grep -c '^~')
[ "$tildes" -ge 20 ] && screen | tail -1 | grep -q 'term-check'; result vi $? "vi screen: $tildes tilde lines"
keys Escape
sleep 1 # busybox vi waits a moment after ESC for the rest of an escape sequence
keys ':q!' Enter
wait_for '# ?$' 20
keys 'clear; top -n 1 | head -8' Enter
wait_for 'PID' 20 && screen | grep -Eq '^Mem:|^CPU:'; result top $? "no top header"
keys 'poweroff' Enter
wait_for 'qemu-exit-' 120
screen | grep -q 'qemu-exit-1'; result poweroff $? "QEMU did not exit with status 1 (all guests code 0)"
