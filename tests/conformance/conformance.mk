# tests/conformance/conformance.mk: the conformance tests, one folder per ABI
# area (tests/conformance/<area>/), each with a build.mk of rv_test lines
# and a tests.list manifest that tests/run.py reads.
include $(wildcard tests/conformance/*/build.mk)
