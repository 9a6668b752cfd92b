/*
 * drivers/pci.c: PCI configuration space, configuration mechanism #1
 * (PCI Local Bus Specification 3.0, 3.2.2.3.2): a dword written to
 * CONFIG_ADDRESS (0xCF8) names bus, device, function and register, with
 * bit 31 set; CONFIG_DATA (0xCFC) then reads or writes that register.
 * Every PC chipset QEMU and Bochs model (i440FX, Q35) has it.
 *
 * The firmware (SeaBIOS, the Bochs BIOS) has already placed the BARs and
 * routed each INTx pin to an 8259 IRQ, written in the Interrupt Line
 * register; the monitor uses what it finds and moves nothing.
 *
 * Enumeration is a brute-force scan of every bus, device and function
 * (function 0 first: the others only when its header type says the device
 * is multi-function), which finds devices behind bridges too without
 * following them.  Only the monitor runs here, with interrupts off, so
 * the address/data pair needs no lock.
 */
#include "pci.h"

#define CONFIG_ADDRESS 0xcf8
#define CONFIG_DATA 0xcfc
#define HEADER_TYPE 0x0e
#define MULTIFUNCTION 0x80

static void outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" ::"a"(v), "Nd"(port)); }

static uint32_t inl(uint16_t port)
{
    uint32_t v;
    __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static void select(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t reg)
{
    outl(CONFIG_ADDRESS, 0x80000000u | (uint32_t)bus << 16 | (uint32_t)dev << 11 | (uint32_t)fn << 8 | (reg & 0xfc));
}

static uint32_t read_at(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t reg)
{
    select(bus, dev, fn, reg);
    return inl(CONFIG_DATA);
}

uint32_t pci_read32(const struct pci_dev *p, uint8_t reg)
{
    return read_at(p->bus, p->dev, p->fn, reg);
}

void pci_write32(const struct pci_dev *p, uint8_t reg, uint32_t v)
{
    select(p->bus, p->dev, p->fn, reg);
    outl(CONFIG_DATA, v);
}

uint16_t pci_read16(const struct pci_dev *p, uint8_t reg)
{
    return (uint16_t)(pci_read32(p, reg) >> (8 * (reg & 2)));
}

uint8_t pci_read8(const struct pci_dev *p, uint8_t reg)
{
    return (uint8_t)(pci_read32(p, reg) >> (8 * (reg & 3)));
}

/* A 16-bit register shares its dword with a neighbour: read, merge, write. */
void pci_write16(const struct pci_dev *p, uint8_t reg, uint16_t v)
{
    uint32_t shift = 8 * (reg & 2), old = pci_read32(p, reg);
    pci_write32(p, reg, (old & ~(0xffffu << shift)) | (uint32_t)v << shift);
}

static int matches(uint32_t id, uint16_t vendor, const uint16_t *ids, unsigned n)
{
    if ((id & 0xffff) != vendor)
        return 0;
    for (unsigned i = 0; i < n; i++)
        if (id >> 16 == ids[i])
            return 1;
    return 0;
}

int pci_find(uint16_t vendor, const uint16_t *ids, unsigned n, struct pci_dev *out)
{
    for (uint32_t bus = 0; bus < 256; bus++)
        for (uint8_t dev = 0; dev < 32; dev++) {
            uint32_t id = read_at((uint8_t)bus, dev, 0, 0);
            if ((id & 0xffff) == 0xffff)
                continue; /* nothing there: the host bridge answers all ones */
            uint8_t fns = (read_at((uint8_t)bus, dev, 0, HEADER_TYPE & 0xfc) >> 16) & MULTIFUNCTION ? 8 : 1;
            for (uint8_t fn = 0; fn < fns; fn++) {
                if (fn)
                    id = read_at((uint8_t)bus, dev, fn, 0);
                if (matches(id, vendor, ids, n)) {
                    *out = (struct pci_dev){ (uint8_t)bus, dev, fn, (uint16_t)id, (uint16_t)(id >> 16) };
                    return 0;
                }
            }
        }
    return -1;
}
