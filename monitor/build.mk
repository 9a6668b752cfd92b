# monitor/build.mk: the ring-0 monitor, an ELF32 Multiboot image.
MON_C   := $(filter-out monitor/asm_offsets.c,$(wildcard monitor/*.c)) $(wildcard drivers/*.c)
MON_ASM := monitor/boot.asm monitor/entry.asm monitor/trampoline.asm
MON_LIB := libpvguest/string.c libpvguest/fmt.c
MON_OBJ := $(MON_ASM:%.asm=$(BUILD)/%.o) $(MON_C:%.c=$(BUILD)/%.o) \
           $(MON_LIB:libpvguest/%.c=$(BUILD)/monitor/lib/%.o)
MON_CFLAGS := $(XCFLAGS) -Imonitor -Idrivers -Ilibpvguest/include \
              -DRINGVISOR_BUILD_ID='"ringvisor $(shell git describe --always --dirty 2>/dev/null || echo dev)"'

all: $(BUILD)/monitor.elf

$(BUILD)/monitor/%.o: monitor/%.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(MON_CFLAGS) -c $< -o $@

$(BUILD)/drivers/%.o: drivers/%.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(MON_CFLAGS) -c $< -o $@

$(BUILD)/monitor/lib/%.o: libpvguest/%.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $< (monitor)")
	$(Q)$(CC) $(MON_CFLAGS) -c $< -o $@

$(BUILD)/monitor/%.o: monitor/%.asm
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  NASM    $<")
	$(Q)$(NASM) $(NASMFLAGS) -I$(BUILD)/monitor/ $< -o $@

# entry.asm's view of struct domain and the ABI constants it tests
# (monitor/asm_offsets.c): compiled to assembly, never linked.
$(BUILD)/monitor/asm_offsets.inc: monitor/asm_offsets.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  GEN     $@")
	$(Q)$(CC) $(MON_CFLAGS) -MT $@ -MF $@.d -S $< -o $@.s
	$(Q)sed -n 's/^#ASMOFF \([A-Za-z_0-9]*\) \(-\{0,1\}[0-9]*\)$$/\1 equ \2/p' $@.s > $@.tmp
	$(Q)mv $@.tmp $@

$(BUILD)/monitor/entry.o: $(BUILD)/monitor/asm_offsets.inc
-include $(BUILD)/monitor/asm_offsets.inc.d

$(BUILD)/monitor.elf: $(MON_OBJ) monitor/monitor.ld
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(LD) $(XLDFLAGS) -T monitor/monitor.ld -o $@ $(MON_OBJ) $(LIBGCC)
