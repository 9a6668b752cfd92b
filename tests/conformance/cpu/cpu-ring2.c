/* SPDX-License-Identifier: MIT */
/*
 * cpu-ring2: ring 2 is a ring like ring 3 for everything the monitor
 * delivers.  A guest may make DPL-2 segments (update_descriptor allows
 * DPL 1-3) and enter ring 2 with a native IRET (a return to an outer
 * privilege level, SDM Vol. 2A IRET); an exception there, like one from
 * ring 3, reaches the ring-1 handler on the stack_switch stack with the
 * interrupted SS:ESP in the frame (SDM Vol. 3A 6.12.1), and a system call
 * through a direct gate (DPL 3 admits ring 2) too.  A monitor that treated
 * ring 2 as ring 1 pushed the frame on the ring-2 stack and then could not
 * return to the handler (it killed the domain).
 */
#include "../seg/segutil.h"

#define CS2 100
#define DS2 101

__asm__(".text\n"
        "r2_ud:      movl %esp, %eax\n ud2\n"
        "r2_syscall: movl $0x2a2a, %eax\n int $0x80\n");
void r2_ud(void), r2_syscall(void);

static void run(void (*code)(void), int vector)
{
    unsigned cs = rv_selector(CS2, 2), ss = rv_selector(DS2, 2);
    struct seg_ring3 r = {
        .eip = (uint32_t)(uintptr_t)code, .cs = cs, .esp = SEG_USER_STACK_TOP - 16, .ss = ss,
        .ds = RV_FLAT_RING3_DS, .es = RV_FLAT_RING3_DS,
    };
    struct rv_trap_frame f;
    int v = seg_run_ring3(&r, &f);
    if (v != vector)
        rvt_failure("from ring 2: vector %d, expected %d", v, vector);
    RVT_EXPECT_EQ(f.cs, cs, "the frame's CS is the ring-2 code");
    RVT_EXPECT_EQ(f.ss, ss, "the frame holds the ring-2 SS");
    RVT_EXPECT_EQ(f.esp, SEG_USER_STACK_TOP - 16, "the frame holds the ring-2 ESP");
}

void test_main(void)
{
    SEG_RC(seg_update(CS2, seg_desc(0, RV_GUEST_VA_LIMIT, T_CODE_RX, 2)), 0, "DPL-2 code");
    SEG_RC(seg_update(DS2, seg_desc(0, RV_GUEST_VA_LIMIT, T_DATA_RW, 2)), 0, "DPL-2 data");
    run(r2_ud, 6);
    run(r2_syscall, SEG_SYSCALL);
    rvt_log("#UD and int $0x80 from ring 2 arrived with the ring-2 SS:ESP");
    rvt_success();
}
