# tests/bench/bench.mk: `make bench` (issue 6), included from tests/build.mk.
#
#   make bench                 build what the suites boot, then run
#                              tests/bench/bench.py: every suite under QEMU
#                              TCG with -icount shift=0,sleep=off and without
#                              (and on KVM where the CPU has vmx/svm); tables
#                              on the terminal, results.md and results.json in
#                              build/bench-results/<timestamp>/ (and latest/)
#   make bench BENCHFLAGS=...  e.g. --suite hv, --mode icount, --keep-logs
#
# A suite adds the images it boots to BENCH_DEPS (make builds them first)
# and its code to tests/bench/bench.py (SUITES); see tests/bench/README.md.

BENCH_DIR   := $(BUILD)/bench
BENCHFLAGS  ?=
BENCH_DEPS  := $(BUILD)/monitor.elf $(BENCH_DIR)/hvbench.elf
# The control-plane suite boots the conformance test ctl-cycles (tests/conformance/ctl/).
BENCH_DEPS  += $(BUILD)/tests/conformance/ctl-cycles.elf
# The Linux suite: the ringvisor guest (make linux), the same source built
# for bare i386 (make linux-native: build/linux/native/bzImage) and their
# one initramfs, which holds the benchmark (linux/rvbench.c).
BENCH_DEPS  += linux linux-native

# The hypervisor microbenchmarks: one image, two domains (role=main, role=peer).
$(eval $(call rv_link,$(BENCH_DIR)/hvbench.elf,tests/bench/hvbench.c tests/bench/hvloops.asm))

.PHONY: bench
bench:
	@bash tools/setup.sh base
	@$(SUBMAKE) $(BENCH_DEPS)
	@$(PYTHON) tests/bench/bench.py --build $(BUILD) $(BENCHFLAGS)
