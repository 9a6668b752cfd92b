/* SPDX-License-Identifier: MIT */
/*
 * ctl-hostile: a control domain that hands the monitor bad images, huge
 * sizes and pointers into the hole, into memory it may only read (its
 * page tables) or into nothing.  Every call must be refused with the
 * documented error, leave no domain and no frame behind, and harm neither
 * the monitor nor the witness that shares the boot (the next domain id),
 * which this test finally tells to stop through its console.
 */
#include "ctlkit.h"

#define HOLE 0xFC000000u

static uint8_t bad[8192] __attribute__((aligned(4096)));

static uint32_t domains_now(void)
{
    struct rv_domctl_physinfo p = { 0 };
    RVT_REQUIRE_OK(ctl(RV_DOMCTL_PHYSINFO, 0, &p, 0), "PHYSINFO");
    return p.nr_domains;
}

static void create_refused(struct rv_domctl_create *c, long rc, const char *what)
{
    uint32_t before = domains_now();
    RVT_EXPECT_RC(ctl(RV_DOMCTL_CREATE, 0, c, 0), rc, what);
    RVT_EXPECT_EQ(domains_now(), before, what);
}

static struct rv_domctl_create good(const char *opts)
{
    struct rv_domctl_create c = { .image = CHILD_IMAGE, .image_len = CHILD_LEN, .options = (uint32_t)opts,
                                  .options_len = (uint32_t)strlen(opts), .reason = (uint32_t)ctl_reason,
                                  .reason_len = sizeof(ctl_reason) };
    return c;
}

static void pointers(void)
{
    uint32_t ro = rv_start_info->pt_base; /* mapped read-only: its own page tables */
    struct rv_domctl_create c = good("name=kid-h mem=256K");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_CREATE, 0, (void *)HOLE, 0), -RV_EFAULT, "create struct in the hole");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_CREATE, 0, (void *)(HOLE - 8), 0), -RV_EFAULT, "create struct across the hole");
    c.image = HOLE; create_refused(&c, -RV_EFAULT, "image in the hole");
    c.image = HOLE - 4096; c.image_len = 8192; create_refused(&c, -RV_EFAULT, "image reaching into the hole");
    c.image = 0x80000000u; c.image_len = CHILD_LEN; create_refused(&c, -RV_EFAULT, "image in unmapped memory");
    c = good("name=kid-h mem=256K"); c.initrd = HOLE; c.initrd_len = 4096;
    create_refused(&c, -RV_EFAULT, "initrd in the hole");
    c = good("name=kid-h mem=256K"); c.options = HOLE; create_refused(&c, -RV_EFAULT, "options in the hole");
    c = good("name=kid-h mem=256K"); c.reason = ro; create_refused(&c, -RV_EFAULT, "reason into read-only memory");
    c.reason = HOLE; create_refused(&c, -RV_EFAULT, "reason into the hole");
    struct rv_domctl_info *info_ro = (struct rv_domctl_info *)ro;
    RVT_EXPECT_RC(ctl(RV_DOMCTL_GETINFO, rv_start_info->domid, info_ro, 0), -RV_EFAULT, "GETINFO into read-only");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_GETINFO, 99999, (void *)HOLE, 0), -RV_EFAULT, "GETINFO into the hole");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_LIST, 0, info_ro, 4), -RV_EFAULT, "LIST into read-only");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_LIST, 0, (void *)(HOLE - 64), 4), -RV_EFAULT, "LIST across the hole");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_LIST, 0, bad, 0x7fffffffu), -RV_E2BIG, "LIST of 2^31 entries");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_PHYSINFO, 0, (void *)ro, 0), -RV_EFAULT, "PHYSINFO into read-only");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_PHYSINFO, 0, (void *)HOLE, 0), -RV_EFAULT, "PHYSINFO into the hole");
    rvt_log("pointers: into the hole, read-only and unmapped memory refused");
}

static void sizes_and_images(void)
{
    struct rv_domctl_create c = good("name=kid-h mem=256K");
    c.image_len = 0xffffffffu; create_refused(&c, -RV_E2BIG, "image of 4 GiB");
    c = good("name=kid-h mem=256K"); c.initrd = (uint32_t)bad; c.initrd_len = 0x80000000u;
    create_refused(&c, -RV_E2BIG, "initrd of 2 GiB");
    c = good("name=kid-h mem=256K"); c.options_len = 0xfffffff0u; create_refused(&c, -RV_E2BIG, "options of 4 GiB");
    for (uint32_t i = 0; i < sizeof(bad); i++)
        bad[i] = (uint8_t)(i * 37 + 11);
    c = good("name=kid-h mem=256K"); c.image = (uint32_t)bad; c.image_len = sizeof(bad);
    create_refused(&c, -RV_EINVAL, "random bytes");
    memcpy(bad, ctlchild_start, sizeof(bad));
    bad[18] = 0x3e; /* e_machine: x86-64 */
    create_refused(&c, -RV_EINVAL, "another machine's ELF");
    memcpy(bad, ctlchild_start, sizeof(bad));
    bad[28] = 0xf0; bad[29] = 0xff; bad[30] = 0xff; bad[31] = 0x7f; /* e_phoff far outside */
    create_refused(&c, -RV_EINVAL, "program headers outside the file");
    c = good("name=kid-h mem=3G"); create_refused(&c, -RV_ENOMEM, "3 GiB");
    RVT_EXPECT_TRUE(ctl_contains(ctl_reason, "not enough free memory"), "the -ENOMEM reason");
    c = good("name=kid-h mem=256K -- x"); c.options_len = 4; /* "name" cut short: a path, fine */
    long id = ctl(RV_DOMCTL_CREATE, 0, &c, 0);
    RVT_EXPECT_TRUE(id > 0, "options cut by their length are only that long");
    struct rv_domctl_info i;
    RVT_EXPECT_TRUE(ctl_wait_dead((uint32_t)id, &i, 5000) && strcmp(i.name, "name") == 0, "it ran as \"name\"");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_DESTROY, (unsigned)id, 0, 0), 0, "DESTROY of the zombie");
    rvt_log("sizes and images: refused; options read only up to their length");
}

/* A bad console buffer loses nothing: the next good read gets it all. */
static void console(void)
{
    long id = ctl_create(CHILD_IMAGE, CHILD_LEN, "name=kid-hc mem=256K -- echo");
    RVT_EXPECT_TRUE(id > 0, "create the console child");
    rv_sleep_ns(100000000);
    struct rv_domctl_console io = { .buf = HOLE, .len = 64 };
    RVT_EXPECT_RC(ctl(RV_DOMCTL_CONSOLE_READ, (unsigned)id, &io, 0), -RV_EFAULT, "CONSOLE_READ into the hole");
    io.buf = rv_start_info->pt_base;
    RVT_EXPECT_RC(ctl(RV_DOMCTL_CONSOLE_READ, (unsigned)id, &io, 0), -RV_EFAULT, "CONSOLE_READ into read-only");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_CONSOLE_READ, (unsigned)id, (void *)rv_start_info->pt_base, 0), -RV_EFAULT,
                  "CONSOLE_READ with a read-only struct");
    io.buf = HOLE;
    RVT_EXPECT_RC(ctl(RV_DOMCTL_CONSOLE_WRITE, (unsigned)id, &io, 0), -RV_EFAULT, "CONSOLE_WRITE from the hole");
    char want[24];
    rv_snprintf(want, sizeof(want), "child d%ld up", id);
    RVT_EXPECT_TRUE(ctl_console_until((uint32_t)id, want, 2000), "the bytes are still there");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_DESTROY, (unsigned)id, 0, 0), 0, "destroy it");
    /* Devices hold memory of their own: a RAM disk must come back too. */
    id = ctl_create(CHILD_IMAGE, CHILD_LEN, "name=kid-hd mem=256K disk=ram:1M console=virtio -- spin");
    RVT_EXPECT_TRUE(id > 0, "create a child with a RAM disk and a virtio console");
    RVT_EXPECT_TRUE(ctl_console_until((uint32_t)id, "up", 2000), "it runs");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_DESTROY, (unsigned)id, 0, 0), 0, "destroy it");
}

void test_main(void)
{
    uint32_t witness = rv_start_info->domid + 1, before = ctl_free_frames_settled();
    pointers();
    sizes_and_images();
    console();
    uint32_t after = ctl_free_frames_settled();
    RVT_EXPECT_EQ(after, before, "free frames after every refusal and the children's end");
    struct rv_domctl_info i;
    RVT_EXPECT_RC(ctl(RV_DOMCTL_GETINFO, witness, &i, 0), 0, "GETINFO of the witness");
    RVT_EXPECT_TRUE(i.state != RV_DOMSTATE_DEAD && strcmp(i.name, "ctl-witness-h") == 0, "the witness lives");
    struct rv_domctl_console io = { .buf = (uint32_t)"stop\n", .len = 5 };
    RVT_EXPECT_EQ(ctl(RV_DOMCTL_CONSOLE_WRITE, witness, &io, 0), 5, "stop the witness");
    rvt_log("monitor and witness unharmed, %u frames free before and after", after);
    rvt_success();
}
