# tests/conformance/virtio/build.mk: the virtio device tests (ABI.md
# "Devices", hypercall 18).  viokit.c is shared: the hypercall, devices
# brought up by hand, raw queues, bad addresses.  virtio-disk.img is the
# module vio-next boots with disk=next (byte o = ((o >> 9) * 31 + (o & 511)
# * 3 + 1) & 255, 133420 bytes: not a whole number of sectors).
VIO := tests/conformance/virtio
$(foreach t,vio-probe vio-features vio-status vio-config vio-queue vio-desc vio-blk vio-next vio-console \
    vio-bystander vio-ata vio-bench vio-sg,$(eval $(call rv_test,$(t),$(VIO)/$(t).c $(VIO)/viokit.c)))

$(BUILD)/tests/conformance/virtio-disk.img:
	@mkdir -p $(@D)
	$(PYTHON) -c "import sys; sys.stdout.buffer.write(bytes((((o >> 9) * 31 + (o & 511) * 3 + 1) & 255) for o in range(133420)))" > $@

all: $(BUILD)/tests/conformance/virtio-disk.img
