/* SPDX-License-Identifier: MIT */
/*
 * seg-img-ok: the image mkbad.py derives every refused variant from.  It
 * boots and passes, so each variant is refused for its one change alone.
 * It also runs as the accepted variants (note only in a section, no
 * section headers, min_mem_kb exactly mem=): it finds its own note in the
 * loaded image and checks the memory it got covers min_mem_kb.
 */
#include "segutil.h"

struct note {
    uint32_t namesz, descsz, type;
    char name[12];
    struct rv_elfnote_guest_info info;
};

void test_main(void)
{
    const struct rv_start_info *si = rv_start_info;
    const struct note *n = (const struct note *)(uintptr_t)si->virt_base; /* guest.ld puts it first */

    if (n->namesz != 10 || memcmp(n->name, RV_ELFNOTE_NAME, 10) != 0 || n->type != RV_ELFNOTE_GUEST_INFO)
        rvt_error("no ringvisor note at virt_base 0x%x", si->virt_base);
    rvt_log("note: abi 0x%x entry 0x%x hypercall_page 0x%x features 0x%x min_mem_kb %u; got %u KiB",
            n->info.abi_version, n->info.entry, n->info.hypercall_page, n->info.features,
            n->info.min_mem_kb, si->nr_pages * 4);
    RVT_EXPECT_TRUE(si->nr_pages * 4 >= n->info.min_mem_kb, "memory covers min_mem_kb");
    RVT_EXPECT_EQ(rv_hc_version(RV_VERSION_ABI, 0), RV_ABI_VERSION, "version");
    rvt_success();
}
