# tests/conformance/teardown/build.mk: a domain's end (issue 20): its
# memory reaches the next domain scrubbed, and its scrub stalls nobody.
# Manifest: tests/conformance/teardown/tests.list.
$(eval $(call rv_test,td-hog,tests/conformance/teardown/td-hog.c))
$(eval $(call rv_test,td-witness,tests/conformance/teardown/td-witness.c))
