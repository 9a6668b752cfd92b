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

/* Calls match on every function (bus, device, function order) until one says yes: 0 and *out, or -1. */
static int scan(int (*match)(const struct pci_dev *p, const void *arg), const void *arg, struct pci_dev *out)
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
                if ((id & 0xffff) == 0xffff)
                    continue;
                struct pci_dev p = { (uint8_t)bus, dev, fn, (uint16_t)id, (uint16_t)(id >> 16) };
                if (match(&p, arg)) {
                    *out = p;
                    return 0;
                }
            }
        }
    return -1;
}

struct ids {
    uint16_t vendor;
    const uint16_t *ids;
    unsigned n;
};

static int id_matches(const struct pci_dev *p, const void *arg)
{
    const struct ids *want = arg;
    if (p->vendor != want->vendor)
        return 0;
    for (unsigned i = 0; i < want->n; i++)
        if (p->device == want->ids[i])
            return 1;
    return 0;
}

int pci_find(uint16_t vendor, const uint16_t *ids, unsigned n, struct pci_dev *out)
{
    struct ids want = { vendor, ids, n };
    return scan(id_matches, &want, out);
}

/* The class code register (PCI 3.0, 6.2.1): base class, sub-class, programming interface, revision. */
static int class_matches(const struct pci_dev *p, const void *arg)
{
    const uint32_t *want = arg;
    return pci_read32(p, PCI_CLASS_REVISION) >> 16 == (*want & 0xffff);
}

int pci_find_class(uint8_t base, uint8_t sub, struct pci_dev *out)
{
    uint32_t want = (uint32_t)base << 8 | sub;
    return scan(class_matches, &want, out);
}
