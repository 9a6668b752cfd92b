# tests/framework/framework.mk: building conformance tests (included from
# tests/build.mk; needs libpvguest/build.mk first).
#
# A test is one line:
#
#   $(eval $(call rv_test,NAME,SOURCES[,EXTRA]))
#
# It links $(BUILD)/tests/conformance/NAME.elf (where tests/run.py looks
# by default) from SOURCES (.c or .asm, compiled with RV_GUEST_CFLAGS,
# which here also has -Itests/framework for "rvtest.h"), the framework
# (librvtest.a and a guest_main that prints "TEST NAME") and libpvguest,
# exactly like rv_guest.  The test defines `void test_main(void)`.  Each
# test is added to `all` and to $(RV_TESTS).

RVT_DIR := $(BUILD)/tests/framework
RVT_LIB := $(RVT_DIR)/librvtest.a
RVT_SRCS := tests/framework/rvtest.c
RV_GUEST_CFLAGS += -Itests/framework
RV_TESTS :=

$(foreach s,$(RVT_SRCS),$(call rv_compile,$(s)))

$(RVT_LIB): $(call rv_objs,$(RVT_SRCS))
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

all: $(RVT_LIB)

define rv_test
$(BUILD)/tests/conformance/$(1).main.o: tests/framework/rvtest_main.c
	@mkdir -p $$(@D)
	$$(CC) $$(RV_GUEST_CFLAGS) -DRVT_NAME='"$(1)"' -c -o $$@ $$<
$(call rv_link,$(BUILD)/tests/conformance/$(1).elf,$(2),$(BUILD)/tests/conformance/$(1).main.o $(RVT_LIB) $(3))
RV_TESTS += $(BUILD)/tests/conformance/$(1).elf
endef

# The framework's test of itself.
$(eval $(call rv_test,framework-selftest,tests/framework/selftest.c))
