# tests/conformance/cpu/build.mk: the CPU state a guest runs with (ABI.md
# "CPU state at guest entry"): no LDT, no fast system calls into ring 0,
# no descriptor-table or machine-state reads where the CPU can stop them.
# The tests use the segment and direct-paging helpers of those areas.
# Manifest: tests/conformance/cpu/tests.list.
CPU_SRC := tests/conformance/cpu
$(eval $(call rv_test,cpu-ldt,$(CPU_SRC)/cpu-ldt.c tests/conformance/seg/segutil.c tests/conformance/mm/mmtest.c))
$(eval $(call rv_test,cpu-fastcall,$(CPU_SRC)/cpu-fastcall.c tests/conformance/seg/segutil.c))
$(eval $(call rv_test,cpu-umip,$(CPU_SRC)/cpu-umip.c tests/conformance/seg/segutil.c))
$(eval $(call rv_test,cpu-ring2,$(CPU_SRC)/cpu-ring2.c tests/conformance/seg/segutil.c))
