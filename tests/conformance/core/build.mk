# tests/conformance/core/build.mk: the core conformance tests: the calling
# convention, version, console_io, sched_op, multicall, vcpu_op and the
# sensitive instructions.  Manifest: tests/conformance/core/tests.list.
$(eval $(call rv_test,core-callconv,tests/conformance/core/core-callconv.c))
$(eval $(call rv_test,core-version,tests/conformance/core/core-version.c))
$(eval $(call rv_test,core-console,tests/conformance/core/core-console.c))
$(eval $(call rv_test,core-console-read,tests/conformance/core/core-console-read.c))
$(eval $(call rv_test,core-sched,tests/conformance/core/core-sched.c))
$(eval $(call rv_test,core-yield,tests/conformance/core/core-yield.c))
$(eval $(call rv_test,core-exit,tests/conformance/core/core-exit.c))
$(eval $(call rv_test,core-multicall,tests/conformance/core/core-multicall.c))
$(eval $(call rv_test,core-vcpu,tests/conformance/core/core-vcpu.c))
$(eval $(call rv_test,core-emulate,tests/conformance/core/core-emulate.c))
$(eval $(call rv_test,core-priv,tests/conformance/core/core-priv.c))
