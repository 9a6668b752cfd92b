/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/ctl/ctl-child.c: the small guest the control-plane
 * tests create (it is carried inside their images).  Its command line
 * says what to do: `lines=N` prints N more lines, `echo` prints back the
 * first line it reads from its console input, `spin` yields for ever
 * (until destroyed), `exit=N` ends with poweroff code N (default 0),
 * `initrd` prints "initrd <len> <sum>" of the initrd it was given.
 * Its first line is always "child d<ID> up".
 */
#include <pvguest.h>

static void echo(void)
{
    char line[128];
    uint32_t n = 0;
    for (;;) {
        char c;
        if (rv_console_read(&c, 1) != 1) {
            rv_yield();
            continue;
        }
        if (c == '\n' || n == sizeof(line) - 1)
            break;
        line[n++] = c;
    }
    line[n] = 0;
    rv_printf("echo: %s\n", line);
}

int guest_main(void)
{
    rv_printf("child d%u up\n", rv_start_info->domid);
    if (rv_cmdline_has("initrd")) {
        const uint8_t *p = (const uint8_t *)rv_start_info->mod_start;
        uint32_t sum = 0;
        for (uint32_t i = 0; i < rv_start_info->mod_len; i++)
            sum = sum * 31 + p[i];
        rv_printf("initrd %u %08x\n", rv_start_info->mod_len, sum);
    }
    long lines = rv_cmdline_int("lines", 0);
    for (long i = 1; i <= lines; i++)
        rv_printf("line %ld of %ld\n", i, lines);
    if (rv_cmdline_has("echo"))
        echo();
    while (rv_cmdline_has("spin"))
        rv_yield();
    return (int)rv_cmdline_int("exit", 0);
}
