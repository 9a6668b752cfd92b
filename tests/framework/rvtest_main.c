/* SPDX-License-Identifier: MIT */
/*
 * tests/framework/rvtest_main.c: the guest_main of every conformance test.
 * Compiled once per test with -DRVT_NAME='"<name>"' (framework.mk).
 */
#include "rvtest.h"

const char rvt_name[] = RVT_NAME;

int guest_main(void)
{
    rv_printf("TEST %s\n", rvt_name);
    test_main();
    rvt_error("test_main returned without a verdict");
}
