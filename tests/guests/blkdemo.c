/* SPDX-License-Identifier: MIT */
/*
 * tests/guests/blkdemo.c: a guest that uses its virtio disk through
 * libpvguest (pvguest/virtio.h): it reads the first sector, writes a
 * pattern, flushes, reads it back and compares, and prints what it did.
 *
 *   module line:  blkdemo.elf disk=ram:1M [console=virtio] -- [sector=N] [count=N] [seed=N] [mode=M]
 *
 * mode=rw (default) writes, flushes and verifies; mode=write only writes
 * and flushes; mode=verify only reads and checks what an earlier boot
 * wrote with the same seed (a disk=ataN region keeps it across boots).
 * With a virtio console as well, the closing line goes out through it;
 * with the word echo on its command line, lines typed on the serial
 * console come back through the console's receive and transmit queues
 * until "quit".
 */
#include <pvguest.h>

#define MAX_COUNT 64

static uint8_t buf[MAX_COUNT * 512] __attribute__((aligned(4096)));
static struct rv_vblk disk;
static struct rv_vcons vcons;

static uint8_t pattern(uint64_t sector, uint32_t i, uint32_t seed)
{
    uint32_t x = (uint32_t)sector * 2654435761u ^ i * 40503u ^ seed;
    return (uint8_t)(x ^ (x >> 13) ^ (x >> 24));
}

static void fill(uint64_t sector, uint32_t count, uint32_t seed)
{
    for (uint32_t s = 0; s < count; s++)
        for (uint32_t i = 0; i < 512; i++)
            buf[s * 512 + i] = pattern(sector + s, i, seed);
}

/* The first wrong byte, or -1. */
static long check(uint64_t sector, uint32_t count, uint32_t seed)
{
    for (uint32_t s = 0; s < count; s++)
        for (uint32_t i = 0; i < 512; i++)
            if (buf[s * 512 + i] != pattern(sector + s, i, seed))
                return (long)(s * 512 + i);
    return -1;
}

static void show_first_sector(void)
{
    long r = rv_vblk_read(&disk, 0, buf, 1);
    if (r) {
        rv_printf("blkdemo: reading sector 0: %ld\n", r);
        return;
    }
    rv_printf("blkdemo: sector 0:");
    for (int i = 0; i < 16; i++)
        rv_printf(" %02x", buf[i]);
    rv_printf(" |");
    for (int i = 0; i < 16; i++)
        rv_printf("%c", buf[i] >= 0x20 && buf[i] < 0x7f ? buf[i] : '.');
    rv_printf("|\n");
}

/* Lines typed on the serial console (while we have the focus) come back, until "quit" or 30 s of quiet. */
static void echo(void)
{
    static char line[128];
    uint32_t n = 0;
    static const char prompt[] = "blkdemo: type a line (quit ends)\n";
    rv_vcons_write(&vcons, prompt, sizeof(prompt) - 1);
    while (rv_vcons_wait(&vcons, 30 * RV_NS_PER_SEC) == 0) {
        char c;
        while (rv_vcons_read(&vcons, &c, 1) == 1) {
            if (c != '\r' && c != '\n' && n < sizeof(line) - 1) {
                line[n++] = c;
                continue;
            }
            if (c != '\r' && c != '\n')
                continue;
            line[n] = '\0';
            if (n == 4 && memcmp(line, "quit", 4) == 0)
                return;
            char out[160];
            int len = rv_snprintf(out, sizeof(out), "blkdemo: you typed \"%s\" (%u bytes, through the receive queue)\n",
                                  line, n);
            rv_vcons_write(&vcons, out, (size_t)len);
            n = 0;
        }
    }
}

static int is_mode(const char *m)
{
    const char *v = rv_cmdline_value("mode");
    size_t n = strlen(m);
    return v && strncmp(v, m, n) == 0 && (v[n] == ' ' || v[n] == '\0');
}

int guest_main(void)
{
    char id[RV_VIRTIO_BLK_ID_BYTES + 1];
    int writing = !is_mode("verify"), verifying = !is_mode("write");
    uint32_t seed = (uint32_t)rv_cmdline_int("seed", 1);
    long count = rv_cmdline_int("count", 8), r;

    if ((r = rv_vblk_open(&disk, 0)) < 0) {
        rv_printf("blkdemo: no virtio disk: %s (give the module disk=ram:1M)\n", rv_errname(r));
        return 1;
    }
    rv_vblk_get_id(&disk, id);
    rv_printf("blkdemo: disk \"%s\": %llu sectors (%llu KiB)%s\n", id, (unsigned long long)disk.capacity,
              (unsigned long long)disk.capacity / 2, disk.ro ? ", read-only" : "");
    if (count < 1 || count > MAX_COUNT || (uint64_t)count > disk.capacity)
        count = disk.capacity < 8 ? (long)disk.capacity : 8;
    uint64_t sector = (uint64_t)rv_cmdline_int("sector", (long)(disk.capacity / 2));
    if (sector + (uint64_t)count > disk.capacity)
        sector = disk.capacity - (uint64_t)count;
    show_first_sector();
    if (writing) {
        fill(sector, (uint32_t)count, seed);
        if ((r = rv_vblk_write(&disk, sector, buf, (uint32_t)count)) || (r = rv_vblk_flush(&disk))) {
            rv_printf("blkdemo: write or flush failed: %ld\n", r);
            return 1;
        }
        rv_printf("blkdemo: wrote and flushed %ld sectors at %llu (seed %u)\n", count,
                  (unsigned long long)sector, seed);
    }
    if (verifying) {
        memset(buf, 0, sizeof(buf));
        if ((r = rv_vblk_read(&disk, sector, buf, (uint32_t)count))) {
            rv_printf("blkdemo: read failed: %ld\n", r);
            return 1;
        }
        long bad = check(sector, (uint32_t)count, seed);
        if (bad >= 0) {
            rv_printf("blkdemo: byte %ld of sector %llu is 0x%02x, expected 0x%02x\n", bad % 512,
                      (unsigned long long)(sector + (uint64_t)bad / 512), buf[bad],
                      pattern(sector + (uint64_t)bad / 512, (uint32_t)bad % 512, seed));
            return 1;
        }
        rv_printf("blkdemo: read back %ld sectors at %llu: the pattern is there\n", count,
                  (unsigned long long)sector);
    }
    rv_printf("blkdemo: %u notifies, %u spared by the event index\n", disk.dev.notifies, disk.dev.notifies_saved);
    if (rv_vcons_open(&vcons, 0) == 0) {
        static const char line[] = "blkdemo: this line went through the virtio console\n";
        rv_console_flush();
        rv_vcons_write(&vcons, line, sizeof(line) - 1);
        if (rv_cmdline_has("echo"))
            echo();
    }
    return 0;
}
