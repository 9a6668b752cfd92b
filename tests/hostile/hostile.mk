# tests/hostile/hostile.mk: the hostile-guest suite (issue 14): one small
# guest per attack, each booted beside a witness (mm-witness) that
# checksums its own memory, and the in-guest hypercall fuzzer.  The
# manifest is tests/hostile/tests.list (tests/run.py reads it after the
# conformance areas); images land where the runner looks,
# build/tests/conformance/NAME.elf.
#
#   make fuzz [SEED=N] [CALLS=N] [TRACE=N] [EVERY=N] [CHECK=N]  the fuzzer alone on QEMU TCG (default
#                                  10^6 calls), with its witness; prints the
#                                  calls made, errors by code and calls/s,
#                                  or the seed and call that broke
HOSTILE_SRC := tests/hostile
MMTEST := tests/conformance/mm/mmtest.c
$(eval $(call rv_test,hcfuzz,$(HOSTILE_SRC)/hcfuzz.c $(HOSTILE_SRC)/hcfuzz_gen.c $(HOSTILE_SRC)/fzcall.asm $(MMTEST)))

SEED  ?= 1
CALLS ?= 1000000
FUZZ_TIMEOUT ?= 1200

.PHONY: fuzz
fuzz: all
	@mkdir -p $(BUILD)/test-results
	@printf '%s\n' \
	  'fuzz-witness elf=tests/conformance/mm-witness.elf mem=2M boot=fuzz' \
	  'hcfuzz args="seed=$(SEED) calls=$(CALLS) every=$(or $(EVERY),100000) $(if $(TRACE),trace=$(TRACE)) $(if $(CHECK),check=$(CHECK))" boot=fuzz timeout=$(FUZZ_TIMEOUT)' \
	  > $(BUILD)/test-results/fuzz.list
	@$(PYTHON) tests/run.py --build $(BUILD) --tcg-only --keep-logs --timeout $(FUZZ_TIMEOUT) \
	  --manifest $(BUILD)/test-results/fuzz.list; st=$$?; \
	  grep -h '^\[d[0-9]* hcfuzz\]' $(BUILD)/test-logs/*.serial 2>/dev/null | sed -n '/ calls in /,$$p'; \
	  grep -h '^(rv) PANIC' $(BUILD)/test-logs/*.serial 2>/dev/null; exit $$st

# One guest per attack class; the cases come from the command line (tests.list args=case=...).
TRAPKIT := tests/conformance/traps/trapkit.c
$(eval $(call rv_test,hostile-ring3,$(HOSTILE_SRC)/ring3.c $(TRAPKIT)))
$(eval $(call rv_test,hostile-stack,$(HOSTILE_SRC)/stack.c $(TRAPKIT)))
$(eval $(call rv_test,hostile-eflags,$(HOSTILE_SRC)/eflags.c $(TRAPKIT)))
$(eval $(call rv_test,hostile-tables,$(HOSTILE_SRC)/tables.c))
$(eval $(call rv_test,hostile-ptr,$(HOSTILE_SRC)/ptr.c $(MMTEST)))
$(eval $(call rv_test,hostile-exhaust,$(HOSTILE_SRC)/exhaust.c $(MMTEST)))
$(eval $(call rv_test,hostile-leak,$(HOSTILE_SRC)/leak.c))
$(eval $(call rv_test,hostile-pt,$(HOSTILE_SRC)/pt.c $(MMTEST)))

# Malformed images (mkhostile.py): build/tests/conformance/hostile/img-VARIANT.elf
HOSTILE_IMGS := phnum-max phoff-wrap memsz-wrap memsz-max offset-wrap filesz-max vaddr-top \
                note-namesz note-descsz ptnote-wrap ptnote-huge
$(BUILD)/tests/conformance/hostile/img-%.elf: $(BUILD)/tests/conformance/seg-img-ok.elf $(HOSTILE_SRC)/mkhostile.py tests/conformance/seg/mkbad.py
	@mkdir -p $(@D)
	$(PYTHON) $(HOSTILE_SRC)/mkhostile.py $* $< $@
all: $(foreach v,$(HOSTILE_IMGS),$(BUILD)/tests/conformance/hostile/img-$(v).elf)
