/*
 * drivers/pci.h: PCI configuration space through configuration mechanism
 * #1 (I/O ports 0xCF8/0xCFC), enough to find a device (by id or by
 * class), read its BARs and interrupt line, and turn on its memory or
 * I/O decoding and bus mastering.
 */
#ifndef DRV_PCI_H
#define DRV_PCI_H

#include <stdint.h>

struct pci_dev {
    uint8_t bus, dev, fn;
    uint16_t vendor, device;
};

#define PCI_COMMAND 0x04            /* 16 bits */
#define PCI_CMD_IO 0x0001           /* respond to I/O BARs */
#define PCI_CMD_MEMORY 0x0002       /* respond to memory BARs */
#define PCI_CMD_MASTER 0x0004       /* may master the bus (DMA) */
#define PCI_CMD_INTX_DISABLE 0x0400
#define PCI_CLASS_REVISION 0x08     /* 32 bits: class, sub-class, programming interface, revision */
#define PCI_BAR0 0x10
#define PCI_INTERRUPT_LINE 0x3c     /* 8 bits: the 8259 IRQ the firmware routed INTx to */

uint32_t pci_read32(const struct pci_dev *p, uint8_t reg);
void pci_write32(const struct pci_dev *p, uint8_t reg, uint32_t v);
uint16_t pci_read16(const struct pci_dev *p, uint8_t reg);
void pci_write16(const struct pci_dev *p, uint8_t reg, uint16_t v);
uint8_t pci_read8(const struct pci_dev *p, uint8_t reg);
/* The first function (bus, device, function order) with this vendor and one of the n device ids: 0, or -1. */
int pci_find(uint16_t vendor, const uint16_t *ids, unsigned n, struct pci_dev *out);
/* The first function of class base:sub (e.g. 01:01, an IDE controller): 0, or -1. */
int pci_find_class(uint8_t base, uint8_t sub, struct pci_dev *out);

#endif
