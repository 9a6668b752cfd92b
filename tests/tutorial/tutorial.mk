# tests/tutorial/tutorial.mk: the porting tutorial's standalone guest
# (docs/porting-tutorial.md), built from pv-abi/ alone: no libpvguest, no
# framework.  tests/tutorial_test.py boots it and compares its console
# with the output the tutorial quotes.
TUT_DIR := tests/tutorial
TUT_OUT := $(BUILD)/tests/tutorial

all: $(TUT_OUT)/tutorial.elf

$(TUT_OUT)/%.c.o: $(TUT_DIR)/%.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(XCFLAGS) -c $< -o $@

$(TUT_OUT)/%.S.o: $(TUT_DIR)/%.S
	@mkdir -p $(@D)
	$(Q)$(CC) -m32 -Ipv-abi -c $< -o $@

$(TUT_OUT)/tutorial.elf: $(TUT_OUT)/entry.S.o $(TUT_OUT)/tutorial.c.o $(TUT_DIR)/tutorial.ld
	$(Q)$(LD) $(XLDFLAGS) --no-warn-rwx-segments -T $(TUT_DIR)/tutorial.ld -o $@ $(TUT_OUT)/entry.S.o $(TUT_OUT)/tutorial.c.o
