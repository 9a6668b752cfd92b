/* tests/unit/test_modline.c: module and monitor command lines (monitor/modline.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "modline.h"
#include "harness.h"

static struct modline ml;
static const char *why;

/* Parses s into ml; returns modline_parse's result, why = NULL on success. */
static int parse(const char *s)
{
    why = NULL;
    memset(&ml, 0x5a, sizeof ml);          /* stale bytes must not survive */
    return modline_parse(s, &ml, &why);
}

TEST(modline_defaults, "defaults: name from the path's basename, mem 4096 KiB, empty command line")
{
    CHECK_EQ(parse("/boot/hello.elf"), 0);
    CHECK_STR(ml.path, "/boot/hello.elf");
    CHECK_STR(ml.name, "hello");
    CHECK_EQ(ml.mem_kb, 4096);
    CHECK_STR(ml.cmdline, "");
    CHECK(why == NULL);

    CHECK_EQ(parse("  \t/boot/tests/paging-basic.elf  "), 0);   /* blanks around */
    CHECK_STR(ml.path, "/boot/tests/paging-basic.elf");
    CHECK_STR(ml.name, "paging-basic");
    CHECK_EQ(parse("kernel"), 0);
    CHECK_STR(ml.name, "kernel");
    CHECK_EQ(parse("/a/b.c.elf"), 0);
    CHECK_STR(ml.name, "b.c");                  /* only the last extension goes */
    CHECK_EQ(parse("/boot/.hidden"), 0);
    CHECK_STR(ml.name, ".hidden");              /* a leading dot is not an extension */
    CHECK_EQ(parse("(hd0,msdos1)/boot/g+1.elf"), 0);
    CHECK_STR(ml.name, "g_1");                  /* odd characters become '_' */
    CHECK_EQ(parse("/boot/"), 0);
    CHECK_STR(ml.name, "guest");
    CHECK_EQ(parse(""), 0);
    CHECK_STR(ml.path, "");
    CHECK_STR(ml.name, "guest");
}

TEST(modline_grub_no_path, "GRUB 2 passes no path: a first word that is an option or -- is not one")
{
    CHECK_EQ(parse("name=web mem=8M -- console=hvc0"), 0);
    CHECK_STR(ml.path, "");
    CHECK_STR(ml.name, "web");
    CHECK_EQ(ml.mem_kb, 8192);
    CHECK_STR(ml.cmdline, "console=hvc0");
    CHECK_EQ(parse("mem=1M"), 0);
    CHECK_STR(ml.name, "guest");
    CHECK_EQ(parse("-- a b"), 0);
    CHECK_STR(ml.path, "");
    CHECK_STR(ml.cmdline, "a b");
    CHECK_EQ(parse("bogus=1"), -1);
    CHECK_STR(why, "unknown option 'bogus=1'");
}

TEST(modline_long_path, "a long path is cut with \"...\" and its default name to DOM_NAME_MAX-1")
{
    char line[200];

    memset(line, 0, sizeof line);
    strcpy(line, "/boot/");
    memset(line + 6, 'a', 100);
    strcat(line, ".elf name=x");
    CHECK_EQ(parse(line), 0);
    CHECK_EQ(strlen(ml.path), sizeof ml.path - 1);
    CHECK(strncmp(ml.path, "/boot/aaaa", 10) == 0);
    CHECK_STR(ml.path + sizeof ml.path - 4, "...");
    CHECK_STR(ml.name, "x");
    CHECK_EQ(parse("/boot/abcdefghijklmnopqrstuvwxyz0123.elf"), 0);
    CHECK_STR(ml.name, "abcdefghijklmnopqrstuvw");
    CHECK_EQ(strlen(ml.name), DOM_NAME_MAX - 1);
}

TEST(modline_name, "name= sets the name; too long, empty or odd characters are refused")
{
    CHECK_EQ(parse("/boot/hello.elf name=web-1.a_b"), 0);
    CHECK_STR(ml.name, "web-1.a_b");
    CHECK_EQ(parse("/g name=abcdefghijklmnopqrstuvw"), 0);        /* 23 characters */
    CHECK_STR(ml.name, "abcdefghijklmnopqrstuvw");
    CHECK_EQ(parse("/g name=abcdefghijklmnopqrstuvwx"), -1);      /* 24 */
    CHECK_STR(why, "name too long");
    CHECK_EQ(parse("/g name=a/b"), -1);
    CHECK_STR(why, "name has characters other than [A-Za-z0-9._-]");
    CHECK_EQ(parse("/g name=a:b"), -1);
    CHECK_EQ(parse("/g name="), -1);
    CHECK_STR(why, "empty name");
    CHECK_EQ(parse("/g name=first name=second"), 0);              /* the last one wins */
    CHECK_STR(ml.name, "second");
}

/* mem= of s: the KiB, or -1 when refused. */
static long mem(const char *value)
{
    char line[64];
    snprintf(line, sizeof line, "/g mem=%s", value);
    if (parse(line) != 0) {
        CHECK_STR(why, "bad mem= value (a multiple of 4K from 64K to 3G; suffix K, M or G, none = K)");
        return -1;
    }
    return (long)ml.mem_kb;
}

TEST(modline_mem, "mem= with K, M, G or no suffix; bounds and junk refused")
{
    CHECK_EQ(mem("16M"), 16384);
    CHECK_EQ(mem("512K"), 512);
    CHECK_EQ(mem("1G"), 1048576);
    CHECK_EQ(mem("4096"), 4096);
    CHECK_EQ(mem("64"), 64);
    CHECK_EQ(mem("64k"), 64);
    CHECK_EQ(mem("2m"), 2048);
    CHECK_EQ(mem("3G"), 3145728);
    CHECK_EQ(mem("3072M"), 3145728);
    CHECK_EQ(mem("0016M"), 16384);
    CHECK_EQ(mem("3073M"), -1);        /* above 3 GiB */
    CHECK_EQ(mem("4G"), -1);
    CHECK_EQ(mem("60"), -1);           /* below 64 KiB */
    CHECK_EQ(mem("0"), -1);
    CHECK_EQ(mem("66"), -1);           /* not a multiple of 4 KiB */
    CHECK_EQ(mem(""), -1);
    CHECK_EQ(mem("M"), -1);
    CHECK_EQ(mem("16MB"), -1);
    CHECK_EQ(mem("16T"), -1);
    CHECK_EQ(mem("-16M"), -1);
    CHECK_EQ(mem("0x100"), -1);
    CHECK_EQ(mem("99999999999999999999999M"), -1);   /* overflow */
    CHECK_EQ(mem("4294967300K"), -1);
    CHECK_EQ(mem("18014398509481984G"), -1);         /* 2^54: 2^74 KiB once scaled */
}

TEST(modline_unknown, "an unknown option refuses the module, with the path already filled in")
{
    CHECK_EQ(parse("/boot/x.elf verbose"), -1);
    CHECK_STR(why, "unknown option 'verbose'");
    CHECK_STR(ml.path, "/boot/x.elf");
    CHECK_EQ(parse("/boot/x.elf memory=4M"), -1);
    CHECK_STR(why, "unknown option 'memory=4M'");
    CHECK_EQ(parse("/boot/x.elf a'b=0123456789012345678901234567890123456789X"), -1);
    CHECK_STR(why, "unknown option 'a?b=012345678901234567890123456789012345...'");
    CHECK_EQ(parse("/boot/x.elf --foo"), -1);
    CHECK_EQ(parse("/boot/x.elf NAME=a"), -1);
    CHECK_EQ(parse("/boot/x.elf mem=4M bogus -- ok"), -1);
}

TEST(modline_cmdline, "everything after -- is the guest's, kept verbatim")
{
    CHECK_EQ(parse("/boot/linux name=lx mem=64M -- console=rv0  root=/dev/ram0 -- mem=x "), 0);
    CHECK_STR(ml.name, "lx");
    CHECK_EQ(ml.mem_kb, 65536);
    CHECK_STR(ml.cmdline, "console=rv0  root=/dev/ram0 -- mem=x ");
    CHECK_EQ(parse("/boot/g --"), 0);
    CHECK_STR(ml.cmdline, "");
    CHECK_EQ(parse("/boot/g -- "), 0);
    CHECK_STR(ml.cmdline, "");
    CHECK_EQ(parse("/boot/g --   a"), 0);
    CHECK_STR(ml.cmdline, "  a");            /* one blank separates, the rest is kept */
    CHECK_EQ(parse("/boot/g\t--\tx"), 0);
    CHECK_STR(ml.cmdline, "x");
    CHECK_EQ(parse("/boot/g -- name=bad/name"), 0);
    CHECK_STR(ml.name, "g");                 /* options after -- are not ours */
}

TEST(modline_cmdline_long, "a guest command line longer than RV_CMDLINE_MAX-1 is refused")
{
    static char line[RV_CMDLINE_MAX + 64];
    size_t head = strlen("/g -- ");

    strcpy(line, "/g -- ");
    memset(line + head, 'c', RV_CMDLINE_MAX - 1);
    line[head + RV_CMDLINE_MAX - 1] = '\0';
    CHECK_EQ(parse(line), 0);
    CHECK_EQ(strlen(ml.cmdline), RV_CMDLINE_MAX - 1);
    line[head + RV_CMDLINE_MAX - 1] = 'c';
    line[head + RV_CMDLINE_MAX] = '\0';
    CHECK_EQ(parse(line), -1);
    CHECK_STR(why, "guest command line too long");
}

static struct monline mon;

TEST(monline_smp, "monitor line: acpi=off and apic-extra=N (0..254) for smp.c")
{
    monline_parse("", &mon);
    CHECK_EQ(mon.no_acpi, 0);
    CHECK_EQ(mon.apic_extra, -1);
    monline_parse("autoexit acpi=off apic-extra=7", &mon);
    CHECK_EQ(mon.no_acpi, 1);
    CHECK_EQ(mon.apic_extra, 7);
    monline_parse("acpi=on acpi=offx apic-extra=255 apic-extra= apic-extra=3x", &mon);
    CHECK_EQ(mon.no_acpi, 0);
    CHECK_EQ(mon.apic_extra, -1);
    monline_parse("apic-extra=0", &mon);
    CHECK_EQ(mon.apic_extra, 0);
}

TEST(monline, "monitor line: autoexit, quantum=N (1..1000), other words ignored")
{
    memset(&mon, 0x5a, sizeof mon);
    CHECK_EQ(monline_parse("", &mon), 0);
    CHECK_EQ(mon.autoexit, 0);
    CHECK_EQ(mon.quantum_ms, 10);
    CHECK_EQ(mon.ratelimit_us, 2000);
    monline_parse("ratelimit=0", &mon);
    CHECK_EQ(mon.ratelimit_us, 0);
    monline_parse("ratelimit=100000", &mon);
    CHECK_EQ(mon.ratelimit_us, 100000);
    monline_parse("ratelimit=100001 ratelimit=1ms ratelimit=", &mon);
    CHECK_EQ(mon.ratelimit_us, 2000);
    CHECK_EQ(monline_parse("/boot/ringvisor autoexit quantum=5", &mon), 0);
    CHECK_EQ(mon.autoexit, 1);
    CHECK_EQ(mon.quantum_ms, 5);
    monline_parse("quantum=1000", &mon);
    CHECK_EQ(mon.autoexit, 0);
    CHECK_EQ(mon.quantum_ms, 1000);
    monline_parse("quantum=1", &mon);
    CHECK_EQ(mon.quantum_ms, 1);
    monline_parse("quantum=0", &mon);
    CHECK_EQ(mon.quantum_ms, 10);
    monline_parse("quantum=1001", &mon);
    CHECK_EQ(mon.quantum_ms, 10);
    monline_parse("quantum=5ms quantum= quantum=-3 quantum=99999999999999999999", &mon);
    CHECK_EQ(mon.quantum_ms, 10);
    monline_parse("autoexitx noautoexit xautoexit", &mon);
    CHECK_EQ(mon.autoexit, 0);
    monline_parse("\tautoexit\t", &mon);
    CHECK_EQ(mon.autoexit, 1);
    CHECK_EQ(monline_parse("console=ttyS0 debug --", &mon), 0);
}

TEST(monline_console, "monitor line: console=lines|terminal, default lines with autoexit, terminal without")
{
    monline_parse("", &mon);
    CHECK_EQ(mon.console_lines, 0);
    monline_parse("autoexit", &mon);
    CHECK_EQ(mon.console_lines, 1);
    monline_parse("autoexit console=terminal", &mon);
    CHECK_EQ(mon.console_lines, 0);
    monline_parse("console=terminal autoexit", &mon);
    CHECK_EQ(mon.console_lines, 0);
    monline_parse("console=lines", &mon);
    CHECK_EQ(mon.console_lines, 1);
    monline_parse("console=line console=terminals console=", &mon);
    CHECK_EQ(mon.console_lines, 0);
}

TEST(modline_sched, "weight=, cap= and restart= set the domain's scheduling and restart policy")
{
    CHECK_EQ(parse("/g.elf"), 0);
    CHECK_EQ(ml.weight, 256);
    CHECK_EQ(ml.cap, 0);
    CHECK_EQ(ml.restart, RESTART_REBOOT);
    CHECK_EQ(parse("/g.elf weight=768 cap=50 restart=always"), 0);
    CHECK_EQ(ml.weight, 768);
    CHECK_EQ(ml.cap, 50);
    CHECK_EQ(ml.restart, RESTART_ALWAYS);
    CHECK_EQ(parse("/g.elf restart=never"), 0);
    CHECK_EQ(ml.restart, RESTART_NEVER);
    CHECK_EQ(parse("/g.elf weight=0"), -1);
    CHECK_EQ(parse("/g.elf weight="), -1);
    CHECK_EQ(parse("/g.elf weight=65536"), -1);
    CHECK_EQ(parse("/g.elf cap=101"), -1);
    CHECK_EQ(parse("/g.elf cap=x"), -1);
    CHECK_EQ(parse("/g.elf restart=sometimes"), -1);
}

TEST(modline_initrd, "initrd=next marks the next module as the guest's initrd")
{
    CHECK_EQ(parse("/vmlinux mem=64M"), 0);
    CHECK_EQ(ml.initrd_next, 0);
    CHECK_EQ(parse("/vmlinux initrd=next mem=64M"), 0);
    CHECK_EQ(ml.initrd_next, 1);
    CHECK_EQ(parse("/vmlinux initrd=prev"), -1);
    CHECK_EQ(parse("/vmlinux initrd="), -1);
}

TEST(modline_control, "control makes a control domain (ABI 1.6); control=x is unknown")
{
    CHECK_EQ(parse("/ctl.elf mem=1M"), 0);
    CHECK_EQ(ml.control, 0);
    CHECK_EQ(parse("/ctl.elf control mem=1M"), 0);
    CHECK_EQ(ml.control, 1);
    CHECK_EQ(parse("/ctl.elf -- control"), 0);
    CHECK_EQ(ml.control, 0);
    CHECK_EQ(parse("/ctl.elf control=1"), -1);
    CHECK_EQ(parse("/ctl.elf controls"), -1);
}

TEST(modline_devices, "console=virtio and disk= add devices in the order given, each with its kind and region")
{
    CHECK_EQ(parse("/g.elf"), 0);
    CHECK_EQ(ml.nr_devs, 0);
    CHECK_EQ(parse("/g.elf console=virtio disk=next disk=ram:64K:ro disk=ata0:2048+4096 disk=ata1:0+1:ro -- x"), 0);
    CHECK_EQ(ml.nr_devs, 5);
    CHECK_EQ(ml.devs[0].kind, MLDEV_CONSOLE);
    CHECK_EQ(ml.devs[1].kind, MLDEV_DISK_NEXT);
    CHECK_EQ(ml.devs[1].ro, 0);
    CHECK_EQ(ml.devs[2].kind, MLDEV_DISK_RAM);
    CHECK_EQ(ml.devs[2].sectors, 128);
    CHECK_EQ(ml.devs[2].ro, 1);
    CHECK_EQ(ml.devs[3].kind, MLDEV_DISK_ATA);
    CHECK_EQ(ml.devs[3].drive, 0);
    CHECK_EQ(ml.devs[3].start, 2048);
    CHECK_EQ(ml.devs[3].sectors, 4096);
    CHECK_EQ(ml.devs[3].ro, 0);
    CHECK_EQ(ml.devs[4].drive, 1);
    CHECK_EQ(ml.devs[4].start, 0);
    CHECK_EQ(ml.devs[4].sectors, 1);
    CHECK_EQ(ml.devs[4].ro, 1);
    CHECK_STR(ml.cmdline, "x");
    CHECK_EQ(parse("disk=next:ro"), 0);                 /* GRUB: no path */
    CHECK_EQ(ml.devs[0].ro, 1);
    CHECK_EQ(parse("/g disk=ram:1M"), 0);
    CHECK_EQ(ml.devs[0].sectors, 2048);
    CHECK_EQ(parse("/g disk=ram:1G"), 0);
    CHECK_EQ(ml.devs[0].sectors, 2097152);
    CHECK_EQ(parse("/g disk=ata0:281474976710655+1"), 0);  /* the last LBA48 sector */
    CHECK_EQ(ml.devs[0].start, 281474976710655ull);
    CHECK_EQ(parse("/g -- disk=bogus console=x"), 0);     /* the guest's words */
    CHECK_EQ(ml.nr_devs, 0);
}

TEST(modline_devices_bad, "bad device options refuse the module with a reason")
{
    static const char *const bad_disks[] = {
        "disk=", "disk=nex", "disk=next:rw", "disk=ram:", "disk=ram:0", "disk=ram:6K", "disk=ram:2G",
        "disk=ram:1X", "disk=ram:1M:r", "disk=ata2:0+1", "disk=ata0:", "disk=ata0:5", "disk=ata0:5+",
        "disk=ata0:5+0", "disk=ata0:+5", "disk=ata0:1+2x", "disk=ata0:281474976710655+2",
        "disk=ata0:99999999999999999999+1", "disk=ata:0+1", "disk=ATA0:0+1",
    };
    for (unsigned i = 0; i < sizeof bad_disks / sizeof bad_disks[0]; i++) {
        char line[80];
        snprintf(line, sizeof line, "/g.elf %s", bad_disks[i]);
        CHECK_EQ(parse(line), -1);
        CHECK(why && strncmp(why, "bad disk= value", 15) == 0);
        CHECK_STR(ml.path, "/g.elf");
    }
    CHECK_EQ(parse("/g console=serial"), -1);
    CHECK_STR(why, "bad console= value (virtio)");
    CHECK_EQ(parse("/g console="), -1);
    CHECK_EQ(parse("/g console=virtio disk=next console=virtio"), -1);
    CHECK_STR(why, "more than one virtio console");
    CHECK_EQ(parse("/g disk=next disk=next disk=next disk=next disk=next disk=next disk=next disk=next"), 0);
    CHECK_EQ(ml.nr_devs, 8);
    CHECK_EQ(parse("/g disk=next disk=next disk=next disk=next disk=next disk=next disk=next disk=next "
                   "disk=next"), -1);
    CHECK_STR(why, "too many devices");
}

TEST(modline_net, "net=switch adds a network device: uplink and mac= after ':' or ',', in any order")
{
    CHECK_EQ(parse("/g.elf net=switch"), 0);
    CHECK_EQ(ml.nr_devs, 1);
    CHECK_EQ(ml.devs[0].kind, MLDEV_NET);
    CHECK_EQ(ml.devs[0].uplink, 0);
    CHECK_EQ(ml.devs[0].has_mac, 0);
    CHECK_EQ(parse("/g.elf console=virtio net=switch:uplink net=switch:mac=52:54:00:Ab:cD:0f:uplink"), 0);
    CHECK_EQ(ml.nr_devs, 3);
    CHECK_EQ(ml.devs[1].kind, MLDEV_NET);
    CHECK_EQ(ml.devs[1].uplink, 1);
    CHECK_EQ(ml.devs[1].has_mac, 0);
    CHECK_EQ(ml.devs[2].uplink, 1);
    CHECK_EQ(ml.devs[2].has_mac, 1);
    static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0xab, 0xcd, 0x0f };
    CHECK(memcmp(ml.devs[2].mac, mac, 6) == 0);
    CHECK_EQ(parse("/g net=switch,mac=02:00:00:00:00:01,uplink"), 0);   /* commas as in the brief */
    CHECK_EQ(ml.devs[0].uplink, 1);
    CHECK_EQ(ml.devs[0].mac[5], 1);
    CHECK_EQ(modline_modules_used(&ml), 1);
}

TEST(modline_net_bad, "bad net= values refuse the module")
{
    static const char *const bad[] = {
        "net=", "net=swit", "net=switchx", "net=switch:", "net=switch:up", "net=switch:uplinks",
        "net=switch:mac=", "net=switch:mac=52:54:00:00:00", "net=switch:mac=52:54:00:00:00:0g",
        "net=switch:mac=52:54:00:00:00:001", "net=switch:mac=52-54-00-00-00-01",
        "net=switch:mac=01:00:5e:00:00:01", "net=switch:mac=00:00:00:00:00:00", "net=switch;uplink",
        "net=tap", "net=switch::uplink",
    };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char line[80];
        snprintf(line, sizeof line, "/g.elf %s", bad[i]);
        CHECK_EQ(parse(line), -1);
        CHECK(why && strncmp(why, "bad net= value", 14) == 0);
    }
}
