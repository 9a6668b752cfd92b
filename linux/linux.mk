# linux/linux.mk: the ringvisor Linux guest (issue 5); included by tools/build.mk.
#
#   make linux         unpack Debian's linux-source-6.1 into build/linux/src, apply
#                      guest-patches/series, configure (i386 tinyconfig +
#                      guest-patches/ringvisor.config), build build/linux/vmlinux with
#                      the busybox initramfs built in (and initramfs/initramfs.cpio.gz)
#   make run-linux     the monitor with one Linux guest, its shell on this terminal
#                      (Ctrl-A X quits QEMU; `poweroff` stops the guest)
#   make run-linux2    two Linux guests and the `hello` guest (Ctrl-A Ctrl-A n: next
#                      console; QEMU passes one Ctrl-A on to the monitor)
#   make check-linux   the automated boot test (tools/linux-test.sh), one guest
#   make check-linux2  the same with two Linux guests at once
#   make check-linux-strict  the same, one guest, on Bochs (segment limits
#                      enforced; make check runs it through tests/linux-suite.sh)
#   make linux-native  the same patched source for bare i386, the benchmarks'
#                      reference (tools/linux-build.sh --native: config
#                      guest-patches/ringvisor.config + native.config, obj dir
#                      build/linux/obj-native): build/linux/native/bzImage
#   make run-linux-native  that kernel under QEMU with the same initramfs,
#                      its shell on this terminal (console=ttyS0)
#
# The kernel's own make decides what to rebuild; tools/linux-build.sh touches
# the source tree only when guest-patches/ changed.  LINUX_MEM is each guest's
# memory, LINUX_CMDLINE its kernel command line.

LINUX_DIR      := $(BUILD)/linux
LINUX_IMAGE    := $(LINUX_DIR)/vmlinux
LINUX_NATIVE   := $(LINUX_DIR)/native/bzImage
# The userland: a Multiboot module handed to the guest as its initrd
# (initrd=next); any cpio or cpio.gz works, e.g. make run-linux LINUX_INITRD=my.cpio.gz
LINUX_INITRD   ?= $(LINUX_DIR)/initramfs/initramfs.cpio.gz
LINUX_MEM      ?= 128M
LINUX_CMDLINE  ?= console=hvc0 earlyprintk=ringvisor
LINUX_QEMU     := qemu-system-i386 -nographic -no-reboot -kernel $(BUILD)/monitor.elf \
                  -device isa-debug-exit,iobase=0xf4,iosize=4

.PHONY: linux run-linux run-linux2 check-linux check-linux2 linux-native run-linux-native check-linux-strict

linux:
	@bash tools/setup.sh linux
	@bash tools/linux-build.sh $(LINUX_DIR)

linux-native:
	@bash tools/setup.sh linux
	@bash tools/linux-build.sh --native $(LINUX_DIR)

run-linux-native: linux-native
	qemu-system-i386 -nographic -no-reboot -m 128 -kernel $(LINUX_NATIVE) -initrd $(LINUX_INITRD) \
	    -append "console=ttyS0" || true

run-linux: linux $(BUILD)/monitor.elf
	$(LINUX_QEMU) -m 512 -initrd "$(LINUX_IMAGE) name=linux mem=$(LINUX_MEM) initrd=next -- $(LINUX_CMDLINE),$(LINUX_INITRD)" || true

run-linux2: linux $(BUILD)/monitor.elf $(BUILD)/guests/hello.elf
	$(LINUX_QEMU) -m 768 -initrd "$(LINUX_IMAGE) name=linux-1 mem=$(LINUX_MEM) initrd=next -- console=hvc0,$(LINUX_INITRD),$(LINUX_IMAGE) name=linux-2 mem=$(LINUX_MEM) initrd=next -- console=hvc0,$(LINUX_INITRD),$(BUILD)/guests/hello.elf name=hello" || true

check-linux: linux $(BUILD)/monitor.elf
	@bash tools/linux-test.sh $(BUILD)/monitor.elf $(LINUX_IMAGE)

check-linux2: linux $(BUILD)/monitor.elf
	@bash tools/linux-test.sh --guests 2 $(BUILD)/monitor.elf $(LINUX_IMAGE)

check-linux-strict: linux $(BUILD)/monitor.elf
	@bash tools/setup.sh bochs
	@bash tools/linux-test.sh --bochs $(BUILD)/monitor.elf $(LINUX_IMAGE)
-include linux/debian.mk
