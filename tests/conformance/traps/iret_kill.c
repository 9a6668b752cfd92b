/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/traps/iret_kill.c: iret frames that kill the domain
 * (ABI.md, iret: "a frame that cannot be read, a CS RPL other than 1 or
 * 3, an SS RPL other than 3 for a ring-3 return, or a frame the CPU
 * refuses ... kills the domain").  One guest per case= :
 *
 *   cs0     CS = RV_FLAT_RING1_CS with RPL 0            ("bad iret frame")
 *   cs2     CS = RV_FLAT_RING1_CS with RPL 2            ("bad iret frame")
 *   ss      ring-3 return with SS = RV_FLAT_RING1_DS    ("bad iret frame")
 *   unread  ESP in an unmapped page at the int $0x82    ("bad iret frame")
 *   badcs   CS = RV_FLAT_RING1_DS (a data segment), RPL 1 ("unusable return frame")
 *   eiplim  EIP past the limit of a small ring-1 code segment
 *           ("unusable return frame").  Only a CPU that enforces segment
 *           limits refuses that; where limits are not enforced (QEMU TCG)
 *           the case falls back to badcs, so the guest still has to be
 *           killed for the right reason.
 *
 * The frame's EIP always points at code that reports a failure, so a
 * monitor that takes the frame is caught.
 */
#include "trapkit.h"

#define SMALL_CODE (TK_GDT_FIRST + 5)

/* iret_with(frame, n): pushes frame[n-1] .. frame[0] (EIP lowest) and enters the iret stub. */
__asm__(".text\n"
        "iret_with:\n"
        "    movl 4(%esp), %esi\n"
        "    movl 8(%esp), %ecx\n"
        "1:  pushl -4(%esi,%ecx,4)\n"
        "    loop 1b\n"
        "    movl $0x1234, %eax\n"
        "    jmp rv_hypercall_page + 8 * 32\n"); /* RV_HC_iret * RV_HYPERCALL_STUB_SIZE */
_Noreturn void iret_with(const uint32_t *frame, unsigned n);
_Static_assert(RV_HC_iret == 8 && RV_HYPERCALL_STUB_SIZE == 32, "iret_with's stub address");

static void landed(void)
{
    rvt_failure("the iret frame was taken: this guest should have been killed");
}

static int is(const char *c, const char *name)
{
    size_t n = strlen(name);

    return !strncmp(c, name, n) && (c[n] == 0 || c[n] == ' ');
}

static uint32_t eflags(void)
{
    uint32_t f;

    __asm__ volatile("pushfl; popl %0" : "=r"(f));
    return f;
}

static _Noreturn void ring1_frame(uint32_t cs, uint32_t eip)
{
    uint32_t frame[3] = { eip, cs, eflags() };

    iret_with(frame, 3);
}

void test_main(void)
{
    const char *c = rv_cmdline_value("case");
    uint32_t land = (uint32_t)(uintptr_t)landed;

    if (!c)
        rvt_error("needs case=... on its command line");
    tk_init();
    if (is(c, "cs0")) {
        ring1_frame(RV_FLAT_RING1_CS & ~3u, land);
    } else if (is(c, "cs2")) {
        ring1_frame((RV_FLAT_RING1_CS & ~3u) | 2, land);
    } else if (is(c, "ss")) {
        uint32_t frame[5] = { land, RV_FLAT_RING3_CS, eflags(), TK_USER_TOP, RV_FLAT_RING1_DS };
        iret_with(frame, 5);
    } else if (is(c, "unread")) {
        /* No push first: the int $0x82 itself does not touch the ring-1 stack. */
        __asm__ volatile("movl %0, %%esp\n\t"
                         "movl %1, %%eax\n\t"
                         "int $0x82"
                         :
                         : "r"(RV_HOLE_START - RV_PAGE_SIZE / 2), "i"(RV_HC_iret)
                         : "memory");
    } else if (is(c, "badcs")) {
        ring1_frame(RV_FLAT_RING1_DS, land);
    } else if (is(c, "eiplim")) {
        struct rv_descriptor d = rv_desc_segment(0, 0xfffff, RV_SEG_CODE_RX, 1); /* 1 MiB, byte granular */

        if (!rvt_probe_segment_limits()) {
            rvt_log("segment limits not enforced here: a data segment as CS instead");
            ring1_frame(RV_FLAT_RING1_DS, land);
        }
        RVT_REQUIRE_OK(rv_hc_update_descriptor(SMALL_CODE, d.low, d.high), "a 1 MiB code segment");
        if (land <= 0xfffff)
            rvt_error("the image is expected above 1 MiB");
        ring1_frame(rv_selector(SMALL_CODE, 1), land);
    } else {
        rvt_error("unknown case '%s'", c);
    }
    rvt_failure("case %s: the iret returned", c);
}
