/*
 * drivers/ata.c: ATA disks by PIO on the primary channel (ATA/ATAPI-6,
 * the "ATA-6" command set; the OSDev-style register dance).
 *
 * The monitor runs with interrupts off and is never preempted, so the
 * driver polls: nIEN is set in the device control register so the drive
 * never raises IRQ 14 (which stays masked at the 8259 anyway), and each
 * command is followed by waiting for BSY to clear and DRQ to set before
 * every 512-byte block moves through the data port (REP INS/OUTS, SDM
 * Vol. 2A).  A command that does not finish within ATA_TIMEOUT_MS of TSC
 * time is an error.  LBA48 commands (READ/WRITE SECTORS EXT, FLUSH CACHE
 * EXT) are used when IDENTIFY says the drive has them, 28-bit ones
 * otherwise; READ/WRITE MULTIPLE when it takes several sectors per block.  A write returns once the drive has taken the data; a flush
 * returns once the drive says its cache is on the medium, which is what
 * virtio-blk's FLUSH promises.
 *
 * Works with QEMU's PIIX IDE (-drive file=disk.img,format=raw,if=ide:
 * index 0 is drive 0, index 1 drive 1) and Bochs (ata0-master,
 * ata0-slave).
 */
#include "ata.h"
#include "console.h"
#include "rvlib.h"
#include "time.h"
#include "x86.h"

#define IO 0x1f0
#define REG_DATA (IO + 0)
#define REG_ERROR (IO + 1)
#define REG_COUNT (IO + 2)
#define REG_LBA0 (IO + 3)
#define REG_LBA1 (IO + 4)
#define REG_LBA2 (IO + 5)
#define REG_DEVICE (IO + 6)
#define REG_STATUS (IO + 7)   /* read */
#define REG_COMMAND (IO + 7)  /* write */
#define REG_CONTROL 0x3f6     /* write: nIEN, SRST; read: alternate status */

#define ST_ERR 0x01
#define ST_DRQ 0x08
#define ST_DF 0x20
#define ST_BSY 0x80
#define CTL_NIEN 0x02
#define DEV_LBA 0x40

#define CMD_READ 0x20
#define CMD_READ_EXT 0x24
#define CMD_WRITE 0x30
#define CMD_WRITE_EXT 0x34
#define CMD_FLUSH 0xe7
#define CMD_FLUSH_EXT 0xea
#define CMD_IDENTIFY 0xec
#define CMD_READ_MULTIPLE 0xc4
#define CMD_READ_MULTIPLE_EXT 0x29
#define CMD_WRITE_MULTIPLE 0xc5
#define CMD_WRITE_MULTIPLE_EXT 0x39
#define CMD_SET_MULTIPLE 0xc6

#define ATA_TIMEOUT_MS 10000
#define FLUSH_TIMEOUT_MS 30000

static struct ata_info drives[2];
static int probed[2];
static uint32_t multiple[2];   /* sectors per DRQ block (READ/WRITE MULTIPLE), 0 = one at a time */

static void insw(uint16_t port, void *buf, uint32_t words)
{
    __asm__ volatile("rep insw" : "+D"(buf), "+c"(words) : "d"(port) : "memory");
}

/*
 * Sector data moves 32 bits at a time: IDE controllers (PIIX, QEMU's and
 * Bochs' models) accept doubleword accesses to the data port and split
 * them into two words, which halves the port accesses, the cost of PIO.
 */
static void insl(uint16_t port, void *buf, uint32_t dwords)
{
    __asm__ volatile("rep insl" : "+D"(buf), "+c"(dwords) : "d"(port) : "memory");
}

static void outsl(uint16_t port, const void *buf, uint32_t dwords)
{
    __asm__ volatile("rep outsl" : "+S"(buf), "+c"(dwords) : "d"(port) : "memory");
}

/* Reading the alternate status four times takes the 400 ns a drive needs after a select or command. */
static void settle(void)
{
    for (int i = 0; i < 4; i++)
        (void)inb(REG_CONTROL);
}

static uint64_t deadline(uint32_t ms)
{
    uint32_t khz = tsc_khz ? tsc_khz : 1000000; /* an uncalibrated TSC: assume 1 GHz */
    return rdtsc() + (uint64_t)khz * ms;
}

/* Until BSY clears: the status, or -1 after the timeout. */
static int wait_ready(uint32_t ms)
{
    uint64_t end = deadline(ms);
    for (;;) {
        uint8_t st = inb(REG_CONTROL);
        if (!(st & ST_BSY))
            return inb(REG_STATUS);
        if (rdtsc() > end)
            return -1;
    }
}

/* Until the drive wants a data block (DRQ); -1 on an error, a fault or a timeout. */
static int wait_data(void)
{
    int st = wait_ready(ATA_TIMEOUT_MS);
    if (st < 0 || (st & (ST_ERR | ST_DF)) || !(st & ST_DRQ))
        return -1;
    return 0;
}

static int select_drive(unsigned drive, uint8_t bits)
{
    outb(REG_CONTROL, CTL_NIEN);
    outb(REG_DEVICE, (uint8_t)(0xa0 | bits | (drive << 4)));
    settle();
    return wait_ready(ATA_TIMEOUT_MS) < 0 ? -1 : 0;
}

/* An ATA string: 16-bit words, each with its two characters swapped. */
static void ata_string(char *dst, const uint16_t *words, unsigned nwords)
{
    unsigned n = 0;
    for (unsigned i = 0; i < nwords; i++) {
        dst[n++] = (char)(words[i] >> 8);
        dst[n++] = (char)words[i];
    }
    while (n > 0 && dst[n - 1] == ' ')
        n--;
    dst[n] = '\0';
}

/*
 * READ/WRITE MULTIPLE move up to n sectors per DRQ block (IDENTIFY word 47
 * gives the most a drive takes): fewer handshakes, and an emulated drive
 * fetches the whole block from its image at once.
 */
static void set_multiple(unsigned drive, uint32_t n)
{
    while (n & (n - 1))
        n &= n - 1; /* a power of two */
    if (n < 2 || select_drive(drive, 0))
        return;
    outb(REG_COUNT, (uint8_t)n);
    outb(REG_COMMAND, CMD_SET_MULTIPLE);
    settle();
    int st = wait_ready(ATA_TIMEOUT_MS);
    if (st >= 0 && !(st & (ST_ERR | ST_DF)))
        multiple[drive] = n;
}

static int identify(unsigned drive, struct ata_info *info)
{
    static uint16_t id[256];
    if (inb(REG_STATUS) == 0xff)
        return -1; /* a floating bus: no controller */
    if (select_drive(drive, 0))
        return -1;
    outb(REG_COUNT, 0);
    outb(REG_LBA0, 0);
    outb(REG_LBA1, 0);
    outb(REG_LBA2, 0);
    outb(REG_COMMAND, CMD_IDENTIFY);
    settle();
    if (inb(REG_STATUS) == 0)
        return -1; /* no drive there */
    if (wait_ready(ATA_TIMEOUT_MS) < 0 || inb(REG_LBA1) || inb(REG_LBA2))
        return -1; /* no answer, or an ATAPI/SATA signature: not an ATA disk */
    if (wait_data())
        return -1;
    insw(REG_DATA, id, 256);
    info->lba48 = (id[83] >> 10) & 1;
    info->flush = (id[83] >> 12) & 1;
    info->sectors = info->lba48 ? (uint64_t)id[100] | (uint64_t)id[101] << 16 | (uint64_t)id[102] << 32 |
                                      (uint64_t)id[103] << 48
                                : (uint64_t)id[60] | (uint64_t)id[61] << 16;
    ata_string(info->model, &id[27], 20);
    info->present = info->sectors != 0;
    if (info->present)
        set_multiple(drive, id[47] & 0xff);
    return info->present ? 0 : -1;
}

const struct ata_info *ata_probe(unsigned drive)
{
    if (drive > 1)
        return 0;
    if (!probed[drive]) {
        probed[drive] = 1;
        if (identify(drive, &drives[drive]) == 0)
            mlog("ata%u: %s, %llu sectors (%llu MiB), %s, %u sectors per DRQ block, %s\n", drive,
                 drives[drive].model, (unsigned long long)drives[drive].sectors,
                 (unsigned long long)(drives[drive].sectors >> 11), drives[drive].lba48 ? "LBA48" : "LBA28",
                 multiple[drive] ? multiple[drive] : 1, drives[drive].flush ? "FLUSH CACHE" : "no write cache flush");
        else
            mlog("ata%u: no ATA disk on the primary channel\n", drive);
    }
    return drives[drive].present ? &drives[drive] : 0;
}

/* Registers and command for count sectors at lba (ATA-6 7.3: the high bytes go first for LBA48). */
static int start_command(unsigned drive, uint64_t lba, uint32_t count, int write)
{
    const struct ata_info *info = &drives[drive];
    if (!info->present || count == 0 || count > ATA_MAX_XFER || lba > info->sectors ||
        count > info->sectors - lba)
        return -1;
    if (info->lba48) {
        if (select_drive(drive, DEV_LBA))
            return -1;
        outb(REG_COUNT, (uint8_t)(count >> 8));
        outb(REG_LBA0, (uint8_t)(lba >> 24));
        outb(REG_LBA1, (uint8_t)(lba >> 32));
        outb(REG_LBA2, (uint8_t)(lba >> 40));
        outb(REG_COUNT, (uint8_t)count);
        outb(REG_LBA0, (uint8_t)lba);
        outb(REG_LBA1, (uint8_t)(lba >> 8));
        outb(REG_LBA2, (uint8_t)(lba >> 16));
        outb(REG_COMMAND, multiple[drive] ? (write ? CMD_WRITE_MULTIPLE_EXT : CMD_READ_MULTIPLE_EXT)
                                          : (write ? CMD_WRITE_EXT : CMD_READ_EXT));
    } else {
        if (select_drive(drive, DEV_LBA | (uint8_t)((lba >> 24) & 0x0f)))
            return -1;
        outb(REG_COUNT, (uint8_t)count); /* 256 is 0 */
        outb(REG_LBA0, (uint8_t)lba);
        outb(REG_LBA1, (uint8_t)(lba >> 8));
        outb(REG_LBA2, (uint8_t)(lba >> 16));
        outb(REG_COMMAND, multiple[drive] ? (write ? CMD_WRITE_MULTIPLE : CMD_READ_MULTIPLE)
                                          : (write ? CMD_WRITE : CMD_READ));
    }
    settle();
    return 0;
}

static int failed(unsigned drive, const char *what, uint64_t lba)
{
    mlog("ata%u: %s at sector %llu failed (status 0x%x, error 0x%x)\n", drive, what, (unsigned long long)lba,
         inb(REG_CONTROL), inb(REG_ERROR));
    return -1;
}

/* Sectors in the DRQ block that starts at sector i of a count-sector command. */
static uint32_t block(unsigned drive, uint32_t i, uint32_t count)
{
    uint32_t per = multiple[drive] ? multiple[drive] : 1;
    return count - i < per ? count - i : per;
}

int ata_read(unsigned drive, uint64_t lba, uint32_t count, void *buf)
{
    uint8_t *p = buf;
    if (start_command(drive, lba, count, 0))
        return failed(drive, "read", lba);
    for (uint32_t i = 0, n; i < count; i += n, p += n * ATA_SECTOR) {
        n = block(drive, i, count);
        if (wait_data())
            return failed(drive, "read", lba + i);
        insl(REG_DATA, p, n * ATA_SECTOR / 4);
    }
    return 0;
}

int ata_write(unsigned drive, uint64_t lba, uint32_t count, const void *buf)
{
    const uint8_t *p = buf;
    if (start_command(drive, lba, count, 1))
        return failed(drive, "write", lba);
    for (uint32_t i = 0, n; i < count; i += n, p += n * ATA_SECTOR) {
        n = block(drive, i, count);
        if (wait_data())
            return failed(drive, "write", lba + i);
        outsl(REG_DATA, p, n * ATA_SECTOR / 4);
    }
    int st = wait_ready(ATA_TIMEOUT_MS);
    if (st < 0 || (st & (ST_ERR | ST_DF)))
        return failed(drive, "write", lba);
    return 0;
}

int ata_flush(unsigned drive)
{
    const struct ata_info *info = &drives[drive];
    if (!info->present)
        return -1;
    if (!info->flush)
        return 0; /* no FLUSH CACHE: no write cache the drive admits to */
    if (select_drive(drive, 0))
        return failed(drive, "flush", 0);
    outb(REG_COMMAND, info->lba48 ? CMD_FLUSH_EXT : CMD_FLUSH);
    settle();
    int st = wait_ready(FLUSH_TIMEOUT_MS);
    if (st < 0 || (st & (ST_ERR | ST_DF)))
        return failed(drive, "flush", 0);
    return 0;
}
