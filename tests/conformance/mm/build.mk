# tests/conformance/mm/build.mk: the direct-paging tests (ABI.md hypercalls
# 11-14 and "Direct paging").  Every test links mmtest.c, the helpers the
# area shares (mmtest.h); tests.list says which share a boot with whom.
$(eval $(call rv_test,mm-update,tests/conformance/mm/mm-update.c tests/conformance/mm/mmtest.c))
$(eval $(call rv_test,mm-ext,tests/conformance/mm/mm-ext.c tests/conformance/mm/mmtest.c))
$(eval $(call rv_test,mm-uvm,tests/conformance/mm/mm-uvm.c tests/conformance/mm/mmtest.c))
$(eval $(call rv_test,mm-memop,tests/conformance/mm/mm-memop.c tests/conformance/mm/mmtest.c))
$(eval $(call rv_test,mm-exhaust,tests/conformance/mm/mm-exhaust.c tests/conformance/mm/mmtest.c))
$(eval $(call rv_test,mm-bench,tests/conformance/mm/mm-bench.c tests/conformance/mm/mmtest.c))
$(eval $(call rv_test,mm-witness,tests/conformance/mm/mm-witness.c tests/conformance/mm/mmtest.c))
$(eval $(call rv_test,mm-hostile-monitor,tests/conformance/mm/mm-hostile-monitor.c tests/conformance/mm/mmtest.c))
$(eval $(call rv_test,mm-hostile-neighbor,tests/conformance/mm/mm-hostile-neighbor.c tests/conformance/mm/mmtest.c))
$(eval $(call rv_test,mm-hostile-stale,tests/conformance/mm/mm-hostile-stale.c tests/conformance/mm/mmtest.c))
$(eval $(call rv_test,mm-hostile-pinwrite,tests/conformance/mm/mm-hostile-pinwrite.c tests/conformance/mm/mmtest.c))
$(eval $(call rv_test,mm-hostile-batch,tests/conformance/mm/mm-hostile-batch.c tests/conformance/mm/mmtest.c))
$(eval $(call rv_test,mm-hostile-shared,tests/conformance/mm/mm-hostile-shared.c tests/conformance/mm/mmtest.c))
$(eval $(call rv_test,mm-hostile-topl2,tests/conformance/mm/mm-hostile-topl2.c tests/conformance/mm/mmtest.c))
$(eval $(call rv_test,mm-hostile-ptwrite,tests/conformance/mm/mm-hostile-ptwrite.c tests/conformance/mm/mmtest.c))
