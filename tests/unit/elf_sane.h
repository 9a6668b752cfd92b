/*
 * tests/unit/elf_sane.h: what a successful elf_parse() promises the
 * domain builder, checked on its result (test_elf.c's fuzz case and
 * tests/fuzz/fuzz_elf.c).
 */
#ifndef UNIT_ELF_SANE_H
#define UNIT_ELF_SANE_H
#include <stdint.h>
#include "elf.h"

/* NULL if out, parsed from len bytes, keeps every promise; else which one it breaks. */
const char *elf_image_sane(const struct elf_image *out, uint32_t len);
#endif
