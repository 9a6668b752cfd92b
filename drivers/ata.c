/*
 * drivers/ata.c: ATA disks on the primary channel (ATA/ATAPI-6, the
 * "ATA-6" command set), by bus-master DMA when the machine has a PCI IDE
 * controller with a bus-master function, by PIO otherwise.
 *
 * The monitor runs with interrupts off and is never preempted, so the
 * driver polls: nIEN is set in the device control register so the drive
 * never raises IRQ 14 (which stays masked at the 8259 anyway).  A command
 * that does not finish within ATA_TIMEOUT_MS of TSC time is an error.
 * LBA48 commands (the EXT forms) are used when IDENTIFY says the drive has
 * them, 28-bit ones otherwise.  A write returns once the drive has taken
 * the data; a flush returns once the drive says its cache is on the
 * medium, which is what virtio-blk's FLUSH promises.
 *
 * PIO: after the command, wait for BSY to clear and DRQ to set before
 * every block moves through the data port (REP INS/OUTS, SDM Vol. 2A);
 * READ/WRITE MULTIPLE when the drive takes several sectors per block.
 * Under an emulator every port access is an exit, which is what makes PIO
 * slow there.
 *
 * DMA (SFF-8038i 1.1, "Bus Master Programming Interface"; the PIIX3 and
 * PIIX4 datasheets, "Bus Master IDE Function"): the IDE function of the
 * PCI-to-ISA bridge (class 01:01, programming interface bit 7) has, at
 * I/O BAR4, a command, a status and a descriptor-table pointer register
 * per channel.  The caller fills the physical region descriptor table
 * (prd.c) with the guest's own frames; ata_dma points the controller at
 * it, sets the direction, issues READ/WRITE DMA (EXT), sets Start, polls
 * until the drive is not busy and the controller not active, and clears
 * Start.  Start is clear whenever ata_dma returns, whatever happened (on a
 * timeout the channel is also reset: SRST), so no transfer outlives the
 * call and no frame it named can be given to anyone else while it runs
 * (the caller holds the CPU throughout).  The controller's timing
 * registers are left as the firmware set them (emulated controllers
 * ignore them); the drive is put in a multiword DMA mode if IDENTIFY says
 * none is selected.
 *
 * Works with QEMU's PIIX3 IDE (i440FX; -drive file=disk.img,format=raw,
 * if=ide: index 0 is drive 0, index 1 drive 1) and Bochs' (ata0-master,
 * ata0-slave).
 */
#include "ata.h"
#include "console.h"
#include "frame.h"
#include "layout.h"
#include "pci.h"
#include "prd.h"
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
#define CTL_SRST 0x04
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
#define CMD_READ_DMA 0xc8
#define CMD_READ_DMA_EXT 0x25
#define CMD_WRITE_DMA 0xca
#define CMD_WRITE_DMA_EXT 0x35
#define CMD_SET_FEATURES 0xef
#define SF_TRANSFER_MODE 0x03   /* sector count: 0x20 | n = multiword DMA mode n */

/* Bus-master registers of the primary channel, offsets from BAR4 (SFF-8038i 1.1, 2.1) */
#define BM_COMMAND 0            /* 8 bits */
#define BM_STATUS 2             /* 8 bits */
#define BM_PRDT 4               /* 32 bits: the table's physical address, dword aligned */
#define BMC_START 0x01
#define BMC_TO_MEMORY 0x08      /* the controller writes memory: a disk read */
#define BMS_ACTIVE 0x01
#define BMS_ERROR 0x02          /* write 1 to clear */
#define BMS_IRQ 0x04            /* write 1 to clear */
#define BMS_CAPABLE 0x60        /* drive 0/1 DMA capable: the BIOS's notes, kept as they are */
#define PCI_PROGIF 0x09
#define PROGIF_PRIMARY_NATIVE 0x01
#define PROGIF_BUS_MASTER 0x80
#define PCI_BAR4 (PCI_BAR0 + 16)
#define PRD_MAX (4096 / sizeof(struct prd))

#define ATA_TIMEOUT_MS 10000
#define FLUSH_TIMEOUT_MS 30000

static struct ata_info drives[2];
static int probed[2];
static uint32_t multiple[2];   /* sectors per DRQ block (READ/WRITE MULTIPLE), 0 = one at a time */
static uint16_t bm;            /* the bus master's I/O ports (BAR4); 0: none, PIO only */
static struct pci_dev ide;     /* the IDE function that has them */
static const char *no_bm;      /* why there is no bus master */
static struct prd_table table; /* in one monitor frame below 48 MiB: dword aligned, within 64 KiB, < 4 GiB */

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

static void outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" ::"a"(v), "Nd"(port)); }
#define barrier() __asm__ volatile("" ::: "memory")

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

/*
 * The drive's DMA mode (IDENTIFY word 63: multiword DMA modes supported in
 * bits 2:0, selected in 10:8; word 88, valid when word 53 bit 2 is: the
 * same for Ultra DMA).  One already selected is kept; otherwise SET
 * FEATURES selects the best multiword mode (ATA-6 8.37.10).  0, or -1:
 * the drive does no DMA.
 */
static int dma_mode(unsigned drive, const uint16_t *id)
{
    if (!(id[49] & (1u << 8)))
        return -1; /* capabilities: no DMA */
    if ((id[63] & 0x0700) || ((id[53] & 4) && (id[88] & 0x7f00)))
        return 0;
    if (!(id[63] & 7) || select_drive(drive, 0))
        return -1;
    uint8_t mode = (id[63] & 4) ? 2 : (id[63] & 2) ? 1 : 0;
    outb(REG_ERROR, SF_TRANSFER_MODE); /* the features register */
    outb(REG_COUNT, (uint8_t)(0x20 | mode));
    outb(REG_COMMAND, CMD_SET_FEATURES);
    settle();
    int st = wait_ready(ATA_TIMEOUT_MS);
    return st < 0 || (st & (ST_ERR | ST_DF)) ? -1 : 0;
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
    if (info->present) {
        set_multiple(drive, id[47] & 0xff);
        info->dma = bm && dma_mode(drive, id) == 0;
        info->dma_max = info->lba48 ? ATA_DMA_MAX : 256;
    }
    return info->present ? 0 : -1;
}

/*
 * The bus master: the first PCI IDE controller (class 01:01), if its
 * programming interface says it has one (bit 7) and that the primary
 * channel is at the legacy ports (bit 0 clear: compatibility mode), which
 * is where this driver talks to the drives.  I/O decoding and bus
 * mastering are turned on; the firmware placed BAR4.
 */
static void bm_init(void)
{
    static int done;
    if (done)
        return;
    done = 1;
    if (pci_find_class(0x01, 0x01, &ide)) {
        no_bm = "no PCI IDE controller";
        return;
    }
    uint8_t progif = pci_read8(&ide, PCI_PROGIF);
    uint32_t bar = pci_read32(&ide, PCI_BAR4);
    uint32_t mfn = 0;
    if (!(progif & PROGIF_BUS_MASTER))
        no_bm = "the PCI IDE controller has no bus master";
    else if (progif & PROGIF_PRIMARY_NATIVE)
        no_bm = "the primary channel is in PCI native mode";
    else if (!(bar & 1) || !(bar & ~3u) || bar > 0xffff)
        no_bm = "the bus master's ports (BAR4) are not set up";
    else if (!(mfn = frame_alloc_below(MON_DIRECT_FRAMES)))
        no_bm = "no monitor memory for a descriptor table";
    if (no_bm)
        return;
    uint16_t cmd = pci_read16(&ide, PCI_COMMAND);
    pci_write16(&ide, PCI_COMMAND, (uint16_t)(cmd | PCI_CMD_IO | PCI_CMD_MASTER));
    bm = (uint16_t)(bar & ~3u);
    outb(bm + BM_COMMAND, 0);
    prd_start(&table, PA2VA(mfn << 12), PRD_MAX);
}

const struct ata_info *ata_probe(unsigned drive)
{
    if (drive > 1)
        return 0;
    if (!probed[drive]) {
        probed[drive] = 1;
        bm_init();
        if (identify(drive, &drives[drive]) == 0) {
            mlog("ata%u: %s, %llu sectors (%llu MiB), %s, %u sectors per DRQ block, %s\n", drive,
                 drives[drive].model, (unsigned long long)drives[drive].sectors,
                 (unsigned long long)(drives[drive].sectors >> 11), drives[drive].lba48 ? "LBA48" : "LBA28",
                 multiple[drive] ? multiple[drive] : 1, drives[drive].flush ? "FLUSH CACHE" : "no write cache flush");
            if (drives[drive].dma)
                mlog("ata%u: transfers by bus-master DMA (PCI IDE %04x:%04x at %02x:%02x.%u, ports 0x%x), "
                     "up to %u sectors per command\n", drive, ide.vendor, ide.device, ide.bus, ide.dev, ide.fn, bm,
                     drives[drive].dma_max);
            else
                mlog("ata%u: transfers by PIO (%s)\n", drive, bm ? "the drive does no DMA" : no_bm);
        } else {
            mlog("ata%u: no ATA disk on the primary channel\n", drive);
        }
    }
    return drives[drive].present ? &drives[drive] : 0;
}

/*
 * Registers and command (cmd28, or cmd48 on an LBA48 drive) for count
 * sectors at lba (ATA-6 7.3: the high bytes go first for LBA48).
 */
static int start_command(unsigned drive, uint64_t lba, uint32_t count, uint8_t cmd28, uint8_t cmd48)
{
    const struct ata_info *info = &drives[drive];
    if (!info->present || count == 0 || count > (info->lba48 ? 65536u : 256u) || lba > info->sectors ||
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
        outb(REG_COMMAND, cmd48);
    } else {
        if (select_drive(drive, DEV_LBA | (uint8_t)((lba >> 24) & 0x0f)))
            return -1;
        outb(REG_COUNT, (uint8_t)count); /* 256 is 0 */
        outb(REG_LBA0, (uint8_t)lba);
        outb(REG_LBA1, (uint8_t)(lba >> 8));
        outb(REG_LBA2, (uint8_t)(lba >> 16));
        outb(REG_COMMAND, cmd28);
    }
    settle();
    return 0;
}

/* The PIO command for a transfer. */
static int start_pio(unsigned drive, uint64_t lba, uint32_t count, int write)
{
    if (count > ATA_MAX_XFER)
        return -1;
    if (multiple[drive])
        return write ? start_command(drive, lba, count, CMD_WRITE_MULTIPLE, CMD_WRITE_MULTIPLE_EXT)
                     : start_command(drive, lba, count, CMD_READ_MULTIPLE, CMD_READ_MULTIPLE_EXT);
    return write ? start_command(drive, lba, count, CMD_WRITE, CMD_WRITE_EXT)
                 : start_command(drive, lba, count, CMD_READ, CMD_READ_EXT);
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
    if (start_pio(drive, lba, count, 0))
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
    if (start_pio(drive, lba, count, 1))
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

struct prd_table *ata_dma_table(unsigned drive)
{
    if (drive > 1 || !drives[drive].dma)
        return 0;
    prd_start(&table, table.e, PRD_MAX);
    return &table;
}

/*
 * A software reset of the channel (ATA-6 9.2: SRST for at least 5 us),
 * after a command that did not finish: whatever the drive was doing, it
 * stops; its READ/WRITE MULTIPLE setting is made again.
 */
static void reset_channel(void)
{
    outb(REG_CONTROL, CTL_NIEN | CTL_SRST);
    uint64_t end = deadline(1);
    while (rdtsc() < end)
        ;
    outb(REG_CONTROL, CTL_NIEN);
    settle();
    wait_ready(ATA_TIMEOUT_MS);
    for (unsigned d = 0; d < 2; d++) {
        uint32_t n = multiple[d];
        multiple[d] = 0;
        if (drives[d].present)
            set_multiple(d, n);
    }
}

/*
 * Until the drive is not busy and the controller has retired the table
 * (Active clear; it stays set if the drive stopped early, which the
 * drive's ERR says), or the controller reports a bus error: the drive's
 * status, or -1 after the timeout.
 */
static int wait_dma(void)
{
    uint64_t end = deadline(ATA_TIMEOUT_MS);
    for (;;) {
        uint8_t st = inb(REG_CONTROL), bs = inb(bm + BM_STATUS);
        if ((!(st & ST_BSY) && (!(bs & BMS_ACTIVE) || (st & (ST_ERR | ST_DF)))) || (bs & BMS_ERROR))
            return inb(REG_STATUS); /* also acknowledges the drive's interrupt */
        if (rdtsc() > end)
            return -1;
        __asm__ volatile("pause");
    }
}

int ata_dma(unsigned drive, uint64_t lba, uint32_t count, int write)
{
    const char *what = write ? "DMA write" : "DMA read";
    uint8_t dir = write ? 0 : BMC_TO_MEMORY;
    if (drive > 1 || !drives[drive].dma || count > drives[drive].dma_max || table.n == 0 ||
        table.bytes != count * ATA_SECTOR)
        return failed(drive, what, lba);
    prd_finish(&table);
    barrier(); /* the table is in memory before the controller is told where */
    /* SFF-8038i 3.1: table, direction, status cleared, command to the drive, then Start. */
    outb(bm + BM_COMMAND, dir);
    outl(bm + BM_PRDT, VA2PA(table.e));
    outb(bm + BM_STATUS, (inb(bm + BM_STATUS) & BMS_CAPABLE) | BMS_ERROR | BMS_IRQ);
    if (write ? start_command(drive, lba, count, CMD_WRITE_DMA, CMD_WRITE_DMA_EXT)
              : start_command(drive, lba, count, CMD_READ_DMA, CMD_READ_DMA_EXT))
        return failed(drive, what, lba);
    outb(bm + BM_COMMAND, dir | BMC_START);
    int st = wait_dma();
    outb(bm + BM_COMMAND, dir); /* Start clear: the controller stops, nothing more moves */
    uint8_t bs = inb(bm + BM_STATUS);
    outb(bm + BM_STATUS, (bs & BMS_CAPABLE) | BMS_ERROR | BMS_IRQ);
    barrier(); /* and the monitor reads memory only after */
    if (st < 0 || (st & ST_BSY)) {
        failed(drive, what, lba);
        reset_channel(); /* the drive is still in the command: out of it */
        return -1;
    }
    if ((st & (ST_ERR | ST_DF | ST_DRQ)) || (bs & (BMS_ERROR | BMS_ACTIVE)))
        return failed(drive, what, lba);
    return 0;
}

void ata_quiesce(void)
{
    if (bm && (inb(bm + BM_COMMAND) & BMC_START)) {
        outb(bm + BM_COMMAND, 0);
        mlog("ata: a bus-master transfer was still under way: stopped, channel reset\n");
        reset_channel();
    }
}
