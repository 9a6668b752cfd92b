/*
 * monitor/cpufind.c: which processors the machine has, from the firmware's
 * tables: the ACPI MADT first (ACPI 6.x section 5.2.12), the Intel
 * MultiProcessor Specification 1.4 table if there is no MADT.  Only the
 * local APIC ids come out: smp.c starts the CPUs by them.
 *
 * Both tables are found by a signature scan of low memory and trusted only
 * with a good checksum (every byte of the structure sums to 0 mod 256).
 * The tables the pointers lead to may lie anywhere below 4 GiB, beyond the
 * monitor's 48 MiB direct map, so they are copied out a page at a time
 * through the frame window (paging.c map_frame) before they are read.
 */
#include "smp.h"
#include "console.h"
#include "layout.h"
#include "paging.h"
#include "rvlib.h"

#define TABLE_MAX 4096 /* the largest MADT / MP table read (QEMU's: a few hundred bytes) */

static uint8_t buf[TABLE_MAX];

/* len bytes at physical pa (below 4 GiB) into dst. */
static void phys_copy(void *dst, uint32_t pa, uint32_t len)
{
    uint8_t *d = dst;
    while (len) {
        uint32_t in_page = 4096 - (pa & 4095), n = len < in_page ? len : in_page;
        uint8_t *p = map_frame(pa >> 12);
        memcpy(d, p + (pa & 4095), n);
        unmap_frame(p);
        d += n, pa += n, len -= n;
    }
}

static int sum_ok(const uint8_t *p, uint32_t len)
{
    uint8_t s = 0;
    for (uint32_t i = 0; i < len; i++)
        s += p[i];
    return s == 0;
}

/* A 16-byte aligned signature in [lo, hi) of the first MiB (direct map). */
static uint32_t scan(uint32_t lo, uint32_t hi, const char *sig, uint32_t siglen, uint32_t sumlen)
{
    for (uint32_t pa = lo; pa + sumlen <= hi; pa += 16)
        if (memcmp(PA2VA(pa), sig, siglen) == 0 && sum_ok(PA2VA(pa), sumlen))
            return pa;
    return 0;
}

/* The EBDA's segment is the word at 0x40e of the BIOS data area. */
static uint32_t ebda(void)
{
    uint32_t pa = (uint32_t)*(volatile uint16_t *)PA2VA(0x40e) << 4;
    return pa >= 0x80000 && pa < 0xa0000 ? pa : 0;
}

/* ---- ACPI ---------------------------------------------------------------- */

/* The RSDP: in the EBDA's first KiB or the BIOS area 0xE0000-0xFFFFF
 * (ACPI 5.2.5.1); the first 20 bytes carry the ACPI 1.0 checksum. */
static uint32_t rsdp_find(void)
{
    uint32_t e = ebda(), pa = e ? scan(e, e + 1024, "RSD PTR ", 8, 20) : 0;
    return pa ? pa : scan(0xe0000, 0x100000, "RSD PTR ", 8, 20);
}

/* A system description table at pa into buf, if its checksum holds; its length or 0. */
static uint32_t sdt_read(uint32_t pa, const char *sig)
{
    uint32_t len;
    phys_copy(buf, pa, 36); /* the common header (ACPI 5.2.6) */
    memcpy(&len, buf + 4, 4);
    if ((sig && memcmp(buf, sig, 4) != 0) || len < 36 || len > TABLE_MAX)
        return 0;
    phys_copy(buf, pa, len);
    return sum_ok(buf, len) ? len : 0;
}

/* The MADT's physical address through the XSDT (ACPI 2.0+, 64-bit
 * entries) or the RSDT (32-bit entries). */
static uint32_t madt_find(void)
{
    uint32_t rsdp = rsdp_find();
    if (!rsdp)
        return 0;
    const uint8_t *r = PA2VA(rsdp);
    uint32_t root, len, width = 4;
    memcpy(&root, r + 16, 4);
    if (r[15] >= 2 && rsdp + 36 <= 0x100000 && sum_ok(r, 36)) { /* revision 2: XSDT */
        uint64_t x;
        memcpy(&x, r + 24, 8);
        if (x && x < (1ull << 32))
            root = (uint32_t)x, width = 8;
    }
    if (!root || !(len = sdt_read(root, width == 8 ? "XSDT" : "RSDT")))
        return 0;
    uint32_t n = (len - 36) / width, tables[64];
    if (n > 64)
        n = 64;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t e = 0;
        memcpy(&e, buf + 36 + i * width, width);
        tables[i] = e < (1ull << 32) ? (uint32_t)e : 0;
    }
    for (uint32_t i = 0; i < n; i++) {
        char sig[4];
        if (!tables[i])
            continue;
        phys_copy(sig, tables[i], 4);
        if (memcmp(sig, "APIC", 4) == 0)
            return tables[i];
    }
    return 0;
}

/* MADT entries of type 0, "Processor Local APIC" (ACPI 5.2.12.2): byte 3
 * is the APIC id, flags bit 0 Enabled, bit 1 Online Capable (a CPU that
 * may be hot-added: not started at boot). */
static int madt_cpus(uint8_t *ids, int max)
{
    uint32_t pa = madt_find(), len = pa ? sdt_read(pa, "APIC") : 0;
    int n = 0;
    for (uint32_t off = 44; len && off + 2 <= len && buf[off + 1] >= 2; off += buf[off + 1]) {
        const uint8_t *e = buf + off;
        uint32_t flags;
        if (e[0] != 0 || e[1] < 8 || off + 8 > len)
            continue;
        memcpy(&flags, e + 4, 4);
        if ((flags & 1) && n < max)
            ids[n++] = e[3];
    }
    return len ? n : -1;
}

/* ---- the MP table ----------------------------------------------------------- */

/* The floating pointer "_MP_" (MP spec 4.1): EBDA's first KiB, the last
 * KiB of base memory, or the BIOS ROM 0xF0000-0xFFFFF; 16 bytes. */
static uint32_t mpfp_find(void)
{
    uint32_t e = ebda(), pa = e ? scan(e, e + 1024, "_MP_", 4, 16) : 0;
    if (!pa)
        pa = scan(0x9fc00, 0xa0000, "_MP_", 4, 16);
    return pa ? pa : scan(0xf0000, 0x100000, "_MP_", 4, 16);
}

/* Processor entries (type 0, 20 bytes, MP spec 4.3.1): byte 1 the APIC
 * id, byte 3 bit 0 "usable"; the other entry types are 8 bytes. */
static int mptable_cpus(uint8_t *ids, int max)
{
    uint32_t fp = mpfp_find(), cfg = 0;
    uint16_t len, count;
    if (!fp)
        return -1;
    memcpy(&cfg, (uint8_t *)PA2VA(fp) + 4, 4);
    if (!cfg)
        return -1; /* a "default configuration": no table, MP spec 5 */
    phys_copy(buf, cfg, 44);
    memcpy(&len, buf + 4, 2);
    memcpy(&count, buf + 34, 2);
    if (memcmp(buf, "PCMP", 4) != 0 || len < 44 || len > TABLE_MAX)
        return -1;
    phys_copy(buf, cfg, len);
    if (!sum_ok(buf, len))
        return -1;
    int n = 0;
    for (uint32_t off = 44, i = 0; i < count && off < len; i++) {
        if (buf[off] != 0) {
            off += 8;
            continue;
        }
        if (off + 20 <= len && (buf[off + 3] & 1) && n < max)
            ids[n++] = buf[off + 1];
        off += 20;
    }
    return n;
}

int cpus_discover(uint8_t *ids, int max, int use_acpi, const char **source)
{
    int n = use_acpi ? madt_cpus(ids, max) : -1;
    *source = "ACPI MADT";
    if (n <= 0) {
        n = mptable_cpus(ids, max);
        *source = "MP table";
    }
    return n < 0 ? 0 : n;
}
