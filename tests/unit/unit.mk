# tests/unit/unit.mk: host unit tests of the monitor's pure logic
# (desc, elf, modline, frame, drivers/prd.c's IDE DMA descriptor tables,
# lock.h's spinlock on host threads)
# and of the shared C library (libpvguest string.c, fmt.c).  Included
# from tests/build.mk.
#
#   make unit     build build/unit/unit-64 and build/unit/unit-32 and run them
#
# The same sources are built twice: natively and with -m32 (the monitor's
# real word size), both under AddressSanitizer and UBSan, so an
# out-of-bounds read in the ELF parser fails the run instead of passing by
# luck.  Set UNIT_SANITIZE= to build without sanitizers, UNIT_ARCHS=64 to
# skip the 32-bit build.

UNIT_DIR      := $(BUILD)/unit
UNIT_ARCHS    ?= 64 32
UNIT_SANITIZE ?= -fsanitize=address,undefined -fno-sanitize-recover=all

# Code under test: built exactly as the monitor builds it, except that
# host_names.h renames rvlib's string functions away from libc's.
UNIT_CUT   := monitor/desc.c monitor/elf.c monitor/modline.c monitor/frame.c monitor/termtext.c \
              drivers/prd.c libpvguest/string.c libpvguest/fmt.c
UNIT_TESTS := tests/unit/harness.c tests/unit/elf_sane.c $(sort $(wildcard tests/unit/test_*.c))

# monitor/ is a quote-only include path: its elf.h must not hide the
# host's <elf.h>, which test_elf.c uses to build images.
UNIT_CFLAGS := -std=c11 -O1 -g -Wall -Wextra -Werror=implicit-function-declaration \
               -fno-omit-frame-pointer -fno-builtin -MMD -MP \
               -Ipv-abi -iquote monitor -iquote drivers -Ilibpvguest/include -Itests/unit
UNIT_CFLAGS_64 :=
UNIT_CFLAGS_32 := -m32

# $(1) = 64 or 32: objects under $(UNIT_DIR)/$(1)/, binary $(UNIT_DIR)/unit-$(1).
define UNIT_VARIANT
UNIT_OBJS_$(1) := $$(patsubst %.c,$(UNIT_DIR)/$(1)/%.o,$(UNIT_CUT) $(UNIT_TESTS))

$(UNIT_DIR)/$(1)/%.o: %.c
	@mkdir -p $$(@D)
	$$(HOSTCC) $$(UNIT_CFLAGS) $$(UNIT_CFLAGS_$(1)) $$(UNIT_SANITIZE) \
		$$(if $$(filter $$<,$(UNIT_CUT)),-include tests/unit/host_names.h) -c $$< -o $$@

$(UNIT_DIR)/unit-$(1): $$(UNIT_OBJS_$(1))
	$$(HOSTCC) $$(UNIT_CFLAGS_$(1)) $$(UNIT_SANITIZE) $$^ -o $$@ -pthread
endef
$(foreach a,$(UNIT_ARCHS),$(eval $(call UNIT_VARIANT,$(a))))

UNIT_BINS := $(foreach a,$(UNIT_ARCHS),$(UNIT_DIR)/unit-$(a))

.PHONY: unit unit-build
unit-build: $(UNIT_BINS)
all: unit-build

unit: $(UNIT_BINS)
	@sh tests/unit/run.sh $(UNIT_BINS)
