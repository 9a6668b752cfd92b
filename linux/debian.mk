# linux/debian.mk: Debian 12 i386 as a ringvisor guest (issue 12); included by
# linux/linux.mk.
#
#   make debian-image  debootstrap bookworm i386 (minbase + systemd-sysv, udev,
#                      iproute2, procps, python3-minimal, stress-ng, e2fsprogs)
#                      into build/debian/rootfs.ext4 (tools/debian-image.sh;
#                      reused when present: delete it to rebuild)
#   make run-debian    the monitor with one Debian guest on this terminal: root
#                      on /dev/vda (virtio-blk on QEMU's IDE disk holding the
#                      image, so writes persist), eth0 on the uplink (QEMU's
#                      e1000 and user network, DHCP), a login on hvc0 (root, no
#                      password).  Ctrl-A X quits QEMU; `poweroff` stops the guest.
#   make check-debian  the Debian tests (tests/debian_test.py), on copies of the image
#   make check-debian-strict  one Debian boot on Bochs (segment limits enforced;
#                      tests/debian-bochs.sh: no console input there, the image's
#                      rvcheck runs from the kernel command line and powers off)
#   make bench-debian  boot time and stress-ng, ringvisor against the same kernel
#                      native under the same QEMU (-icount), ratio table
#
# DEBIAN_MEM is the guest's memory, DEBIAN_CMDLINE its kernel command line.

DEBIAN_IMAGE   := $(BUILD)/debian/rootfs.ext4
DEBIAN_MEM     ?= 256M
DEBIAN_CMDLINE ?= console=hvc0 root=/dev/vda ro
# The whole image as the guest's disk: its size in 512-byte sectors.
debian_sectors  = $(shell echo $$(( $$(stat -c %s $(DEBIAN_IMAGE)) / 512 )))

.PHONY: debian-image run-debian check-debian check-debian-strict bench-debian

debian-image:
	@bash tools/setup.sh debian
	@bash tools/debian-image.sh $(DEBIAN_IMAGE)

run-debian: linux debian-image $(BUILD)/monitor.elf
	qemu-system-i386 -nographic -no-reboot -m 512 -kernel $(BUILD)/monitor.elf \
	    -device isa-debug-exit,iobase=0xf4,iosize=4 \
	    -drive file=$(DEBIAN_IMAGE),format=raw,if=ide,index=0 \
	    -netdev user,id=up -device e1000,netdev=up \
	    -initrd "$(LINUX_IMAGE) name=debian mem=$(DEBIAN_MEM) disk=ata0:0+$(debian_sectors) net=switch:uplink -- $(DEBIAN_CMDLINE)" || true

check-debian: linux debian-image $(BUILD)/monitor.elf
	@$(PYTHON) tests/debian_test.py $(BUILD)

check-debian-strict: linux debian-image $(BUILD)/monitor.elf
	@bash tools/setup.sh bochs
	@bash tests/debian-bochs.sh $(BUILD)

bench-debian: linux linux-native debian-image $(BUILD)/monitor.elf
	@$(PYTHON) tests/bench/debian_bench.py $(BUILD)
