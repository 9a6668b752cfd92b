/* SPDX-License-Identifier: MIT */
/*
 * seg-desc-ring3: a DPL-3 code/data pair installed with update_descriptor
 * runs ring-3 code: we IRET to ring 3 with our own CS, SS, DS and an ES
 * whose base is not 0, the ring-3 code reads through ES and comes back
 * with int $0x80, and the frame shows our selectors.  A DPL-1 code
 * selector is refused as a ring-3 CS by the CPU (#GP on the IRET).
 */
#include "segutil.h"

#define CODE3 100
#define DATA3 101
#define EXTRA3 102
#define CODE1 103

static uint32_t marker[1024] __attribute__((aligned(4096)));

/* Ring 3: EAX = es:4, EBX = CS, ECX = SS, EDX = DS, then the system call. */
void r3_report(void);
__asm__(".text\n"
        ".globl r3_report\n"
        "r3_report:\n\t"
        "movl %es:4, %eax\n\t"
        "movl %cs, %ebx\n\t"
        "movl %ss, %ecx\n\t"
        "movl %ds, %edx\n\t"
        "int $0x80\n"
        "1:\tjmp 1b\n");

extern char _end[];

void test_main(void)
{
    struct rv_trap_frame f;
    uint32_t image_last = (((uint32_t)(uintptr_t)_end + 4095) & ~4095u) - 1;
    unsigned cs3 = rv_selector(CODE3, 3), ds3 = rv_selector(DATA3, 3), es3 = rv_selector(EXTRA3, 3);
    int v;

    marker[1] = 0xc0de3333;
    /* Code covering just the image (4K granular), flat data, data over marker. */
    SEG_RC(seg_update(CODE3, seg_desc(0, image_last, T_CODE_RX, 3)), 0, "DPL-3 code");
    SEG_RC(seg_update(DATA3, seg_desc(0, RV_GUEST_VA_LIMIT, T_DATA_RW, 3)), 0, "DPL-3 data");
    SEG_RC(seg_update(EXTRA3, seg_desc((uint32_t)(uintptr_t)marker, 0xfff, T_DATA_RO, 3)), 0,
           "DPL-3 read-only data over marker");

    struct seg_ring3 r = {
        .eip = (uint32_t)(uintptr_t)r3_report, .cs = cs3,
        .esp = SEG_USER_STACK_TOP, .ss = ds3, .ds = ds3, .es = es3,
    };
    v = seg_run_ring3(&r, &f);
    if (v != SEG_SYSCALL)
        rvt_failure("ring 3 with our DPL-3 segments ended with vector %d (eip 0x%x err 0x%x), "
                    "expected the int $0x80", v, f.eip, f.error_code);
    RVT_EXPECT_EQ(f.cs, cs3, "CS in the system-call frame");
    RVT_EXPECT_EQ(f.ss, ds3, "SS in the system-call frame");
    RVT_EXPECT_EQ(f.es, es3, "ES in the system-call frame");
    RVT_EXPECT_EQ(f.eax, 0xc0de3333, "es:4 read in ring 3 through our segment");
    RVT_EXPECT_EQ(f.ebx & 0xffff, cs3, "CS seen by ring 3");
    RVT_EXPECT_EQ(f.ecx & 0xffff, ds3, "SS seen by ring 3");
    RVT_EXPECT_EQ(f.edx & 0xffff, ds3, "DS seen by ring 3");

    /* A DPL-1 code segment is no ring-3 CS: the IRET itself faults (#GP(selector)) in ring 1. */
    SEG_RC(seg_update(CODE1, seg_desc(0, image_last, T_CODE_RX, 1)), 0, "DPL-1 code");
    r.cs = rv_selector(CODE1, 3);
    v = seg_run_ring3(&r, &f);
    if (v != 13)
        rvt_failure("IRET to ring 3 with a DPL-1 CS: vector %d, expected 13 (#GP)", v);
    RVT_EXPECT_EQ(f.error_code, CODE1 << 3, "#GP error code of the refused IRET");
    RVT_EXPECT_EQ(f.cs & 3, 1, "the IRET faulted in ring 1");
    rvt_success();
}
