#!/bin/sh
# linux/rvbench.sh: the in-guest part of the Linux benchmark (`make bench`,
# suite `linux`, tests/bench/README.md), installed as /etc/rvbench.sh and run
# by /init when the kernel command line holds `rvbench=ARGS` (ARGS: words of
# `rvbench run` joined by ':', e.g. rvbench=quick or rvbench=full:only=pipe;
# no commas, which cannot pass through QEMU's -initrd).  The same script runs
# under the ringvisor guest and under the native kernel.
#
# Prints, on the console, what the harness parses (linux/rvbench.c):
#   RVBENCH tsc at=init cycles=N     the TSC when the kernel started user space
#                                    (rdinit=/bin/rvbench read it and exec'd /init)
#   RVBENCH tsc at=prompt cycles=N   the TSC at the first command of the login
#                                    shell /init gives a user, read right after
#                                    its first prompt
#   RVBENCH ... figures ...          rvbench run
# then stops the machine: poweroff under ringvisor (the monitor reports the
# exit), reboot natively (QEMU's -no-reboot turns it into an exit).
args=$(sed -n 's/.*rvbench=\([^ ]*\).*/\1/p' /proc/cmdline | tr : ' ')
[ -n "${RVBENCH_INIT_TSC:-}" ] && rvbench tsc init "$RVBENCH_INIT_TSC"
echo 'rvbench tsc prompt' | setsid sh -l -i
rvbench run $args
if [ -d /sys/module/ringvisor ]; then
    poweroff -f
else
    reboot -f
fi
