# tests/build.mk: running the tests.
#
#   make check       set up (with Bochs), build everything, then host unit
#                    tests, the runner's own tests, conformance on QEMU TCG
#                    and the strict tests on Bochs; the last line counts all
#                    (and the Linux guest: make linux, one and two guests booted;
#                    a short Debian boot, tests/debian_test.py --short, on the
#                    image make debian-image builds first, ~3 min once; skipped
#                    with the reason when debootstrap cannot reach the registry)
#   make check-tcg   the same without Bochs and Linux (quick iteration)
#   make fuzz-host   libFuzzer on the monitor's parsers, FUZZ_SECONDS each (tests/fuzz/)
#   make fuzz        the in-guest hypercall fuzzer, SEED= CALLS= (10^6) on QEMU TCG
#                    (tests/hostile/hostile.mk; the hostile-guest suite runs in check)
#   make pvlint      tools/pvlint.py on every guest image (and vmlinux if built), with
#                    the trap check (tests/pvlint-suite.sh)
#   make conformance every conformance test on QEMU TCG only
#   make strict      the strict tests on Bochs only
#
# RUNFLAGS go to tests/run.py, e.g. RUNFLAGS="--filter paging --keep-logs".
# Results: build/test-results/{results.tap,junit.xml}; logs of failed
# boots: build/test-logs/.

-include tests/unit/unit.mk
-include tests/framework/framework.mk
-include tests/conformance/conformance.mk
-include tests/hostile/hostile.mk
-include tests/bench/bench.mk
-include tests/fuzz/fuzz.mk
-include tests/tutorial/tutorial.mk

# Steps that must follow one another (set-up before any build) run as
# sub-makes of the same top Makefile.
SUBMAKE      := $(MAKE) -f $(firstword $(MAKEFILE_LIST)) --no-print-directory
TEST_RESULTS := $(BUILD)/test-results
RUNFLAGS     ?=
RUN_TESTS    := $(PYTHON) tests/run.py --build $(BUILD) $(RUNFLAGS)

.PHONY: check-tcg pvlint

pvlint: all
	@bash tools/setup.sh check
	@bash tests/pvlint-suite.sh $(BUILD) $(if $(wildcard $(BUILD)/linux/vmlinux),linux)

# Host suites write their output to a file as well as the terminal; the
# runner reads each one's closing "N passed, N failed" line and adds it in.
# A suite that fails is not fatal here: its failures are counted, and the
# runner's exit status says so.  Without tests/unit/unit.mk there is no
# unit suite yet.
UNIT_SUITES := $(if $(wildcard tests/unit/unit.mk),$(TEST_RESULTS)/unit.log) \
               $(TEST_RESULTS)/runner.log $(TEST_RESULTS)/abi-doc.log $(TEST_RESULTS)/console.log \
               $(TEST_RESULTS)/pvlint.log $(TEST_RESULTS)/fuzz.log $(TEST_RESULTS)/outcome.log \
               $(TEST_RESULTS)/tutorial.log $(TEST_RESULTS)/smp.log

# The test steps of check and check-tcg ($1: runner flags).  They run in the
# target's own recipe, not a sub-make, so that when tests fail make adds a
# single "Error 1" line on stderr after the runner's summary.
# $2 = "linux": also build and boot the Linux guest (tests/linux-suite.sh).
define run-checks
	@mkdir -p $(TEST_RESULTS)
	$(if $(wildcard tests/unit/unit.mk),@$(SUBMAKE) unit 2>&1 | tee $(TEST_RESULTS)/unit.log)
	@$(PYTHON) tests/runner_test.py >$(TEST_RESULTS)/runner.log 2>&1; true
	@$(PYTHON) tools/check-abi-doc.py >$(TEST_RESULTS)/abi-doc.log 2>&1; true
	@$(PYTHON) tests/console_test.py $(BUILD) >$(TEST_RESULTS)/console.log 2>&1; true
	@$(PYTHON) tests/outcome_test.py $(BUILD) >$(TEST_RESULTS)/outcome.log 2>&1; true
	@$(PYTHON) tests/tutorial_test.py $(BUILD) >$(TEST_RESULTS)/tutorial.log 2>&1; true
	@$(PYTHON) tests/smp_test.py $(if $(findstring --tcg-only,$1),--no-bochs) $(BUILD) >$(TEST_RESULTS)/smp.log 2>&1; true
	@$(SUBMAKE) fuzz-host 2>&1 | tee $(TEST_RESULTS)/fuzz.log; true
	$(if $2,@RV_MAKE="$(SUBMAKE)" bash tests/linux-suite.sh $(BUILD) 2>&1 | tee $(TEST_RESULTS)/linux.log; true)
	$(if $2,@$(PYTHON) tests/debian_test.py --short $(BUILD) 2>&1 | tee $(TEST_RESULTS)/debian.log; true)
	@bash tests/pvlint-suite.sh $(BUILD) $2 >$(TEST_RESULTS)/pvlint.log 2>&1; true
	@$(RUN_TESTS) $1 $(addprefix --unit-result ,$(UNIT_SUITES) $(if $2,$(TEST_RESULTS)/linux.log $(TEST_RESULTS)/debian.log))
endef

check:
	@bash tools/setup.sh base bochs linux check debian
	@$(SUBMAKE) all
	@$(SUBMAKE) debian-image || echo "make check: no Debian image (the reason is above); the Debian test reports skipped"
	$(call run-checks,,linux)

check-tcg:
	@bash tools/setup.sh base check
	@$(SUBMAKE) all
	$(call run-checks,--tcg-only)

conformance: all
	@$(RUN_TESTS) --tcg-only

strict: all
	@bash tools/setup.sh bochs
	@$(RUN_TESTS) --bochs-only
