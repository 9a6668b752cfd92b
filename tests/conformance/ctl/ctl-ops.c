/* SPDX-License-Identifier: MIT */
/*
 * ctl-ops: every domctl command from a control domain (ABI.md "Control
 * domains", 1.6) with good arguments and each documented error, and the
 * rvctl library on top of them.  The domains it makes run the embedded
 * ctl-child image, named kid-*.
 */
#include "ctlkit.h"

#define KID_OPTS(name, args) "child name=" name " mem=256K -- " args

static uint32_t self;

static long create_kid(const char *opts, const char *what)
{
    long id = ctl_create(CHILD_IMAGE, CHILD_LEN, opts);
    if (id <= 0)
        rvt_failure("%s: CREATE returned %s: %s", what, rv_errname(id), ctl_reason);
    return id;
}

static void expect_refused(const char *opts, long rc, const char *reason)
{
    long r = ctl_create(CHILD_IMAGE, CHILD_LEN, opts);
    RVT_EXPECT_RC(r, rc, opts);
    if (!ctl_contains(ctl_reason, reason))
        rvt_failure("CREATE \"%s\": reason \"%s\", expected \"%s\"", opts, ctl_reason, reason);
}

static void check_info(uint32_t id, struct rv_domctl_info *i, uint32_t state, const char *what)
{
    RVT_EXPECT_RC(ctl(RV_DOMCTL_GETINFO, id, i, 0), 0, what);
    RVT_EXPECT_EQ(i->domid, id, what);
    RVT_EXPECT_EQ(i->state, state, what);
}

/* CREATE, the new domain's first line, GETINFO, its exit code, the VIRQ. */
static void create_and_wait(void)
{
    struct rv_domctl_info i;
    ctl_wait_event(0); /* binds the VIRQ and clears it */
    long id = create_kid(KID_OPTS("kid-a", "exit=7"), "good create");
    RVT_EXPECT_TRUE((uint32_t)id > self, "a new id is above every older one");
    RVT_EXPECT_TRUE(rv_evtchn_is_pending(ctl_state_port()), "RV_VIRQ_DOM_STATE after a creation");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_GETINFO, (unsigned)id, &i, 0), 0, "GETINFO of the new domain");
    RVT_EXPECT_EQ(strcmp(i.name, "kid-a"), 0, "its name");
    RVT_EXPECT_EQ(i.nr_pages, 64, "its memory (256K)");
    RVT_EXPECT_EQ(i.weight, 256, "its default weight");
    RVT_EXPECT_EQ(i.flags, 0, "not a control domain");
    char want[32];
    rv_snprintf(want, sizeof(want), "child d%ld up", id);
    RVT_EXPECT_TRUE(ctl_console_until((uint32_t)id, want, 5000), "its first console line");
    rv_evtchn_test_and_clear(ctl_state_port());
    RVT_EXPECT_TRUE(ctl_wait_dead((uint32_t)id, &i, 5000), "it ends");
    RVT_EXPECT_EQ(i.exit_reason, RV_SHUTDOWN_POWEROFF, "exit reason");
    RVT_EXPECT_EQ(i.exit_code, 7, "exit code");
    RVT_EXPECT_TRUE(i.hypercalls > 0, "it made hypercalls");
    for (int k = 0; k < 50; k++)
        rv_yield(); /* the scheduler reaps it: a zombie, its memory gone */
    check_info((uint32_t)id, &i, RV_DOMSTATE_DEAD, "GETINFO of the zombie");
    RVT_EXPECT_TRUE(i.exit_code == 7 && i.nr_pages == 0, "a zombie keeps its exit code, not its memory");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_DESTROY, (unsigned)id, 0, 0), 0, "DESTROY of the zombie");
    check_info((uint32_t)id, &i, RV_DOMSTATE_DEAD, "GETINFO after DESTROY");
    RVT_EXPECT_EQ(i.exit_code, 7, "exit code from the exit record");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_GETINFO, 0, &i, 0), -RV_ESRCH, "GETINFO of domain 0 with an exit record kept");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_DESTROY, (unsigned)id, 0, 0), -RV_ESRCH, "DESTROY of a domain gone");
    long id2 = create_kid(KID_OPTS("kid-b", "exit=0"), "second create");
    RVT_EXPECT_TRUE(id2 > id, "ids are not reused");
    RVT_EXPECT_TRUE(ctl_wait_dead((uint32_t)id2, &i, 5000), "the second ends");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_DESTROY, (unsigned)id2, 0, 0), 0, "DESTROY of the second");
    rvt_log("create: d%ld ran and exited 7, d%ld after it", id, id2);
}

static void create_errors(void)
{
    expect_refused("child name=kid-x bogus=1", -RV_EINVAL, "unknown option");
    expect_refused("child name=kid-x mem=64K", -RV_EINVAL, "too little memory");
    expect_refused("child name=kid-x control", -RV_EPERM, "control");
    expect_refused("child name=kid-x initrd=next", -RV_EINVAL, "initrd=next");
    expect_refused("child name=kid-x disk=next", -RV_EINVAL, "disk=next");
    long r = ctl_create((uint32_t)rv_start_info, 4096, "name=kid-x");
    RVT_EXPECT_RC(r, -RV_EINVAL, "an image that is not ELF");
    if (!ctl_contains(ctl_reason, "not an ELF file"))
        rvt_failure("not ELF: reason \"%s\"", ctl_reason);
    RVT_EXPECT_RC(ctl_create(CHILD_IMAGE, 0, "name=kid-x"), -RV_EINVAL, "an empty image");
    RVT_EXPECT_RC(ctl_create(CHILD_IMAGE, 256, "name=kid-x"), -RV_EINVAL, "a truncated image");
    RVT_EXPECT_RC(ctl_create(CHILD_IMAGE, RV_DOMCTL_IMAGE_MAX + 1, "name=kid-x"), -RV_E2BIG, "image too big");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_CREATE, 0, (void *)0xFC000000u, 0), -RV_EFAULT, "create struct in the hole");
    rvt_log("create: every refusal with its errno and reason");
}

static void list(void)
{
    static struct rv_domctl_info all[40];
    long n = ctl(RV_DOMCTL_LIST, 0, all, 40);
    RVT_EXPECT_TRUE(n >= 1, "LIST counts at least the caller");
    RVT_EXPECT_EQ(ctl(RV_DOMCTL_LIST, 0, 0, 0), n, "LIST with 0 entries counts");
    int found = 0;
    for (long k = 0; k < n && k < 40; k++)
        if (all[k].domid == self)
            found = all[k].flags == RV_DOMINFO_CONTROL && strcmp(all[k].name, rvt_name) == 0;
    RVT_EXPECT_TRUE(found, "LIST shows the caller as a control domain");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_LIST, 0, all, 1u << 20), -RV_E2BIG, "LIST of too many entries");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_GETINFO, 0, all, 0), -RV_ESRCH, "GETINFO of domain 0");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_GETINFO, 99999, all, 0), -RV_ESRCH, "GETINFO of a domain never made");
    RVT_EXPECT_TRUE(ctl_rvctl("list") == n, "rvctl list");
    rvt_log("list: %ld domains", n);
}

static void pause_and_sched(void)
{
    struct rv_domctl_info i, j;
    long id = create_kid(KID_OPTS("kid-p", "spin"), "spinning child");
    RVT_EXPECT_TRUE(ctl_console_until((uint32_t)id, "up", 5000), "it runs");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_PAUSE, (unsigned)id, 0, 0), 0, "PAUSE");
    check_info((uint32_t)id, &i, RV_DOMSTATE_PAUSED, "paused");
    rv_sleep_ns(50000000);
    check_info((uint32_t)id, &j, RV_DOMSTATE_PAUSED, "still paused");
    RVT_EXPECT_TRUE(i.cpu_ns == j.cpu_ns && i.hypercalls == j.hypercalls, "a paused domain does not run");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_PAUSE, (unsigned)id, 0, 0), -RV_EBUSY, "PAUSE twice");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_UNPAUSE, (unsigned)id, 0, 0), 0, "UNPAUSE");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_UNPAUSE, (unsigned)id, 0, 0), -RV_EINVAL, "UNPAUSE of a running domain");
    rv_sleep_ns(50000000);
    RVT_EXPECT_RC(ctl(RV_DOMCTL_GETINFO, (unsigned)id, &j, 0), 0, "GETINFO");
    RVT_EXPECT_TRUE(j.state != RV_DOMSTATE_PAUSED && j.hypercalls > i.hypercalls, "it runs again");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_PAUSE, self, 0, 0), -RV_EINVAL, "PAUSE of itself");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_PAUSE, 99999, 0, 0), -RV_ESRCH, "PAUSE of no domain");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_UNPAUSE, 99999, 0, 0), -RV_ESRCH, "UNPAUSE of no domain");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_SETSCHED, (unsigned)id, (void *)512, 50), 0, "SETSCHED");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_GETINFO, (unsigned)id, &j, 0), 0, "GETINFO");
    RVT_EXPECT_TRUE(j.weight == 512 && j.cap == 50, "the new weight and cap");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_SETSCHED, (unsigned)id, 0, 0), -RV_EINVAL, "weight 0");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_SETSCHED, (unsigned)id, (void *)65536, 0), -RV_EINVAL, "weight 65536");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_SETSCHED, (unsigned)id, (void *)256, 101), -RV_EINVAL, "cap 101");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_SETSCHED, 99999, (void *)256, 0), -RV_ESRCH, "SETSCHED of no domain");
    RVT_EXPECT_TRUE(ctl_rvctl("top 1") >= 2, "rvctl top: the caller and the spinning child");
    RVT_EXPECT_RC(ctl_rvctl("sched kid-p weight=300 cap=0"), 0, "rvctl sched");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_GETINFO, (unsigned)id, &j, 0), 0, "GETINFO");
    RVT_EXPECT_TRUE(j.weight == 300 && j.cap == 0, "rvctl sched's weight and cap");

    RVT_EXPECT_RC(ctl(RV_DOMCTL_DESTROY, (unsigned)id, 0, 0), 0, "DESTROY");
    check_info((uint32_t)id, &j, RV_DOMSTATE_DEAD, "destroyed");
    RVT_EXPECT_EQ(j.exit_reason, RV_EXIT_DESTROYED, "exit reason of a destroyed domain");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_DESTROY, (unsigned)id, 0, 0), -RV_ESRCH, "DESTROY twice");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_DESTROY, self, 0, 0), -RV_EINVAL, "DESTROY of itself");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_DESTROY, 0, 0, 0), -RV_ESRCH, "DESTROY of domain 0");
    rvt_log("pause, unpause, setsched, destroy: as documented");
}

/* The console: input reaches a domain without the focus; output that
 * nobody read is kept up to 16 KiB and the rest counted as lost. */
static void console(void)
{
    static char buf[RV_CONSOLE_MAX];
    long id = create_kid(KID_OPTS("kid-e", "lines=1200 echo"), "echo child");
    rv_sleep_ns(1000000000); /* it prints its 1200 lines and waits for input */
    uint32_t total = 0, read = 0, lost = 0;
    char line[32];
    total += (uint32_t)rv_snprintf(line, sizeof(line), "child d%ld up\n", id);
    for (int k = 1; k <= 1200; k++)
        total += (uint32_t)rv_snprintf(line, sizeof(line), "line %d of 1200\n", k);
    struct rv_domctl_console io = { .buf = (uint32_t)buf, .len = sizeof(buf) };
    long r;
    do {
        r = ctl(RV_DOMCTL_CONSOLE_READ, (unsigned)id, &io, 0);
        RVT_EXPECT_TRUE(r >= 0, "CONSOLE_READ");
        read += (uint32_t)r;
        lost += io.lost;
    } while (io.pending);
    RVT_EXPECT_EQ(read, 16384, "what is kept: the last 16 KiB");
    RVT_EXPECT_EQ(lost + read, total, "bytes read + bytes lost = bytes written");
    RVT_EXPECT_TRUE(r > 18 && memcmp(buf + r - 18, "line 1200 of 1200\n", 18) == 0, "the last line is the newest");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_CONSOLE_READ, (unsigned)id, &io, 0), 0, "nothing more to read");
    RVT_EXPECT_EQ(io.lost, 0, "and nothing more lost");
    io.len = RV_CONSOLE_MAX + 1;
    RVT_EXPECT_RC(ctl(RV_DOMCTL_CONSOLE_READ, (unsigned)id, &io, 0), -RV_E2BIG, "CONSOLE_READ too long");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_CONSOLE_WRITE, (unsigned)id, &io, 0), -RV_E2BIG, "CONSOLE_WRITE too long");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_CONSOLE_READ, 99999, &io, 0), -RV_ESRCH, "CONSOLE_READ of no domain");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_CONSOLE_WRITE, 99999, &io, 0), -RV_ESRCH, "CONSOLE_WRITE of no domain");
    RVT_EXPECT_EQ(ctl_rvctl("send kid-e hello from the control domain"), 30, "rvctl send");
    RVT_EXPECT_TRUE(ctl_console_until((uint32_t)id, "echo: hello from the control domain", 5000),
                    "the domain read the bytes and answered");
    rv_snprintf(line, sizeof(line), "wait %ld", id);
    RVT_EXPECT_EQ(ctl_rvctl(line), 0, "rvctl wait: its exit code");
    rvt_log("console: %u bytes read, %u lost of %u written; input answered", read, lost, total);
}

/* An initrd from the caller's memory, copied as initrd=next copies a
 * module (not page aligned, not a whole page); and devices from options. */
static void initrd_and_devices(void)
{
    static uint8_t rd[3 * 4096 + 123];
    uint32_t sum = 0;
    for (uint32_t i = 0; i < sizeof(rd); i++) {
        rd[i] = (uint8_t)(i * 7 + (i >> 9));
        sum = sum * 31 + rd[i];
    }
    const char *opts = "child name=kid-i mem=256K disk=ram:64K console=virtio -- initrd";
    struct rv_domctl_create c = { .image = CHILD_IMAGE, .image_len = CHILD_LEN, .initrd = (uint32_t)rd + 1,
                                  .initrd_len = sizeof(rd) - 1, .options = (uint32_t)opts,
                                  .options_len = (uint32_t)strlen(opts), .reason = (uint32_t)ctl_reason,
                                  .reason_len = sizeof(ctl_reason) };
    sum = 0;
    for (uint32_t i = 1; i < sizeof(rd); i++)
        sum = sum * 31 + rd[i];
    long id = ctl(RV_DOMCTL_CREATE, 0, &c, 0);
    if (id <= 0)
        rvt_failure("CREATE with an initrd and devices: %s: %s", rv_errname(id), ctl_reason);
    char want[40];
    rv_snprintf(want, sizeof(want), "initrd %u %08x", (unsigned)sizeof(rd) - 1, sum);
    RVT_EXPECT_TRUE(ctl_console_until((uint32_t)id, want, 5000), "the initrd arrived byte for byte");
    struct rv_domctl_info i;
    RVT_EXPECT_TRUE(ctl_wait_dead((uint32_t)id, &i, 5000) && i.exit_code == 0, "it ends");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_DESTROY, (unsigned)id, 0, 0), 0, "DESTROY of the zombie");
    rvt_log("initrd: %u bytes from an odd address arrived; disk=ram: and console=virtio accepted", (unsigned)sizeof(rd) - 1);
}

static void rvctl_errors(void)
{
    RVT_EXPECT_RC(ctl_rvctl("create notelf name=kid-n"), -RV_EINVAL, "rvctl create of a non-ELF image");
    RVT_EXPECT_RC(ctl_rvctl("create child name=kid-m mem=3G"), -RV_ENOMEM, "rvctl create with too little memory free");
    RVT_EXPECT_RC(ctl_rvctl("destroy no-such-domain"), -RV_ESRCH, "rvctl destroy of a bad name");
    RVT_EXPECT_RC(ctl_rvctl("mem"), 0, "rvctl mem");
    long id = ctl_rvctl("create child name=kid-r mem=256K -- exit=3");
    RVT_EXPECT_TRUE(id > 0, "rvctl create");
    char cmd[24];
    rv_snprintf(cmd, sizeof(cmd), "wait %ld", id);
    RVT_EXPECT_EQ(ctl_rvctl(cmd), 3, "rvctl wait");
    RVT_EXPECT_RC(ctl(42, 0, 0, 0), -RV_ENOSYS, "an unknown domctl command");
}

void test_main(void)
{
    self = rv_start_info->domid;
    create_and_wait();
    create_errors();
    list();
    pause_and_sched();
    console();
    initrd_and_devices();
    rvctl_errors();
    rvt_success();
}
