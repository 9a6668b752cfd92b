# tests/conformance/vnet/build.mk: the network tests (ABI.md "Network
# devices"): virtio-net, the monitor's switch, its uplink.  netkit.c is
# shared by the tests that talk to each other; the queue tests drive the
# device by hand with the virtio tests' viokit.c.
VNET := tests/conformance/vnet
$(foreach t,vnet-switch vnet-bench vnet-uplink,$(eval $(call rv_test,$(t),$(VNET)/$(t).c $(VNET)/netkit.c)))
$(foreach t,vnet-probe vnet-desc,$(eval $(call rv_test,$(t),$(VNET)/$(t).c tests/conformance/virtio/viokit.c)))
$(eval $(call rv_test,vnet-rx,$(VNET)/vnet-rx.c $(VNET)/netkit.c tests/conformance/virtio/viokit.c))
