/* SPDX-License-Identifier: MIT */
/*
 * ctl-witness: the bystander of the control-plane tests.  It fills 1 MiB
 * of its free memory with a pattern and checks it while it lives; it
 * ends when a control domain writes "stop" to its console input (a
 * CONSOLE_WRITE that works), or after ms= milliseconds (default 3000).
 * It fails if its memory changed or it was paused meanwhile for longer
 * than the whole run; being destroyed or killed shows as a crash.
 */
#include <rvtest.h>

#define WORDS (256 * 1024)

void test_main(void)
{
    uint32_t *mem = (uint32_t *)rv_start_info->free_start;
    uint64_t end = rv_time_ns() + (uint64_t)rv_cmdline_int("ms", 3000) * 1000000ull;
    uint32_t rounds = 0;
    char got[8];
    uint32_t n = 0;
    if (rv_start_info->free_start + WORDS * 4 > rv_start_info->virt_base + rv_start_info->nr_mapped * 4096u)
        rvt_error("mem= too small for the pattern");
    for (uint32_t i = 0; i < WORDS; i++)
        mem[i] = i * 2654435761u;
    while (rv_time_ns() < end) {
        for (uint32_t i = 0; i < WORDS; i += 1024)
            if (mem[i] != i * 2654435761u)
                rvt_failure("its memory changed at word %u", i);
        long r = rv_console_read(got + n, sizeof(got) - 1 - n);
        if (r > 0) {
            n += (uint32_t)r;
            got[n] = 0;
            if (memcmp(got, "stop\n", n < 5 ? n : 5))
                rvt_failure("unexpected console input \"%s\"", got);
            if (n >= 5)
                break;
        }
        rounds++;
        rv_yield();
    }
    for (uint32_t i = 0; i < WORDS; i++)
        if (mem[i] != i * 2654435761u)
            rvt_failure("its memory changed at word %u", i);
    rvt_log("witness: %u rounds, memory intact, %s", rounds, n >= 5 ? "told to stop" : "time up");
    rvt_success();
}
