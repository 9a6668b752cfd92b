/* SPDX-License-Identifier: MIT */
/*
 * monitor/modline.c: parsing the monitor's and each guest module's
 * Multiboot command line (syntax in tests/PROTOCOL.md).
 *
 * A module line is "[<path>] [name=N] [mem=S] [weight=W] [cap=C]
 * [restart=never|reboot|always] [initrd=next] [console=virtio]
 * [disk=...]... [net=...]... [-- <guest command line>]" (devices: modline.h).
 * QEMU's -initrd hands the path over as the first word; GRUB 2's "module"
 * command does not (only the words after the file name), so a first word
 * with '=' in it, or "--", is taken as an option, not a path (a GRUB
 * config can repeat the path, as tools/mkiso.sh does, to name the module
 * in messages).  Everything after " -- " belongs to the guest and is
 * copied byte for byte; before it, an unknown word refuses the module, so
 * a typo never silently boots a guest with the wrong memory size.
 */
#include <stdint.h>
#include "modline.h"
#include "rvlib.h"

#define DEFAULT_MEM_KB 4096
#define MIN_MEM_KB 64
#define MAX_MEM_KB (3u * 1024 * 1024)
#define DEFAULT_QUANTUM_MS 10
#define MAX_QUANTUM_MS 1000
#define DEFAULT_RATELIMIT_US 2000
#define MAX_RATELIMIT_US 100000

static int is_space(char c)
{
    return c == ' ' || c == '\t';
}

static const char *skip_spaces(const char *s)
{
    while (is_space(*s))
        s++;
    return s;
}

static size_t word_len(const char *s)
{
    size_t n = 0;
    while (s[n] && !is_space(s[n]))
        n++;
    return n;
}

/* Does the word [w, w + len) start with key (e.g. "mem=")? */
static int has_key(const char *w, size_t len, const char *key)
{
    size_t k = strlen(key);
    return len >= k && strncmp(w, key, k) == 0;
}

static int name_char_ok(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '-';
}

/* Copies a word into dst[size], ending it with "..." when it does not fit. */
static void copy_truncated(char *dst, size_t size, const char *w, size_t len)
{
    if (len < size) {
        memcpy(dst, w, len);
        dst[len] = '\0';
        return;
    }
    memcpy(dst, w, size - 4);
    memcpy(dst + size - 4, "...", 4);
}

/*
 * The name a module gets without name=: its path's basename without the
 * extension, cut to fit, with characters a name may not hold made '_'.
 */
static void default_name(char *name, const char *path, size_t len)
{
    const char *base = path, *dot = NULL;
    size_t n;

    for (size_t i = 0; i < len; i++)
        if (path[i] == '/')
            base = path + i + 1;
    len -= (size_t)(base - path);
    for (size_t i = 1; i < len; i++)   /* a leading dot is not an extension */
        if (base[i] == '.')
            dot = base + i;
    if (dot)
        len = (size_t)(dot - base);
    if (len == 0) {
        strlcpy(name, "guest", DOM_NAME_MAX);
        return;
    }
    n = len < DOM_NAME_MAX - 1 ? len : DOM_NAME_MAX - 1;
    for (size_t i = 0; i < n; i++)
        name[i] = name_char_ok(base[i]) ? base[i] : '_';
    name[n] = '\0';
}

static const char *parse_name(const char *v, size_t len, char *name)
{
    if (len == 0)
        return "empty name";
    if (len >= DOM_NAME_MAX)
        return "name too long";
    for (size_t i = 0; i < len; i++)
        if (!name_char_ok(v[i]))
            return "name has characters other than [A-Za-z0-9._-]";
    memcpy(name, v, len);
    name[len] = '\0';
    return NULL;
}

/* A decimal number of [v, v + len) up to limit; returns the number of digits used. */
static size_t parse_decimal(const char *v, size_t len, uint64_t limit, uint64_t *out)
{
    size_t i = 0;
    uint64_t n = 0;

    for (; i < len && v[i] >= '0' && v[i] <= '9'; i++) {
        n = n * 10 + (uint64_t)(v[i] - '0');
        if (n > limit)
            return 0;
    }
    *out = n;
    return i;
}

#define MEM_RULE "bad mem= value (a multiple of 4K from 64K to 3G; suffix K, M or G, none = K)"

/* "<decimal>[K|M|G]", default unit KiB. */
static const char *parse_mem(const char *v, size_t len, uint32_t *kb)
{
    uint64_t n, shift = 0;
    size_t d = parse_decimal(v, len, MAX_MEM_KB, &n);

    if (d == 0 || len - d > 1)
        return MEM_RULE;
    if (len - d == 1) {
        switch (v[d]) {
        case 'K': case 'k': shift = 0; break;
        case 'M': case 'm': shift = 10; break;
        case 'G': case 'g': shift = 20; break;
        default: return MEM_RULE;
        }
    }
    n <<= shift;   /* n <= 3 Gi before the shift: no overflow in 64 bits */
    if (n % 4 || n < MIN_MEM_KB || n > MAX_MEM_KB)
        return MEM_RULE;
    *kb = (uint32_t)n;
    return NULL;
}

/* The text after "--": one separating blank is dropped, the rest kept verbatim. */
static const char *copy_cmdline(const char *rest, char *cmdline)
{
    if (is_space(*rest))
        rest++;
    if (strlen(rest) >= RV_CMDLINE_MAX)
        return "guest command line too long";
    strlcpy(cmdline, rest, RV_CMDLINE_MAX);
    return NULL;
}

static const char *parse_number(const char *v, size_t len, uint64_t lo, uint64_t hi, uint32_t *out,
                                const char *bad)
{
    uint64_t n;
    if (len == 0 || parse_decimal(v, len, hi, &n) != len || n < lo)
        return bad;
    *out = (uint32_t)n;
    return NULL;
}

static const char *parse_restart(const char *v, size_t len, uint32_t *out)
{
    static const char *const words[] = { "never", "reboot", "always" };
    for (uint32_t i = 0; i < 3; i++)
        if (strlen(words[i]) == len && memcmp(v, words[i], len) == 0) {
            *out = i;
            return NULL;
        }
    return "bad restart= value (never, reboot or always)";
}

/* ---- devices ------------------------------------------------------------- */

#define MAX_RAM_DISK_KB (1024u * 1024)
#define ATA_MAX_SECTOR (1ull << 48)   /* LBA48 */
#define BAD_DISK "bad disk= value (next, ram:SIZE or ataN:START+COUNT, then :ro if read-only)"

/* Takes a trailing ":ro" off [v, v + *len). */
static int take_ro(const char *v, size_t *len)
{
    if (*len >= 3 && memcmp(v + *len - 3, ":ro", 3) == 0) {
        *len -= 3;
        return 1;
    }
    return 0;
}

/* "ataN:START+COUNT", N 0 or 1, in sectors, inside the 48-bit LBA range. */
static const char *parse_ata(const char *v, size_t len, struct ml_dev *dev)
{
    uint64_t start, count;
    size_t d;

    if (len < 6 || memcmp(v, "ata", 3) != 0 || (v[3] != '0' && v[3] != '1') || v[4] != ':')
        return BAD_DISK;
    dev->drive = (uint8_t)(v[3] - '0');
    v += 5;
    len -= 5;
    d = parse_decimal(v, len, ATA_MAX_SECTOR, &start);
    if (d == 0 || d >= len || v[d] != '+')
        return BAD_DISK;
    v += d + 1;
    len -= d + 1;
    if (len == 0 || parse_decimal(v, len, ATA_MAX_SECTOR, &count) != len || count == 0 ||
        start + count > ATA_MAX_SECTOR)
        return BAD_DISK;
    dev->kind = MLDEV_DISK_ATA;
    dev->start = start;
    dev->sectors = count;
    return NULL;
}

/* "SIZE" of a RAM disk: like mem=, a multiple of 4 KiB, 4 KiB .. 1 GiB. */
static const char *parse_ram(const char *v, size_t len, struct ml_dev *dev)
{
    uint64_t n, shift = 0;
    size_t d = parse_decimal(v, len, MAX_RAM_DISK_KB, &n);

    if (d == 0 || len - d > 1)
        return BAD_DISK;
    if (len - d == 1) {
        switch (v[d]) {
        case 'K': case 'k': shift = 0; break;
        case 'M': case 'm': shift = 10; break;
        case 'G': case 'g': shift = 20; break;
        default: return BAD_DISK;
        }
    }
    n <<= shift;
    if (n % 4 || n < 4 || n > MAX_RAM_DISK_KB)
        return BAD_DISK;
    dev->kind = MLDEV_DISK_RAM;
    dev->sectors = n * 2;
    return NULL;
}

static const char *parse_disk(const char *v, size_t len, struct ml_dev *dev)
{
    dev->ro = (uint8_t)take_ro(v, &len);
    if (len == 4 && memcmp(v, "next", 4) == 0) {
        dev->kind = MLDEV_DISK_NEXT;
        return NULL;
    }
    if (len > 4 && memcmp(v, "ram:", 4) == 0)
        return parse_ram(v + 4, len - 4, dev);
    return parse_ata(v, len, dev);
}

static const char *parse_console(const char *v, size_t len, struct modline *out, struct ml_dev *dev)
{
    if (len != 6 || memcmp(v, "virtio", 6) != 0)
        return "bad console= value (virtio)";
    for (uint32_t i = 0; i < out->nr_devs; i++)
        if (out->devs[i].kind == MLDEV_CONSOLE)
            return "more than one virtio console";
    dev->kind = MLDEV_CONSOLE;
    return NULL;
}

#define BAD_NET "bad net= value (switch, then :uplink and/or :mac=xx:xx:xx:xx:xx:xx)"

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* "xx:xx:xx:xx:xx:xx" (17 characters): a unicast MAC, not all zeros. */
static const char *parse_mac(const char *v, size_t len, uint8_t mac[6])
{
    if (len != 17)
        return BAD_NET;
    for (int i = 0; i < 6; i++) {
        int hi = hex_digit(v[3 * i]), lo = hex_digit(v[3 * i + 1]);
        if (hi < 0 || lo < 0 || (i < 5 && v[3 * i + 2] != ':'))
            return BAD_NET;
        mac[i] = (uint8_t)(hi << 4 | lo);
    }
    if ((mac[0] & 1) || !(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]))
        return BAD_NET;   /* a group address, or none */
    return NULL;
}

static int is_net_sep(char c)
{
    return c == ':' || c == ',';
}

/*
 * "switch" then options, each after ':' or ',' (QEMU's -initrd splits
 * modules at commas, so ':' is the one that always works): "uplink",
 * "mac=xx:xx:xx:xx:xx:xx".
 */
static const char *parse_net(const char *v, size_t len, struct ml_dev *dev)
{
    if (len < 6 || memcmp(v, "switch", 6) != 0)
        return BAD_NET;
    dev->kind = MLDEV_NET;
    for (size_t i = 6; i < len;) {
        if (!is_net_sep(v[i++]))
            return BAD_NET;
        if (len - i >= 6 && memcmp(v + i, "uplink", 6) == 0 && (len - i == 6 || is_net_sep(v[i + 6]))) {
            dev->uplink = 1;
            i += 6;
        } else if (len - i >= 4 + 17 && memcmp(v + i, "mac=", 4) == 0) {
            if (parse_mac(v + i + 4, 17, dev->mac))
                return BAD_NET;
            dev->has_mac = 1;
            i += 4 + 17;
        } else {
            return BAD_NET;
        }
    }
    return NULL;
}

/* console=, disk= and net= each add a device after those before it. */
static const char *parse_device(const char *w, size_t len, struct modline *out)
{
    struct ml_dev dev;
    const char *problem;

    memset(&dev, 0, sizeof dev);
    if (out->nr_devs == ML_MAX_DEVS)
        return "too many devices";
    if (has_key(w, len, "disk="))
        problem = parse_disk(w + 5, len - 5, &dev);
    else if (has_key(w, len, "net="))
        problem = parse_net(w + 4, len - 4, &dev);
    else
        problem = parse_console(w + 8, len - 8, out, &dev);
    if (!problem)
        out->devs[out->nr_devs++] = dev;
    return problem;
}

/* "unknown option 'WORD'", the word cut at 40 bytes and shown printable:
 * the line is parsed at boot, one module at a time, so one buffer does. */
static const char *unknown_option(const char *w, size_t len)
{
    static char buf[64];
    char word[41];
    size_t n = len < sizeof word - 1 ? len : sizeof word - 1;

    for (size_t i = 0; i < n; i++)
        word[i] = w[i] > ' ' && w[i] < 0x7f && w[i] != '\'' ? w[i] : '?';
    word[n] = 0;
    rv_snprintf(buf, sizeof buf, "unknown option '%s%s'", word, n < len ? "..." : "");
    return buf;
}

static const char *parse_option(const char *w, size_t len, struct modline *out)
{
    if (has_key(w, len, "disk=") || has_key(w, len, "console=") || has_key(w, len, "net="))
        return parse_device(w, len, out);
    if (has_key(w, len, "weight="))
        return parse_number(w + 7, len - 7, 1, 65535, &out->weight, "bad weight= value (1-65535)");
    if (has_key(w, len, "cap="))
        return parse_number(w + 4, len - 4, 0, 100, &out->cap, "bad cap= value (0-100)");
    if (has_key(w, len, "restart="))
        return parse_restart(w + 8, len - 8, &out->restart);
    if (has_key(w, len, "initrd=")) {
        out->initrd_next = len == 11 && memcmp(w + 7, "next", 4) == 0;
        return out->initrd_next ? NULL : "bad initrd= value (next)";
    }
    if (has_key(w, len, "name="))
        return parse_name(w + 5, len - 5, out->name);
    if (len == 7 && memcmp(w, "control", 7) == 0) {
        out->control = 1; /* a control domain (ABI.md "Control domains") */
        return NULL;
    }
    if (has_key(w, len, "mem="))
        return parse_mem(w + 4, len - 4, &out->mem_kb);
    return unknown_option(w, len);
}

/* The first word is the module's path unless it is an option or "--". */
static int is_path(const char *w, size_t len)
{
    if (len == 0 || (len == 2 && w[0] == '-' && w[1] == '-'))
        return 0;
    for (size_t i = 0; i < len; i++)
        if (w[i] == '=')
            return 0;
    return 1;
}

int modline_parse(const char *s, struct modline *out, const char **why)
{
    const char *problem = NULL;
    size_t len;

    memset(out, 0, sizeof *out);
    out->mem_kb = DEFAULT_MEM_KB;
    out->weight = 256;
    out->restart = RESTART_REBOOT;
    s = skip_spaces(s);
    len = word_len(s);
    if (!is_path(s, len))
        len = 0;
    copy_truncated(out->path, sizeof out->path, s, len);
    default_name(out->name, s, len);
    for (s += len; !problem; s += len) {
        s = skip_spaces(s);
        len = word_len(s);
        if (len == 0)
            break;
        if (len == 2 && s[0] == '-' && s[1] == '-') {
            problem = copy_cmdline(s + 2, out->cmdline);
            break;
        }
        problem = parse_option(s, len, out);
    }
    if (!problem)
        return 0;
    if (why)
        *why = problem;
    return -1;
}

uint32_t modline_modules_used(const struct modline *ml)
{
    uint32_t n = 1 + (ml->initrd_next != 0);
    for (uint32_t i = 0; i < ml->nr_devs; i++)
        n += ml->devs[i].kind == MLDEV_DISK_NEXT;
    return n;
}

int monline_parse(const char *s, struct monline *out)
{
    uint64_t q;
    size_t len;

    out->autoexit = 0;
    out->no_acpi = 0;
    out->apic_extra = -1;
    out->quantum_ms = DEFAULT_QUANTUM_MS;
    out->ratelimit_us = DEFAULT_RATELIMIT_US;
    int console = -1; /* not given */
    for (s = skip_spaces(s); *s; s = skip_spaces(s + len)) {
        len = word_len(s);
        if (len == 8 && strncmp(s, "autoexit", 8) == 0)
            out->autoexit = 1;
        else if (len == 8 && strncmp(s, "acpi=off", 8) == 0)
            out->no_acpi = 1;
        else if (has_key(s, len, "apic-extra=") && len > 11 &&
                 parse_decimal(s + 11, len - 11, 254, &q) == len - 11)
            out->apic_extra = (int)q;
        else if (len == 13 && strncmp(s, "console=lines", 13) == 0)
            console = 1;
        else if (len == 16 && strncmp(s, "console=terminal", 16) == 0)
            console = 0;
        else if (has_key(s, len, "quantum=") && len > 8 &&
                 parse_decimal(s + 8, len - 8, MAX_QUANTUM_MS, &q) == len - 8 && q >= 1)
            out->quantum_ms = (uint32_t)q;
        else if (has_key(s, len, "ratelimit=") && len > 10 &&
                 parse_decimal(s + 10, len - 10, MAX_RATELIMIT_US, &q) == len - 10)
            out->ratelimit_us = (uint32_t)q;
    }
    /* A run that leaves by itself is a test or a script: it reads lines. */
    out->console_lines = console >= 0 ? console : out->autoexit;
    return 0;
}
