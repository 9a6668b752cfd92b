/*
 * monitor/modline.h: parsing Multiboot command lines: the monitor's own and
 * each guest module's (tests/PROTOCOL.md gives the syntax).  Pure logic:
 * host-testable.
 */
#ifndef MON_MODLINE_H
#define MON_MODLINE_H

#include <stdint.h>
#include "start_info.h"

#define DOM_NAME_MAX 24
#define RESTART_NEVER 0   /* a domain that ends stays ended */
#define RESTART_REBOOT 1  /* started again from its module when it asks (reboot) */
#define RESTART_ALWAYS 2  /* started again whatever the way it ended (up to 5 times in a row) */

/*
 * Devices on the module line (drivers/virtio.c builds them), numbered in
 * the order their options appear:
 *   console=virtio               a virtio console
 *   disk=next[:ro]               the next Multiboot module, in memory, copy-on-write
 *   disk=ram:SIZE[:ro]           a blank in-memory disk (SIZE as mem=, 4K .. 1G)
 *   disk=ataN:START+COUNT[:ro]   sectors START .. START+COUNT-1 of ATA disk N
 *                                (0 = primary master, 1 = primary slave)
 *   net=switch[:uplink][:mac=M]  a virtio-net port on the monitor's switch; uplink
 *                                lets it reach the machine's NIC; M is
 *                                xx:xx:xx:xx:xx:xx (default: derived from the
 *                                domain id).  ',' may stand for ':'
 */
#define ML_MAX_DEVS 8
enum ml_dev_kind { MLDEV_CONSOLE = 1, MLDEV_DISK_NEXT, MLDEV_DISK_RAM, MLDEV_DISK_ATA, MLDEV_NET };

struct ml_dev {
    uint8_t kind;                     /* enum ml_dev_kind */
    uint8_t drive;                    /* ATA: 0 master, 1 slave */
    uint8_t ro;                       /* ":ro": a read-only disk */
    uint64_t start;                   /* ATA: first sector */
    uint64_t sectors;                 /* ATA and RAM: size in 512-byte sectors */
    uint8_t uplink;                   /* net: may exchange frames with the machine's NIC */
    uint8_t has_mac;                  /* net: mac is given (else derived) */
    uint8_t mac[6];                   /* net */
};

struct modline {
    char path[64];                    /* first word, truncated with "..." if longer */
    char name[DOM_NAME_MAX];          /* name= or the path's basename without extension */
    uint32_t mem_kb;                  /* mem=, default 4096 */
    uint32_t weight;                  /* weight=, CPU share, default 256 */
    uint32_t cap;                     /* cap=, % of the CPU at most, 0 = none */
    uint32_t restart;                 /* restart=: RESTART_* (default reboot) */
    int initrd_next;                  /* initrd=next: the next module is its initrd */
    int control;                      /* control: a control domain (domctl, ABI 1.6) */
    struct ml_dev devs[ML_MAX_DEVS];  /* console= and disk= options, in order */
    uint32_t nr_devs;
    char cmdline[RV_CMDLINE_MAX];     /* everything after " -- " */
};

/*
 * Returns 0, or -1 with *why set ("unknown option 'WORD'", in a static
 * buffer valid until the next call; "bad mem= value (a multiple of 4K
 * from 64K to 3G; ...)", "name too long", "empty name", "name has characters other than [A-Za-z0-9._-]",
 * "guest command line too long"; the out->path is filled before any error
 * so callers can name the module).  mem accepts a decimal number with
 * suffix K, M or G (either case; default unit: K) and must be a multiple
 * of 4 KiB, at least 64 KiB, at most 3 GiB.  Words are separated by spaces
 * or tabs; a repeated option takes its last value.  The default name is
 * cut to DOM_NAME_MAX-1 characters, other characters than [A-Za-z0-9._-]
 * become '_', and an empty one becomes "guest".  After the word "--" one
 * blank is dropped and the rest is the guest command line, byte for byte.
 * Device options add one device each (at most ML_MAX_DEVS): "bad disk=
 * value ...", "bad console= value (virtio)", "more than one virtio
 * console", "bad net= value ...", "too many devices".
 */
int modline_parse(const char *s, struct modline *out, const char **why);
/* Multiboot modules the line takes: its own, its initrd, one per disk=next. */
uint32_t modline_modules_used(const struct modline *ml);

struct monline {
    int autoexit;         /* "autoexit" */
    uint32_t quantum_ms;  /* "quantum=N", default 10, 1..1000 */
    uint32_t ratelimit_us; /* "ratelimit=N": a woken domain preempts one that has run N us (0..100000, default 2000) */
    int console_lines;    /* "console=lines": the line view for every domain, "console=terminal": the
                           * focus's raw stream; default: lines with autoexit (automation), else terminal */
    int no_acpi;          /* "acpi=off": find the CPUs from the MP table only (smp.c) */
    int apic_extra;       /* "apic-extra=N": also start local APIC id N, listed or not (-1: none);
                           * a test of smp.c's no-answer path */
};
/* Unknown words, quantum= (ratelimit=) values that are not 1..1000 (0..100000) and console= values other than lines and terminal are ignored (GRUB may add its own words); returns 0. */
int monline_parse(const char *s, struct monline *out);

#endif
