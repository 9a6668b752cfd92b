/*
 * drivers/e1000.c: the machine's network card, an Intel 8254x gigabit
 * controller (82540EM: QEMU's and Bochs' `e1000`), as the uplink port of
 * the monitor's switch.  Register names and bits follow Intel's "PCI/PCI-X
 * Family of Gigabit Ethernet Controllers Software Developer's Manual"
 * (8254x SDM; sections cited below).
 *
 * The card is found on PCI (pci.c) the first time a guest asks for the
 * uplink, its registers (BAR0, memory) reached through the monitor's
 * fixmap, uncached.  Its descriptor rings and packet buffers are frames of
 * the monitor's own low pool, which it addresses by physical address
 * (DMA; bus mastering is turned on).  They are never given back: the
 * uplink lives as long as the monitor.
 *
 * The card is put in promiscuous mode (RCTL.UPE/MPE, 13.4.22): the frames
 * the switch wants from outside are those for the guests' MACs, not the
 * card's own.  Receive: 32 legacy descriptors (3.2.3) with 2 KiB buffers;
 * each frame (one descriptor: long frames are not enabled) goes into the
 * switch, and the descriptor back to the card.  The card interrupts for
 * each received frame (no delay timers, 13.4.27, 13.4.31), on the IRQ the
 * firmware routed its INTx to; the handler reads ICR, which acknowledges
 * it (13.4.17), then takes the frames.  Frames are also taken at every
 * virtio-net NOTIFY (nic_poll), which is enough without an interrupt: a
 * guest that talks to the outside notifies.
 *
 * Transmit: 32 legacy descriptors (3.3.3), each frame copied into the
 * descriptor's own buffer, with EOP, IFCS (the card adds the CRC) and RS
 * (it reports when done, so the buffer may be reused); short frames are
 * padded (TCTL.PSP).  A full ring drops the frame, as a switch port whose
 * queue is full does; nothing waits for the card.
 */
#include "abi.h"
#include "console.h"
#include "frame.h"
#include "irq.h"
#include "layout.h"
#include "nic.h"
#include "paging.h"
#include "pci.h"
#include "rvlib.h"
#include "switch.h"
#include "time.h"
#include "virtio.h"

/* Registers (8254x SDM 13.4), byte offsets in BAR0 */
#define CTRL 0x0000
#define STATUS 0x0008
#define EERD 0x0014
#define ICR 0x00c0
#define ITR 0x00c4
#define IMS 0x00d0
#define IMC 0x00d8
#define RCTL 0x0100
#define TCTL 0x0400
#define TIPG 0x0410
#define RDBAL 0x2800
#define RDBAH 0x2804
#define RDLEN 0x2808
#define RDH 0x2810
#define RDT 0x2818
#define RDTR 0x2820
#define RADV 0x282c
#define TDBAL 0x3800
#define TDBAH 0x3804
#define TDLEN 0x3808
#define TDH 0x3810
#define TDT 0x3818
#define MTA 0x5200  /* 128 dwords of multicast hash */
#define RAL0 0x5400
#define RAH0 0x5404
#define MMIO_PAGES 6  /* everything above fits in BAR0's first 24 KiB */

#define CTRL_LRST (1u << 3)
#define CTRL_ASDE (1u << 5)
#define CTRL_SLU (1u << 6)
#define CTRL_ILOS (1u << 7)
#define CTRL_RST (1u << 26)
#define CTRL_VME (1u << 30)
#define CTRL_PHY_RST (1u << 31)
#define STATUS_LU (1u << 1)
#define EERD_START 1u
#define EERD_DONE (1u << 4)
#define RAH_AV (1u << 31)
#define RCTL_EN (1u << 1)
#define RCTL_UPE (1u << 3)
#define RCTL_MPE (1u << 4)
#define RCTL_BAM (1u << 15)
#define RCTL_SECRC (1u << 26)  /* BSIZE 00, BSEX 0: 2048-byte buffers */
#define TCTL_EN (1u << 1)
#define TCTL_PSP (1u << 3)
#define TCTL_CT (0x0fu << 4)     /* collision threshold, the manual's value */
#define TCTL_COLD (0x40u << 12)  /* collision distance, full duplex */
#define TIPG_COPPER (10u | 8u << 10 | 6u << 20)
#define INT_LSC (1u << 2)
#define INT_RXDMT0 (1u << 4)
#define INT_RXO (1u << 6)
#define INT_RXT0 (1u << 7)

#define RXD_DD 0x01
#define RXD_EOP 0x02
#define TXD_EOP 0x01
#define TXD_IFCS 0x02
#define TXD_RS 0x08
#define TXD_DD 0x01

#define NDESC 32        /* per ring: 512 bytes, a multiple of 128 (RDLEN, TDLEN) */
#define BUF 2048        /* two per frame */
#define RESET_TIMEOUT_NS 10000000ull

struct rx_desc {
    uint64_t addr;
    uint16_t len;
    uint16_t csum;
    uint8_t status, errors;
    uint16_t special;
};

struct tx_desc {
    uint64_t addr;
    uint16_t len;
    uint8_t cso, cmd, status, css;
    uint16_t special;
};

static int state;               /* 0 not tried, 1 up, -1 not there */
static const char *why_not;
static struct pci_dev pdev;
static volatile uint32_t *regs;
static volatile struct rx_desc *rx;
static volatile struct tx_desc *tx;
static uint8_t *rx_buf[NDESC], *tx_buf[NDESC];
static uint32_t rx_next, tx_next, tx_clean, tx_busy;
static int port = -1;
static uint8_t mac[6];

static uint32_t rd(uint32_t reg) { return regs[reg / 4]; }
static void wr(uint32_t reg, uint32_t v) { regs[reg / 4] = v; }
#define barrier() __asm__ volatile("" ::: "memory")

/* A zeroed frame of the monitor's direct map: its physical address, or 0. */
static uint32_t low_frame(void)
{
    uint32_t mfn = frame_alloc_below(MON_DIRECT_FRAMES);
    if (!mfn)
        return 0;
    memset(PA2VA(mfn << 12), 0, 4096);
    return mfn << 12;
}

static int fail(const char *why)
{
    why_not = why;
    state = -1;
    return -1;
}

/* The MAC: RAL0/RAH0, which the card loads from its EEPROM at reset (13.4.62), else the EEPROM (5.6). */
static void read_mac(void)
{
    uint32_t lo = rd(RAL0), hi = rd(RAH0);
    if (!(hi & RAH_AV)) {
        uint16_t w[3];
        for (uint32_t i = 0; i < 3; i++) {
            wr(EERD, i << 8 | EERD_START);
            uint64_t until = now_ns() + RESET_TIMEOUT_NS;
            uint32_t v;
            while (!((v = rd(EERD)) & EERD_DONE) && now_ns() < until)
                ;
            w[i] = (uint16_t)(v >> 16);
        }
        lo = w[0] | (uint32_t)w[1] << 16;
        hi = w[2];
        wr(RAL0, lo);
        wr(RAH0, hi | RAH_AV);
    }
    for (int i = 0; i < 4; i++)
        mac[i] = (uint8_t)(lo >> (8 * i));
    mac[4] = (uint8_t)hi;
    mac[5] = (uint8_t)(hi >> 8);
}

/* Rings and buffers in monitor frames (14.4, 14.5): 0, or -1 out of memory. */
static int rings_init(void)
{
    uint32_t rx_pa = low_frame(), tx_pa = low_frame();
    if (!rx_pa || !tx_pa)
        return -1;
    rx = PA2VA(rx_pa);
    tx = PA2VA(tx_pa);
    for (uint32_t i = 0; i < NDESC; i += 2) {
        uint32_t a = low_frame(), b = low_frame();
        if (!a || !b)
            return -1;
        for (uint32_t k = 0; k < 2; k++) {
            rx_buf[i + k] = PA2VA(a + k * BUF);
            rx[i + k].addr = a + k * BUF;
            tx_buf[i + k] = PA2VA(b + k * BUF);
            tx[i + k].addr = b + k * BUF;
        }
    }
    wr(RDBAL, rx_pa);
    wr(RDBAH, 0);
    wr(RDLEN, NDESC * sizeof(struct rx_desc));
    wr(RDH, 0);
    wr(RDT, NDESC - 1); /* the card owns every descriptor but one: RDH == RDT means none */
    wr(TDBAL, tx_pa);
    wr(TDBAH, 0);
    wr(TDLEN, NDESC * sizeof(struct tx_desc));
    wr(TDH, 0);
    wr(TDT, 0);
    return 0;
}

static int send(void *ctx, const uint8_t *frame, uint32_t len)
{
    (void)ctx;
    while (tx_busy && (tx[tx_clean].status & TXD_DD)) {
        tx_clean = (tx_clean + 1) % NDESC;
        tx_busy--;
    }
    if (tx_busy == NDESC - 1 || len > BUF)
        return -1;
    memcpy(tx_buf[tx_next], frame, len);
    tx[tx_next].len = (uint16_t)len;
    tx[tx_next].cmd = TXD_EOP | TXD_IFCS | TXD_RS;
    tx[tx_next].status = 0;
    tx_next = (tx_next + 1) % NDESC;
    tx_busy++;
    barrier();
    wr(TDT, tx_next); /* the card sends from TDH up to here */
    return 0;
}

void nic_poll(void)
{
    if (state != 1)
        return;
    /* At most one ring's worth: a flood from outside cannot hold the CPU. */
    for (uint32_t n = 0; n < NDESC && (rx[rx_next].status & RXD_DD); n++) {
        volatile struct rx_desc *d = &rx[rx_next];
        barrier();
        if ((d->status & RXD_EOP) && !d->errors && d->len >= 14 && d->len <= RV_VIRTIO_NET_FRAME_MAX)
            switch_input(port, rx_buf[rx_next], d->len);
        d->status = 0;
        barrier();
        wr(RDT, rx_next); /* the descriptor is the card's again */
        rx_next = (rx_next + 1) % NDESC;
    }
}

static void interrupt(void)
{
    rd(ICR); /* reading acknowledges every cause (13.4.17) */
    nic_poll();
}

/* Finds, resets and starts the card (14.3-14.5); 0, or -1 with why_not. */
static int start(void)
{
    static const uint16_t ids[] = { 0x100e, 0x100f }; /* 82540EM, 82545EM: the same registers */
    if (pci_find(0x8086, ids, 2, &pdev))
        return fail("net=switch:uplink: no network card (an Intel 82540EM, QEMU -device e1000) on PCI");
    uint32_t bar = pci_read32(&pdev, PCI_BAR0);
    int bar64 = (bar & 6) == 4; /* a 64-bit BAR: the high half is the next register */
    if ((bar & 1) || !(bar & ~0xfu) || (bar64 && pci_read32(&pdev, PCI_BAR0 + 4)))
        return fail("net=switch:uplink: the network card's registers are not below 4 GiB in memory space");
    uint16_t cmd = pci_read16(&pdev, PCI_COMMAND);
    pci_write16(&pdev, PCI_COMMAND, (uint16_t)((cmd | PCI_CMD_MEMORY | PCI_CMD_MASTER) & ~PCI_CMD_INTX_DISABLE));
    for (uint32_t i = 0; i < MMIO_PAGES; i++)
        fixmap(FIXMAP_NIC + i, (bar & ~0xfu) + i * 4096);
    regs = (volatile uint32_t *)(MON_FIXMAP_VA + FIXMAP_NIC * 4096);

    wr(IMC, ~0u);
    /* 14.3: a global reset; the card is not to be touched for a while
     * (1 us in the manual; 1 ms here, for its EEPROM to load), then RST clears. */
    wr(CTRL, rd(CTRL) | CTRL_RST);
    uint64_t until = now_ns() + 1000000;
    while (now_ns() < until)
        ;
    until += RESET_TIMEOUT_NS;
    while ((rd(CTRL) & CTRL_RST) && now_ns() < until)
        ;
    wr(IMC, ~0u);
    rd(ICR);
    wr(CTRL, (rd(CTRL) | CTRL_SLU | CTRL_ASDE) & ~(CTRL_LRST | CTRL_ILOS | CTRL_VME | CTRL_PHY_RST));
    read_mac();
    for (uint32_t i = 0; i < 128; i++)
        wr(MTA + 4 * i, 0);
    if (rings_init())
        return fail("net=switch:uplink: no monitor memory for the network card's rings");
    wr(RDTR, 0);
    wr(RADV, 0);
    wr(ITR, 0);
    wr(RCTL, RCTL_EN | RCTL_UPE | RCTL_MPE | RCTL_BAM | RCTL_SECRC);
    wr(TIPG, TIPG_COPPER);
    wr(TCTL, TCTL_EN | TCTL_PSP | TCTL_CT | TCTL_COLD);

    char name[SW_NAME_MAX];
    rv_snprintf(name, sizeof(name), "uplink e1000 %02x:%02x.%u", pdev.bus, pdev.dev, pdev.fn);
    port = switch_attach(name, mac, SW_UPLINK, send, 0);
    if (port < 0)
        return fail("the switch has no free port for the uplink");
    state = 1;
    uint8_t irq = pci_read8(&pdev, PCI_INTERRUPT_LINE);
    if (irq > 0 && irq < 16)
        irq_attach(irq, interrupt);
    wr(IMS, INT_RXT0 | INT_RXO | INT_RXDMT0 | INT_LSC);
    mlog("net: uplink: e1000 %04x:%04x at pci %02x:%02x.%u, registers at 0x%x, IRQ %u%s, MAC "
         "%02x:%02x:%02x:%02x:%02x:%02x, link %s, switch port %d\n",
         pdev.vendor, pdev.device, pdev.bus, pdev.dev, pdev.fn, bar & ~0xfu, irq,
         irq > 0 && irq < 16 ? "" : " (none: polled at each notify)", mac[0], mac[1], mac[2], mac[3], mac[4],
         mac[5], (rd(STATUS) & STATUS_LU) ? "up" : "down", port);
    return 0;
}

int nic_uplink(const char **why)
{
    if (state == 0)
        start();
    if (state < 0) {
        *why = why_not;
        return -1;
    }
    return 0;
}
