/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/traps/iret.c: the iret hypercall (ABI.md, iret).
 *
 * A frame built by hand (EIP, CS, EFLAGS [, ESP, SS]) with EAX pushed on
 * top, entered both through the hypercall page's iret stub and by a bare
 * int $0x82.  Returning to ring 1: EFLAGS.IF of the frame becomes the
 * virtual IF (set clears the event mask, clear sets it), EAX comes back
 * from the frame, every other general register is preserved, ESP ends
 * just above the frame, the arithmetic flags and DF of the frame are
 * taken, but IOPL, NT, VM, RF and IF are not: after the return PUSHF shows
 * IOPL 0, NT 0 and the real IF still 1.  Returning to ring 3: CS, EIP,
 * ESP, SS come from the frame, EAX too, and the virtual IF.
 */
#include "trapkit.h"

#define EFL_CF 0x0001u
#define EFL_ZF 0x0040u
#define EFL_SF 0x0080u
#define EFL_IF 0x0200u
#define EFL_DF 0x0400u
#define EFL_OF 0x0800u
#define EFL_IOPL 0x3000u
#define EFL_NT 0x4000u
#define EFL_RF 0x10000u
#define EFL_VM 0x20000u
#define EFL_TAKEN (EFL_CF | EFL_ZF | EFL_SF | EFL_DF | EFL_OF)

_Static_assert(RV_HC_iret == 8 && RV_HYPERCALL_STUB_SIZE == 32, "the iret stub address below");
_Static_assert(RV_FLAT_RING1_CS == 0x819 && RV_FLAT_RING3_CS == 0x82b && RV_FLAT_RING3_DS == 0x833,
               "selectors written out below");

/* In: EAX EBX ECX EDX ESI EDI EBP; out: the same after the return. */
volatile uint32_t io_in[7], io_out[7];
volatile uint32_t io_eflags, io_use_int82, io_user_esp;
volatile uint32_t io_esp_before, io_esp_after, io_eflags_after, io_cs_after, io_ss_after;

/*
 * do_iret1: a ring-1 frame returning to label 1, the registers loaded from
 * io_in, then the iret stub (or push EAX; int $0x82).  At label 1 it saves
 * everything before anything can change it.
 */
__asm__(".text\n"
        "do_iret1:\n"
        "    pushl %ebp\n"
        "    pushl %ebx\n"
        "    pushl %esi\n"
        "    pushl %edi\n"
        "    movl %esp, io_esp_before\n"
        "    pushl io_eflags\n"
        "    pushl $0x819\n"
        "    pushl $1f\n"
        "    movl io_in+4, %ebx\n"
        "    movl io_in+8, %ecx\n"
        "    movl io_in+12, %edx\n"
        "    movl io_in+16, %esi\n"
        "    movl io_in+20, %edi\n"
        "    movl io_in+24, %ebp\n"
        "    movl io_in, %eax\n"
        "    cmpl $0, io_use_int82\n"
        "    jne 2f\n"
        "    jmp rv_hypercall_page + 8 * 32\n"
        "2:  pushl %eax\n"
        "    movl $8, %eax\n"
        "    int $0x82\n"
        "    ud2\n"
        "1:  movl %esp, io_esp_after\n"
        "    pushfl\n"
        "    popl io_eflags_after\n"
        "    cld\n"
        "    movl %eax, io_out\n"
        "    movl %ebx, io_out+4\n"
        "    movl %ecx, io_out+8\n"
        "    movl %edx, io_out+12\n"
        "    movl %esi, io_out+16\n"
        "    movl %edi, io_out+20\n"
        "    movl %ebp, io_out+24\n"
        "    popl %edi\n"
        "    popl %esi\n"
        "    popl %ebx\n"
        "    popl %ebp\n"
        "    ret\n");
void do_iret1(void);

/*
 * do_iret3: a ring-3 frame (SS, ESP = io_user_esp, EFLAGS, CS, EIP = u3_land),
 * DS and ES already ring 3's so that the return does not null them.  In
 * ring 3 it saves the registers and leaves by int $0x8e (tk_catch).
 */
__asm__(".text\n"
        "do_iret3:\n"
        "    movl $0x833, %eax\n"
        "    movw %ax, %ds\n"
        "    movw %ax, %es\n"
        "    pushl $0x833\n"
        "    pushl io_user_esp\n"
        "    pushl io_eflags\n"
        "    pushl $0x82b\n"
        "    pushl $u3_land\n"
        "    movl io_in+4, %ebx\n"
        "    movl io_in+8, %ecx\n"
        "    movl io_in+12, %edx\n"
        "    movl io_in+16, %esi\n"
        "    movl io_in+20, %edi\n"
        "    movl io_in+24, %ebp\n"
        "    movl io_in, %eax\n"
        "    jmp rv_hypercall_page + 8 * 32\n"
        "u3_land:\n"
        "    movl %esp, io_esp_after\n"
        "    movl %eax, io_out\n"
        "    movl %ebx, io_out+4\n"
        "    movl %ecx, io_out+8\n"
        "    movl %edx, io_out+12\n"
        "    movl %esi, io_out+16\n"
        "    movl %edi, io_out+20\n"
        "    movl %ebp, io_out+24\n"
        "    pushfl\n"
        "    popl io_eflags_after\n"
        "    xorl %eax, %eax\n"
        "    movw %cs, %ax\n"
        "    movl %eax, io_cs_after\n"
        "    movw %ss, %ax\n"
        "    movl %eax, io_ss_after\n"
        "    int $0x8e\n");
void do_iret3(void);

static void set_regs(uint32_t seed)
{
    for (int i = 0; i < 7; i++) {
        io_in[i] = seed * 0x01010101u ^ (0x11111111u * (uint32_t)(i + 1));
        io_out[i] = 0;
    }
}

static void check_regs(const char *what)
{
    static const char *const names[7] = { "EAX", "EBX", "ECX", "EDX", "ESI", "EDI", "EBP" };

    for (int i = 0; i < 7; i++)
        if (io_out[i] != io_in[i])
            rvt_failure("%s: %s is 0x%x after the iret, expected 0x%x", what, names[i],
                        io_out[i], io_in[i]);
}

/* Ring 1: frame EFLAGS `frame_flags`, event mask `mask_before`; expects the mask !IF after. */
static void ring1(int use_int82, int mask_before, uint32_t frame_flags, const char *what)
{
    uint32_t want_taken = frame_flags & EFL_TAKEN;

    set_regs((uint32_t)(mask_before * 2 + use_int82 + 1) + frame_flags);
    io_use_int82 = (uint32_t)use_int82;
    io_eflags = frame_flags;
    tk_set_mask(mask_before);
    do_iret1();

    check_regs(what);
    RVT_EXPECT_EQ(io_esp_after, io_esp_before, "ESP after the iret (just above the frame)");
    RVT_EXPECT_EQ(rv_vcpu()->evtchn_upcall_mask, (frame_flags & EFL_IF) ? 0 : 1,
                  "event mask after the iret (from the frame's IF)");
    RVT_EXPECT_EQ(io_eflags_after & EFL_TAKEN, want_taken, "CF ZF SF OF DF taken from the frame");
    RVT_EXPECT_EQ(io_eflags_after & EFL_IOPL, 0, "IOPL after the iret (not taken)");
    RVT_EXPECT_EQ(io_eflags_after & EFL_NT, 0, "NT after the iret (not taken)");
    RVT_EXPECT_EQ(io_eflags_after & EFL_IF, EFL_IF, "the real IF after the iret (not taken)");
    RVT_EXPECT_EQ(rv_read_cs(), RV_FLAT_RING1_CS, "CS after the iret");
}

static void ring3(int mask_before, uint32_t frame_flags, const char *what)
{
    struct tk_caught c;

    set_regs((uint32_t)mask_before + 7 + frame_flags);
    io_eflags = frame_flags;
    io_user_esp = TK_USER_TOP - 64;
    io_esp_after = io_eflags_after = io_cs_after = io_ss_after = 0;
    tk_set_mask(mask_before);
    tk_expect(TK_DONE_VECTOR, 3, 1, do_iret3, &c, what);

    check_regs(what);
    RVT_EXPECT_EQ(io_cs_after, RV_FLAT_RING3_CS, "CS in ring 3 (from the frame)");
    RVT_EXPECT_EQ(io_ss_after, RV_FLAT_RING3_DS, "SS in ring 3 (from the frame)");
    RVT_EXPECT_EQ(io_esp_after, TK_USER_TOP - 64, "ESP in ring 3 (from the frame)");
    RVT_EXPECT_EQ(io_eflags_after & EFL_TAKEN, frame_flags & EFL_TAKEN, "flags in ring 3");
    RVT_EXPECT_EQ(io_eflags_after & (EFL_IOPL | EFL_NT), 0, "IOPL and NT in ring 3");
    RVT_EXPECT_EQ(c.mask_on_entry, (frame_flags & EFL_IF) ? 0 : 1,
                  "event mask after the return to ring 3 (from the frame's IF)");
    RVT_EXPECT_EQ(c.f.esp, TK_USER_TOP - 64, "ring-3 ESP seen by the next entry");
}

void test_main(void)
{
    const uint32_t base = 0x2; /* EFLAGS bit 1 */
    const uint32_t junk = EFL_IOPL | EFL_NT | EFL_RF | EFL_VM;

    tk_init();
    for (int int82 = 0; int82 < 2; int82++) {
        const char *how = int82 ? "int $0x82" : "the page stub";
        rvt_log("iret through %s", how);
        ring1(int82, 1, base | EFL_IF, "ring 1, IF set, events masked before");
        ring1(int82, 0, base, "ring 1, IF clear, events on before");
        ring1(int82, 1, base | EFL_IF | EFL_TAKEN, "ring 1, IF and CF ZF SF OF DF set");
        ring1(int82, 0, base | EFL_TAKEN, "ring 1, IF clear, CF ZF SF OF DF set");
        ring1(int82, 1, base | EFL_IF | junk, "ring 1, IF, IOPL 3, NT, RF, VM set");
        ring1(int82, 0, base | junk, "ring 1, IOPL 3, NT, RF, VM set");
    }
    ring3(1, base | EFL_IF, "ring 3, IF set");
    ring3(0, base, "ring 3, IF clear");
    ring3(1, base | EFL_IF | EFL_TAKEN | EFL_IOPL | EFL_NT, "ring 3, IF, flags, IOPL 3, NT set");
    tk_set_mask(0);
    rvt_success();
}
