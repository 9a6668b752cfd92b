# tests/conformance/core/build.mk: the core conformance tests: the calling
# convention, version, console_io, sched_op, multicall, vcpu_op and the
# sensitive instructions.  Manifest: tests/conformance/core/tests.list.
$(eval $(call rv_test,core-callconv,tests/conformance/core/core-callconv.c))
$(eval $(call rv_test,core-version,tests/conformance/core/core-version.c))
$(eval $(call rv_test,core-console,tests/conformance/core/core-console.c))
$(eval $(call rv_test,core-console-read,tests/conformance/core/core-console-read.c))
$(eval $(call rv_test,core-sched,tests/conformance/core/core-sched.c))
$(eval $(call rv_test,core-yield,tests/conformance/core/core-yield.c))
$(eval $(call rv_test,core-exit,tests/conformance/core/core-exit.c))
$(eval $(call rv_test,core-multicall,tests/conformance/core/core-multicall.c))
$(eval $(call rv_test,core-vcpu,tests/conformance/core/core-vcpu.c))
$(eval $(call rv_test,core-emulate,tests/conformance/core/core-emulate.c))
$(eval $(call rv_test,core-priv,tests/conformance/core/core-priv.c))
$(eval $(call rv_test,core-contract,tests/conformance/core/core-contract.c))

# abidecl.S: one standalone image per declared version (ABI.md "Versions"):
# NAME:VERSION:FEATURES:PAGE:EXPECT_FILLED.  Linked with the tutorial's script.
ABIDECL_CASES := 10:0x10000:0:1:1 14:0x10004:0:1:1 15:0x10005:0:1:0 15feat:0x10005:1:1:1 nopage:0x10005:1:0:0
ABIDECL_OUT   := $(BUILD)/tests/conformance/core
define ABIDECL_CASE
$(ABIDECL_OUT)/abidecl-$(word 1,$(1)).o: tests/conformance/core/abidecl.S
	@mkdir -p $$(@D)
	$(Q)$(CC) -m32 -Ipv-abi -DDECL_VERSION=$(word 2,$(1)) -DDECL_FEATURES=$(word 3,$(1)) \
		-DDECL_PAGE=$(word 4,$(1)) -DEXPECT_FILLED=$(word 5,$(1)) -c $$< -o $$@
$(ABIDECL_OUT)/abidecl-$(word 1,$(1)).elf: $(ABIDECL_OUT)/abidecl-$(word 1,$(1)).o tests/tutorial/tutorial.ld
	$(Q)$(LD) $(XLDFLAGS) --no-warn-rwx-segments -T tests/tutorial/tutorial.ld -o $$@ $$<
all: $(ABIDECL_OUT)/abidecl-$(word 1,$(1)).elf
endef
$(foreach c,$(ABIDECL_CASES),$(eval $(call ABIDECL_CASE,$(subst :, ,$(c)))))
