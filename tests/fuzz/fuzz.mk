# tests/fuzz/fuzz.mk: libFuzzer targets for the monitor's parsers of
# guest-supplied bytes (tests/fuzz/fuzz_*.c), built with clang under
# ASan and UBSan.  Included from tests/build.mk.
#
#   make fuzz-build          build/fuzz/fuzz-<target> for every target
#   make fuzz-host           run each for FUZZ_SECONDS (default 5) from its corpus,
#                            tests/fuzz/corpus/<target>/ (tests/fuzz/run.sh)
#
# Each target: its harness, the code under test (built as the monitor
# builds it, with tests/unit/host_names.h), and helpers shared with the unit
# tests.  New inputs a run finds go to build/fuzz/work/<target>/, not to the
# corpus: add one to the corpus by hand when it matters (a crash's input is
# the regression test of its fix).

FUZZ_DIR     := $(BUILD)/fuzz
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 5
FUZZ_CFLAGS  := -std=c11 -O1 -g -Wall -Wextra -fno-omit-frame-pointer -fno-builtin \
                -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
                -Ipv-abi -iquote monitor -iquote drivers -Ilibpvguest/include -Itests/unit -Itests/fuzz

FUZZ_TARGETS     := elf modline desc vring
FUZZ_CUT_elf     := monitor/elf.c libpvguest/string.c libpvguest/fmt.c
FUZZ_CUT_modline := monitor/modline.c libpvguest/string.c libpvguest/fmt.c
FUZZ_CUT_desc    := monitor/desc.c
FUZZ_CUT_vring   := drivers/vring.c libpvguest/string.c
FUZZ_AUX_elf     := tests/unit/elf_sane.c

# $(1) = target: objects under $(FUZZ_DIR)/obj/$(1)/, binary $(FUZZ_DIR)/fuzz-$(1).
define FUZZ_TARGET
FUZZ_OBJS_$(1) := $$(patsubst %.c,$(FUZZ_DIR)/obj/$(1)/%.o,tests/fuzz/fuzz_$(1).c $$(FUZZ_CUT_$(1)) $$(FUZZ_AUX_$(1)))

$(FUZZ_DIR)/obj/$(1)/%.o: %.c
	@mkdir -p $$(@D)
	@$$(if $$(Q),echo "  FUZZCC  $$<")
	$$(Q)$$(FUZZ_CC) $$(FUZZ_CFLAGS) -MMD -MP $$(if $$(filter $$<,$$(FUZZ_CUT_$(1))),-include tests/unit/host_names.h) -c $$< -o $$@

$(FUZZ_DIR)/fuzz-$(1): $$(FUZZ_OBJS_$(1))
	@$$(if $$(Q),echo "  FUZZLD  $$@")
	$$(Q)$$(FUZZ_CC) $$(FUZZ_CFLAGS) $$^ -o $$@
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call FUZZ_TARGET,$(t))))

FUZZ_BINS := $(foreach t,$(FUZZ_TARGETS),$(FUZZ_DIR)/fuzz-$(t))

.PHONY: fuzz-build fuzz-host
fuzz-build: $(FUZZ_BINS)

fuzz-host: $(FUZZ_BINS)
	@FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz/run.sh $(FUZZ_DIR) $(FUZZ_TARGETS)
