# libpvguest/build.mk: the guest library, and the one-line way to build a guest.
#
# Products (all added to `all`):
#   $(BUILD)/libpvguest/libpvguest.a   the library
#   $(BUILD)/libpvguest/crt0.asm.o     ELF note, hypercall page, _start (linked first)
#   libpvguest/guest.ld                the linker script (image at 4 MiB)
#   $(BUILD)/guests/hello.elf, demo.elf, procs.elf,  the demo guests (tests/guests/)
#     blkdemo.elf, blkbench.elf, netdemo.elf
#
# A guest is one line:
#
#   $(eval $(call rv_guest,NAME,SOURCES[,EXTRA]))
#
# It compiles each of SOURCES (.c or .asm, paths from the top directory)
# into $(BUILD)/<source>.o (so x.c and x.asm may sit side by side), then links
#   $(BUILD)/guests/NAME.elf:
#   ld $(XLDFLAGS) -T libpvguest/guest.ld crt0.o OBJECTS EXTRA libpvguest.a $(LIBGCC)
# EXTRA: more objects or archives (linked before libpvguest.a).  The guest
# defines `int guest_main(void)` and includes <pvguest.h>.  A source may
# be shared by several guests; it is compiled once, with RV_GUEST_CFLAGS
# ($(XCFLAGS) -Ilibpvguest/include) or RV_GUEST_NASMFLAGS.  Each guest is
# added to `all` and to $(RV_GUESTS).  rv_link (ELF path, SOURCES, EXTRA)
# is the same without the naming; tests/framework/framework.mk builds
# rv_test on it.
#
# A ring-3 program a guest kernel loads into a process is one more line:
#
#   $(eval $(call rv_user_blob,NAME,SOURCES,ADDR))   ->  $(BUILD)/user/NAME.o
#
# SOURCES (compiled as above) are linked at ADDR with libpvguest/user.ld
# and libpvguest.a (only rvlib's string and format code is usable there:
# anything that makes a hypercall fails to link), turned into a flat
# binary, and wrapped in an object whose read-only bytes run from NAME_start
# to NAME_end.  The binary starts with struct rv_user_header (pvguest/user.h).
# NAME must be a C identifier.  Pass the object as EXTRA to rv_guest.

RVG_DIR := $(BUILD)/libpvguest
RVG_INC := $(RVG_DIR)/asm-offsets.inc
RVG_LIB := $(RVG_DIR)/libpvguest.a
RVG_CRT0 := $(RVG_DIR)/crt0.asm.o
RVG_LDS := libpvguest/guest.ld
RVG_USER_LDS := libpvguest/user.ld
OBJCOPY ?= objcopy

RV_GUEST_CFLAGS := $(XCFLAGS) -Ilibpvguest/include
RV_GUEST_NASMFLAGS := $(NASMFLAGS) -I$(RVG_DIR)/
RV_GUESTS :=

rv_obj = $(BUILD)/$(1).o
rv_objs = $(foreach s,$(1),$(call rv_obj,$(s)))

define rv_c_rule
$(call rv_obj,$(1)): $(1)
	@mkdir -p $$(@D)
	$$(CC) $$(RV_GUEST_CFLAGS) -c -o $$@ $$<
endef

define rv_asm_rule
$(call rv_obj,$(1)): $(1) $(RVG_INC)
	@mkdir -p $$(@D)
	$$(NASM) $$(RV_GUEST_NASMFLAGS) -MD $$@.d -MP -o $$@ $$<
endef

# Defines the compile rule for source $(1), once however many guests use it.
rv_compile = $(if $(rv_done_$(1)),,$(eval rv_done_$(1) := 1)$(eval $(call rv_$(if $(filter %.asm,$(1)),asm,c)_rule,$(1))))

define rv_link
$(foreach s,$(2),$(call rv_compile,$(s)))
$(1): $(RVG_CRT0) $(call rv_objs,$(2)) $(3) $(RVG_LIB) $(RVG_LDS)
	@mkdir -p $$(@D)
	$$(LD) $$(XLDFLAGS) -T $(RVG_LDS) -o $$@ $(RVG_CRT0) $(call rv_objs,$(2)) $(3) $(RVG_LIB) $$(LIBGCC)
all: $(1)
endef

define rv_guest
$(call rv_link,$(BUILD)/guests/$(1).elf,$(2),$(3))
RV_GUESTS += $(BUILD)/guests/$(1).elf
endef

# The binary object: objcopy names its symbols after the input file, so
# it runs in the file's directory (_binary_NAME_bin_start -> NAME_start).
define rv_user_blob
$(foreach s,$(2),$(call rv_compile,$(s)))
$(BUILD)/user/$(1).elf: $(call rv_objs,$(2)) $(RVG_LIB) $(RVG_USER_LDS)
	@mkdir -p $$(@D)
	$$(LD) $$(XLDFLAGS) -T $(RVG_USER_LDS) --defsym=RV_USER_BASE=$(3) -o $$@ $(call rv_objs,$(2)) $(RVG_LIB) $$(LIBGCC)
$(BUILD)/user/$(1).bin: $(BUILD)/user/$(1).elf
	$$(OBJCOPY) -O binary -j .text $$< $$@
$(BUILD)/user/$(1).o: $(BUILD)/user/$(1).bin
	cd $$(@D) && $$(OBJCOPY) -I binary -O elf32-i386 -B i386 \
	    --rename-section .data=.rodata,alloc,load,readonly,data,contents \
	    --add-section .note.GNU-stack=/dev/null \
	    --redefine-sym _binary_$(1)_bin_start=$(1)_start \
	    --redefine-sym _binary_$(1)_bin_end=$(1)_end \
	    --strip-symbol _binary_$(1)_bin_size $(1).bin $(1).o
endef

# The library: every libpvguest source but crt0 (linked on its own, as
# nothing refers to the note) and asm-offsets.c (never linked).
RVG_SRCS := $(filter-out libpvguest/asm-offsets.c libpvguest/crt0.asm, \
              $(wildcard libpvguest/*.c libpvguest/*.asm))
$(foreach s,$(RVG_SRCS) libpvguest/crt0.asm,$(call rv_compile,$(s)))

$(RVG_LIB): $(call rv_objs,$(RVG_SRCS))
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

# C constants for nasm: see libpvguest/asm-offsets.c.
$(RVG_DIR)/asm-offsets.s: libpvguest/asm-offsets.c
	@mkdir -p $(@D)
	$(CC) $(RV_GUEST_CFLAGS) -S -o $@ $<

$(RVG_INC): $(RVG_DIR)/asm-offsets.s
	sed -n 's/^[[:space:]]*\(%define .*\)$$/\1/p' $< > $@

all: $(RVG_LIB) $(RVG_CRT0)

# The demo guests.
$(eval $(call rv_guest,hello,tests/guests/hello.c))
$(eval $(call rv_guest,demo,tests/guests/demo.c))
$(eval $(call rv_user_blob,procs_user,tests/guests/procs_user.c,0x10000000))
$(eval $(call rv_guest,procs,tests/guests/procs.c,$(BUILD)/user/procs_user.o))
$(eval $(call rv_guest,blkdemo,tests/guests/blkdemo.c))
$(eval $(call rv_guest,blkbench,tests/guests/blkbench.c))
$(eval $(call rv_guest,termtest,tests/guests/termtest.c))
$(eval $(call rv_guest,netdemo,tests/guests/netdemo.c))
$(eval $(call rv_guest,memhog,tests/guests/memhog.c))
