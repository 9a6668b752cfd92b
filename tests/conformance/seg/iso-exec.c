/* SPDX-License-Identifier: MIT */
/*
 * seg-iso-exec (strict): ring 1 cannot run code in the monitor hole.  A
 * near JMP, CALL or RET, a far JMP, CALL or RET and a native IRET to an
 * address at or past RV_HOLE_START under the flat ring-1 CS all raise
 * #GP(0) at the transfer itself (the target EIP is beyond the CS limit,
 * SDM Vol. 3A 5.3), with the faulting EIP below the hole.  A jump to the
 * last guest byte (in the limit, not mapped) is a #PF instead: the limit
 * is exactly RV_GUEST_VA_LIMIT.
 */
#include "segutil.h"

static void near_jmp(void *p)
{
    __asm__ volatile("jmp *%0" : : "r"(p) : "memory");
}

static void near_call(void *p)
{
    __asm__ volatile("call *%0" : : "r"(p) : "memory");
}

static void near_ret(void *p)
{
    __asm__ volatile("pushl %0\n\tret" : : "r"(p) : "memory");
}

static void far_ret(void *p)
{
    __asm__ volatile("pushl %1\n\tpushl %0\n\tlret" : : "r"(p), "i"(RV_FLAT_RING1_CS) : "memory");
}

static struct { uint32_t off; uint16_t sel; } __attribute__((packed)) far_ptr;

static void far_jmp(void *p)
{
    far_ptr.off = (uint32_t)(uintptr_t)p;
    far_ptr.sel = RV_FLAT_RING1_CS;
    __asm__ volatile("ljmp *%0" : : "m"(far_ptr) : "memory");
}

static void far_call(void *p)
{
    far_ptr.off = (uint32_t)(uintptr_t)p;
    far_ptr.sel = RV_FLAT_RING1_CS;
    __asm__ volatile("lcall *%0" : : "m"(far_ptr) : "memory");
}

/* IRET to the same ring: pops EIP, CS, EFLAGS only. */
static void native_iret(void *p)
{
    __asm__ volatile("pushfl\n\tpushl %1\n\tpushl %0\n\tiret" : : "r"(p), "i"(RV_FLAT_RING1_CS) : "memory");
}

static const struct {
    void (*fn)(void *);
    const char *name;
} transfers[] = {
    { near_jmp, "near JMP" }, { near_call, "near CALL" }, { near_ret, "near RET" },
    { far_jmp, "far JMP" }, { far_call, "far CALL" }, { far_ret, "far RET" },
    { native_iret, "IRET" },
};

void test_main(void)
{
    static const uint32_t targets[] = { RV_HOLE_START, 0xfc100000u, 0xfc101000u, 0xfffffff0u };
    struct rv_trap_frame f;

    seg_require_limits();
    for (unsigned t = 0; t < sizeof transfers / sizeof transfers[0]; t++) {
        for (unsigned i = 0; i < sizeof targets / sizeof targets[0]; i++) {
            int v = seg_catch(transfers[t].fn, (void *)(uintptr_t)targets[i], &f);
            if (v != 13)
                rvt_failure("%s to 0x%x: vector %d, expected 13 (#GP)", transfers[t].name, targets[i], v);
            if (f.error_code != 0 || f.eip >= RV_HOLE_START || f.cs != RV_FLAT_RING1_CS)
                rvt_failure("%s to 0x%x: #GP error 0x%x at %x:%x, expected error 0 below the hole",
                            transfers[t].name, targets[i], f.error_code, f.cs, f.eip);
        }
        /* The last guest byte is inside the limit: the fetch reaches paging. */
        int v = seg_catch(transfers[t].fn, (void *)(uintptr_t)RV_GUEST_VA_LIMIT, &f);
        if (v != 14)
            rvt_failure("%s to 0x%x (in the limit, not mapped): vector %d, expected 14 (#PF)",
                        transfers[t].name, RV_GUEST_VA_LIMIT, v);
        RVT_EXPECT_EQ(f.cr2, RV_GUEST_VA_LIMIT, "#PF address of the fetch");
    }
    RVT_EXPECT_EQ(rv_hc_version(RV_VERSION_ABI, 0), RV_ABI_VERSION, "the monitor still answers");
    rvt_success();
}
