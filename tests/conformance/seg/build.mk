# tests/conformance/seg/build.mk: the segment, start-of-day and image tests
# (ABI.md "Segments", update_descriptor, set_gdt, "The ELF note", "The
# module command line", "Start of day", isolation).  Manifest: tests.list.
#
# Besides the tests, mkbad.py derives images from seg-img-ok.elf with one
# thing changed (the module refusal tests) into
# $(BUILD)/tests/conformance/seg/img-VARIANT.elf, and seg-sod's image with
# its note's entry moved to sod_entry into .../seg/sod.elf.

SEG_SRC := tests/conformance/seg
SEG_OUT := $(BUILD)/tests/conformance/seg
SEG_UTIL := $(SEG_SRC)/segutil.c

$(eval $(call rv_test,seg-desc-good,$(SEG_SRC)/desc-good.c $(SEG_UTIL)))
$(eval $(call rv_test,seg-desc-refuse,$(SEG_SRC)/desc-refuse.c $(SEG_UTIL)))
$(eval $(call rv_test,seg-desc-ring3,$(SEG_SRC)/desc-ring3.c $(SEG_UTIL)))
$(eval $(call rv_test,seg-desc-busy,$(SEG_SRC)/desc-busy.c $(SEG_UTIL)))
$(eval $(call rv_test,seg-desc-nullify,$(SEG_SRC)/desc-nullify.c $(SEG_UTIL)))
$(eval $(call rv_test,seg-fsgs-switch,$(SEG_SRC)/fsgs-switch.c $(SEG_UTIL)))
$(eval $(call rv_test,seg-desc-kstack,$(SEG_SRC)/desc-kstack.c $(SEG_UTIL)))
$(eval $(call rv_test,seg-gdt-errors,$(SEG_SRC)/gdt-errors.c $(SEG_UTIL)))
$(eval $(call rv_test,seg-gdt-replace,$(SEG_SRC)/gdt-replace.c $(SEG_UTIL)))
$(eval $(call rv_test,seg-sod,$(SEG_SRC)/sod.c $(SEG_UTIL)))
$(eval $(call rv_test,seg-img-ok,$(SEG_SRC)/img-ok.c $(SEG_UTIL)))
$(eval $(call rv_test,seg-iso-read,$(SEG_SRC)/iso-read.c $(SEG_UTIL)))
$(eval $(call rv_test,seg-iso-write,$(SEG_SRC)/iso-write.c $(SEG_UTIL)))
$(eval $(call rv_test,seg-iso-exec,$(SEG_SRC)/iso-exec.c $(SEG_UTIL)))
$(eval $(call rv_test,seg-iso-ring3,$(SEG_SRC)/iso-ring3.c $(SEG_UTIL)))
$(eval $(call rv_test,seg-iso-stack,$(SEG_SRC)/iso-stack.c $(SEG_UTIL)))
$(eval $(call rv_test,seg-iso-edge,$(SEG_SRC)/iso-edge.c $(SEG_UTIL)))
$(eval $(call rv_test,seg-iso-bystander,$(SEG_SRC)/iso-bystander.c $(SEG_UTIL)))
$(eval $(call rv_test,seg-desc-down,$(SEG_SRC)/desc-down.c $(SEG_UTIL)))
$(eval $(call rv_test,seg-iso-down,$(SEG_SRC)/iso-down.c $(SEG_UTIL)))
$(eval $(call rv_test,seg-iso-segfix,$(SEG_SRC)/iso-segfix.c $(SEG_UTIL)))

SEG_VARIANTS := trunc-hdr trunc-body not-elf class64 bigendian machine type-dyn \
    phentsize phoff filesz no-load many-segs seg-file seg-low seg-hole seg-inhole \
    seg-wrap overlap no-note note-short abi-major2 abi-major0 abi-minor entry-low \
    entry-past entry-hole hcpage-odd hcpage-out feature minmem minmem-eq shnote no-shdrs
SEG_IMAGES := $(patsubst %,$(SEG_OUT)/img-%.elf,$(SEG_VARIANTS)) $(SEG_OUT)/sod.elf

$(SEG_OUT)/img-%.elf: $(BUILD)/tests/conformance/seg-img-ok.elf $(SEG_SRC)/mkbad.py
	@mkdir -p $(@D)
	$(PYTHON) $(SEG_SRC)/mkbad.py $* $< $@

$(SEG_OUT)/sod.elf: $(BUILD)/tests/conformance/seg-sod.elf $(SEG_SRC)/mkbad.py
	@mkdir -p $(@D)
	$(PYTHON) $(SEG_SRC)/mkbad.py entry=sod_entry $< $@

.PHONY: seg-tests
seg-tests: $(filter $(BUILD)/tests/conformance/seg-%,$(RV_TESTS)) $(SEG_IMAGES)
all: $(SEG_IMAGES)
