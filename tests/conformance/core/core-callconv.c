/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/core/core-callconv.c: the calling convention (ABI.md
 * "Calling convention").
 *
 * - The hypercall page holds the documented stubs: `mov eax, nr; int
 *   0x82; ret` for every slot, `push eax; mov eax, 8; int 0x82` for iret.
 * - A hypercall through a page stub and one through a raw `int 0x82` give
 *   the same results (version, a build id, unknown numbers).
 * - Unknown numbers (the first after RV_HYPERCALLS, 127, 128, 1000,
 *   0xffffffff) give -ENOSYS; 128 and above have no stub (the page has 128
 *   slots), so only int 0x82 there.
 * - Across a hypercall every register but EAX is preserved: the argument
 *   registers, EBP, ESP, the arithmetic flags and DF, and all six segment
 *   registers, including guest-installed selectors and the null selector.
 *   That holds for a hypercall that switches to other domains (yield).
 * - int 0x82 from ring 3 raises #GP with the IDT error code 0x82*8+2.
 */
#include "core.h"

/* Registers in and out of one hypercall; offsets are used by the asm below. */
struct regs {
    uint32_t eax, ebx, ecx, edx, esi, edi, ebp, esp; /* 0 .. 28 */
    uint32_t eflags;                                 /* 32 */
    uint32_t ds, es, fs, gs, ss;                     /* 36 .. 52 */
};

struct regs probe_in, probe_out;
uint32_t probe_target;    /* what probe_run calls: a page stub or int82_thunk */
uint32_t probe_saved_esp; /* the C stack, while the probe runs on its own values */
void probe_run(void);
extern const char int82_thunk[];

_Static_assert(RV_FLAT_RING1_DS == 0x821, "probe_run reloads SS with this");

/*
 * probe_run loads every register from probe_in (EAX last), calls
 * probe_target, and stores every register into probe_out before anything
 * can change them.  probe_in.esp receives ESP at the call.  Segment
 * registers are stored with 16-bit moves (the upper halves of probe_out
 * are cleared by the caller).  Then it puts the C state back.
 */
__asm__(".text\n"
        ".globl probe_run\n"
        "probe_run:\n"
        "    pushal\n"
        "    pushl %ds\n"
        "    pushl %es\n"
        "    pushl %fs\n"
        "    pushl %gs\n"
        "    movl %esp, probe_saved_esp\n"
        "    movl probe_in+40, %eax\n"
        "    movw %ax, %es\n"
        "    movl probe_in+44, %eax\n"
        "    movw %ax, %fs\n"
        "    movl probe_in+48, %eax\n"
        "    movw %ax, %gs\n"
        "    movl probe_in+52, %eax\n"
        "    movw %ax, %ss\n"
        "    movl probe_in+36, %eax\n"
        "    movw %ax, %ds\n"
        "    pushl probe_in+32\n"
        "    popfl\n"
        "    movl probe_in+4, %ebx\n"
        "    movl probe_in+8, %ecx\n"
        "    movl probe_in+12, %edx\n"
        "    movl probe_in+16, %esi\n"
        "    movl probe_in+20, %edi\n"
        "    movl probe_in+24, %ebp\n"
        "    movl %esp, probe_in+28\n"
        "    movl probe_in+0, %eax\n"
        "    call *probe_target\n"
        "    movl %eax, probe_out+0\n"
        "    movl %ebx, probe_out+4\n"
        "    movl %ecx, probe_out+8\n"
        "    movl %edx, probe_out+12\n"
        "    movl %esi, probe_out+16\n"
        "    movl %edi, probe_out+20\n"
        "    movl %ebp, probe_out+24\n"
        "    movl %esp, probe_out+28\n"
        "    pushfl\n"
        "    popl probe_out+32\n"
        "    movw %ds, probe_out+36\n"
        "    movw %es, probe_out+40\n"
        "    movw %fs, probe_out+44\n"
        "    movw %gs, probe_out+48\n"
        "    movw %ss, probe_out+52\n"
        "    cld\n"
        "    movl $0x821, %eax\n"
        "    movw %ax, %ss\n"
        "    movl probe_saved_esp, %esp\n"
        "    popl %gs\n"
        "    popl %fs\n"
        "    popl %es\n"
        "    popl %ds\n"
        "    popal\n"
        "    ret\n"
        ".globl int82_thunk\n"
        "int82_thunk:\n"
        "    int $0x82\n"
        "    ret\n");

/* CF PF AF ZF SF IF DF OF: what a guest can set and must get back. */
#define FLAGS_CHECKED 0xed5u
#define FLAGS_ALL_SET 0xed7u  /* those, and the always-one bit 1 */
#define FLAGS_NONE_SET 0x202u /* IF (the real one, always 1) and bit 1 */

/* Guest GDT entries the probe loads into segment registers. */
#define GDT_SS1 100 /* flat ring-1 data, for SS */
#define GDT_DS1 101 /* flat ring-1 data */
#define GDT_DS3 102 /* flat ring-3 data, loaded with RPL 3 */

static void install_segments(void)
{
    struct rv_descriptor d1 = rv_desc_segment(0, RV_GUEST_VA_LIMIT, RV_SEG_DATA_RW, 1);
    struct rv_descriptor d3 = rv_desc_segment(0, RV_GUEST_VA_LIMIT, RV_SEG_DATA_RW, 3);

    RVT_REQUIRE_OK(rv_hc_update_descriptor(GDT_SS1, d1.low, d1.high), "update_descriptor SS1");
    RVT_REQUIRE_OK(rv_hc_update_descriptor(GDT_DS1, d1.low, d1.high), "update_descriptor DS1");
    RVT_REQUIRE_OK(rv_hc_update_descriptor(GDT_DS3, d3.low, d3.high), "update_descriptor DS3");
}

/* Two register pictures, alternated between cases. */
static void fill_regs(struct regs *r, int pattern, uint32_t a1, uint32_t a2, uint32_t a3)
{
    memset(r, 0, sizeof(*r));
    r->ebx = a1;
    r->ecx = a2;
    r->edx = a3;
    if (pattern == 0) {
        r->esi = 0x13579bdf;
        r->edi = 0x2468ace0;
        r->ebp = 0xfedcba98;
        r->eflags = FLAGS_ALL_SET;
        r->ds = RV_FLAT_RING3_DS;
        r->es = rv_selector(GDT_DS1, 1);
        r->fs = rv_selector(GDT_DS3, 3);
        r->gs = 0;
        r->ss = rv_selector(GDT_SS1, 1);
    } else {
        r->esi = 0x89abcdef;
        r->edi = 0x01234567;
        r->ebp = 0x0badf00d;
        r->eflags = FLAGS_NONE_SET;
        r->ds = rv_selector(GDT_DS1, 1);
        r->es = RV_FLAT_RING3_DS;
        r->fs = 0;
        r->gs = RV_FLAT_RING1_DS;
        r->ss = RV_FLAT_RING1_DS;
    }
}

#define CHECK_REG(field, what)                                                             \
    do {                                                                                   \
        if (probe_out.field != probe_in.field)                                             \
            rvt_failure("%s: " #field " was 0x%x before the hypercall, 0x%x after", what, \
                        probe_in.field, probe_out.field);                                  \
    } while (0)

/* One hypercall nr with registers r, through the page or int 0x82; returns EAX. */
static long probe(const char *what, unsigned nr, int via_page, const struct regs *r)
{
    probe_in = *r;
    probe_in.eax = via_page ? 0xa5a5a5a5u : nr; /* the stub loads EAX itself */
    probe_target = via_page ? (uint32_t)&rv_hypercall_page[nr * RV_HYPERCALL_STUB_SIZE]
                            : (uint32_t)int82_thunk;
    memset(&probe_out, 0, sizeof(probe_out));
    probe_run();
    CHECK_REG(ebx, what);
    CHECK_REG(ecx, what);
    CHECK_REG(edx, what);
    CHECK_REG(esi, what);
    CHECK_REG(edi, what);
    CHECK_REG(ebp, what);
    CHECK_REG(esp, what);
    CHECK_REG(ds, what);
    CHECK_REG(es, what);
    CHECK_REG(fs, what);
    CHECK_REG(gs, what);
    CHECK_REG(ss, what);
    if ((probe_out.eflags & FLAGS_CHECKED) != (probe_in.eflags & FLAGS_CHECKED))
        rvt_failure("%s: EFLAGS 0x%x before the hypercall, 0x%x after (checked bits 0x%x)", what,
                    probe_in.eflags, probe_out.eflags, FLAGS_CHECKED);
    return (long)probe_out.eax;
}

/* nr through both paths and both register pictures: the same result, expect. */
static void both_paths(const char *what, unsigned nr, uint32_t a1, uint32_t a2, uint32_t a3,
                       long expect)
{
    struct regs r;
    char buf[96];

    for (int pattern = 0; pattern < 2; pattern++) {
        fill_regs(&r, pattern, a1, a2, a3);
        rv_snprintf(buf, sizeof(buf), "%s via the page (registers %d)", what, pattern);
        CORE_EXPECT(probe(buf, nr, 1, &r), expect, buf);
        fill_regs(&r, !pattern, a1, a2, a3);
        rv_snprintf(buf, sizeof(buf), "%s via int 0x82 (registers %d)", what, !pattern);
        CORE_EXPECT(probe(buf, nr, 0, &r), expect, buf);
    }
}

static void int82_only(const char *what, unsigned nr, long expect)
{
    struct regs r;

    for (int pattern = 0; pattern < 2; pattern++) {
        fill_regs(&r, pattern, 0, 0x55aa55aa, 0xaa55aa55);
        CORE_EXPECT(probe(what, nr, 0, &r), expect, what);
    }
}

static void check_stubs(void)
{
    const uint8_t *page = (const uint8_t *)rv_hypercall_page;

    for (unsigned nr = 0; nr < RV_HYPERCALL_PAGE_SLOTS; nr++) {
        const uint8_t *s = page + nr * RV_HYPERCALL_STUB_SIZE;
        uint32_t imm;

        if (nr == RV_HC_iret) {
            RVT_EXPECT_EQ(s[0], 0x50, "iret stub: push eax");
            s++;
        }
        memcpy(&imm, s + 1, 4);
        if (s[0] != 0xb8 || imm != nr || s[5] != 0xcd || s[6] != RV_HYPERCALL_VECTOR)
            rvt_failure("stub %u: %02x %02x %02x %02x %02x %02x %02x, expected mov eax, %u; int 0x82",
                        nr, s[0], s[1], s[2], s[3], s[4], s[5], s[6], nr);
        if (nr != RV_HC_iret && s[7] != 0xc3)
            rvt_failure("stub %u: byte 7 is %02x, expected ret (c3)", nr, s[7]);
    }
}

static uint8_t kstack[4096] __attribute__((aligned(16)));
static uint8_t ustack[4096] __attribute__((aligned(16)));

/* Ring 3: if int 0x82 were let through, ud2 would kill the domain (no #UD handler). */
static void user_int82(void)
{
    __asm__ volatile("xorl %%eax, %%eax\n\t"
                     "int $0x82\n\t"
                     "ud2" ::: "eax");
}

static void go_user(void *arg)
{
    (void)arg;
    rv_enter_user(user_int82, ustack + sizeof(ustack));
}

static void check_ring3(void)
{
    struct rv_trap_frame f;

    RVT_REQUIRE_OK(rv_stack_switch_to(kstack + sizeof(kstack)), "stack_switch");
    RVT_EXPECT_EQ(rvt_expect_fault(13, go_user, 0, &f), 1, "int 0x82 from ring 3 raises #GP");
    RVT_EXPECT_EQ(f.cs & 3, 3, "#GP from ring 3: frame CS RPL");
    RVT_EXPECT_EQ(f.error_code, RV_HYPERCALL_VECTOR * 8 + 2, "#GP error code (IDT, vector 0x82)");
    RVT_EXPECT_EQ(*(const uint16_t *)f.eip, 0x82cd, "#GP frame EIP points at int 0x82");
    RVT_EXPECT_EQ(f.eax, 0, "EAX of the refused ring-3 hypercall");
}

void test_main(void)
{
    static const char msg[] = "core-callconv: console write through the probe\n";
    static char id_page[32], id_int[32];
    struct regs r;

    check_stubs();
    install_segments();

    both_paths("version ABI", RV_HC_version, RV_VERSION_ABI, 0xc0ffee01, 0xdeadbeef, RV_ABI_VERSION);
    both_paths("version FEATURES", RV_HC_version, RV_VERSION_FEATURES, 0, 0,
               rv_hypercall_int82(RV_HC_version, RV_VERSION_FEATURES, 0, 0, 0, 0));
    both_paths("unknown version cmd", RV_HC_version, 0x7fffffff, 0, 0, -RV_ENOSYS);
    both_paths("first unknown hypercall", RV_NR_HYPERCALLS, 0, 0, 0, -RV_ENOSYS);
    both_paths("hypercall 127", 127, 0, 0, 0, -RV_ENOSYS);
    int82_only("hypercall 128", 128, -RV_ENOSYS);
    int82_only("hypercall 1000", 1000, -RV_ENOSYS);
    int82_only("hypercall 0xffffffff", 0xffffffffu, -RV_ENOSYS);
    both_paths("console write", RV_HC_console_io, RV_CONSOLE_WRITE, sizeof(msg) - 1,
               (uint32_t)msg, sizeof(msg) - 1);
    both_paths("sched_op yield", RV_HC_sched_op, RV_SCHED_YIELD, 0x1234, 0x5678, 0);

    /* The build id through each path: the same 32 bytes. */
    memset(id_page, 0xaa, sizeof(id_page));
    memset(id_int, 0x55, sizeof(id_int));
    fill_regs(&r, 0, RV_VERSION_EXTRA, (uint32_t)id_page, 0);
    CORE_EXPECT(probe("version EXTRA via the page", RV_HC_version, 1, &r), 0,
                  "version EXTRA via the page");
    fill_regs(&r, 1, RV_VERSION_EXTRA, (uint32_t)id_int, 0);
    CORE_EXPECT(probe("version EXTRA via int 0x82", RV_HC_version, 0, &r), 0,
                  "version EXTRA via int 0x82");
    RVT_EXPECT_EQ(memcmp(id_page, id_int, sizeof(id_page)), 0, "build id: page and int 0x82 agree");

    check_ring3();
    rvt_success();
}
