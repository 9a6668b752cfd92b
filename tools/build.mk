# tools/build.mk: the bootable ISO and booting it.
#
#   make iso    build/ringvisor.iso: GRUB, the monitor, two `hello` guests and `demo`
#   make run    set up, build, boot the ISO in QEMU on this terminal (Ctrl-A X quits)
#
# ISO_CMDLINE is the monitor's command line on the ISO (`make run
# ISO_CMDLINE=autoexit` leaves QEMU when every guest has stopped);
# RUN_QEMU_FLAGS go to tools/run-qemu.sh (e.g. "-- -d int -D build/qemu.log").

ISO            := $(BUILD)/ringvisor.iso
ISO_CMDLINE    ?=
RUN_QEMU_FLAGS ?=
ISO_GUESTS     := $(BUILD)/guests/hello.elf $(BUILD)/guests/demo.elf

iso: $(ISO)

$(ISO): $(BUILD)/monitor.elf $(ISO_GUESTS) $(BUILD)/iso-cmdline tools/mkiso.sh
	@echo "  ISO     $@"
	@tools/mkiso.sh $@ $(BUILD)/monitor.elf "$(ISO_CMDLINE)" \
	    "$(BUILD)/guests/hello.elf name=hello-1 -- first" \
	    "$(BUILD)/guests/hello.elf name=hello-2 -- second" \
	    "$(BUILD)/guests/demo.elf name=demo"

# Rebuild the ISO when ISO_CMDLINE changes.
$(BUILD)/iso-cmdline: FORCE
	@mkdir -p $(@D)
	@echo '$(ISO_CMDLINE)' | cmp -s - $@ || echo '$(ISO_CMDLINE)' >$@

.PHONY: FORCE
FORCE:

# KVM only where the CPU has vmx/svm: run-qemu.sh checks.  QEMU's exit
# status 1 is the monitor's autoexit with every guest at code 0.
run:
	@bash tools/setup.sh base
	@$(SUBMAKE) iso
	tools/run-qemu.sh --kvm --interactive --iso $(ISO) $(RUN_QEMU_FLAGS) || [ $$? -eq 1 ]
-include linux/linux.mk
