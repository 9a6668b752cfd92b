/*
 * tests/fuzz/fuzz_modline.c: monitor/modline.c on any string, as a
 * module's or the monitor's own Multiboot command line (the boot loader's
 * bytes, NUL-terminated).  An accepted module line must give a name of
 * 1..23 characters of [A-Za-z0-9._-], a mem= inside 64 KiB .. 3 GiB in
 * 4 KiB steps, at most ML_MAX_DEVS devices of known kinds, and
 * NUL-terminated strings; a refused one must say why.
 */
#include <string.h>
#include "fuzz.h"
#include "modline.h"

static int name_ok(const char *n)
{
    size_t len = 0;
    while (len < DOM_NAME_MAX && n[len])
        len++;
    if (len == 0 || len >= DOM_NAME_MAX)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!((n[i] >= 'a' && n[i] <= 'z') || (n[i] >= 'A' && n[i] <= 'Z') ||
              (n[i] >= '0' && n[i] <= '9') || n[i] == '.' || n[i] == '_' || n[i] == '-'))
            return 0;
    return 1;
}

static void check_accepted(const struct modline *ml)
{
    FUZZ_ASSERT(name_ok(ml->name), "name %.24s", ml->name);
    FUZZ_ASSERT(ml->mem_kb >= 64 && ml->mem_kb <= 3u << 20 && ml->mem_kb % 4 == 0, "mem_kb %u", ml->mem_kb);
    FUZZ_ASSERT(ml->nr_devs <= ML_MAX_DEVS, "%u devices", ml->nr_devs);
    for (uint32_t i = 0; i < ml->nr_devs; i++)
        FUZZ_ASSERT(ml->devs[i].kind >= MLDEV_CONSOLE && ml->devs[i].kind <= MLDEV_NET, "device kind %u",
                    ml->devs[i].kind);
    FUZZ_ASSERT(ml->weight >= 1 && ml->weight <= 65535 && ml->cap <= 100, "weight %u cap %u", ml->weight, ml->cap);
    FUZZ_ASSERT(ml->restart <= RESTART_ALWAYS, "restart %u", ml->restart);
    FUZZ_ASSERT(memchr(ml->cmdline, 0, sizeof ml->cmdline), "command line not terminated");
    FUZZ_ASSERT(memchr(ml->path, 0, sizeof ml->path), "path not terminated");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    struct modline *ml = malloc(sizeof *ml);
    struct monline mon;
    const char *why = NULL;
    memcpy(s, data, size);
    s[size] = 0;
    memset(ml, 0xa5, sizeof *ml); /* a parser that leaves a field unset shows it */
    if (modline_parse(s, ml, &why) == 0)
        check_accepted(ml);
    else
        FUZZ_ASSERT(why != NULL, "refused without a reason");
    FUZZ_ASSERT(memchr(ml->path, 0, sizeof ml->path), "path not terminated after a refusal");
    FUZZ_ASSERT(monline_parse(s, &mon) == 0, "monline_parse failed");
    FUZZ_ASSERT(mon.quantum_ms >= 1 && mon.quantum_ms <= 1000 && mon.ratelimit_us <= 100000,
                "quantum %u ratelimit %u", mon.quantum_ms, mon.ratelimit_us);
    free(ml);
    free(s);
    return 0;
}
