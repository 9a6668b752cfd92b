/*
 * drivers/nic.h: the machine's own network card as the switch's uplink
 * (e1000.c: an Intel 8254x, QEMU's and Bochs' `e1000`, found on PCI).
 */
#ifndef DRV_NIC_H
#define DRV_NIC_H

/*
 * Finds and starts the card and gives it a switch port, the first time a
 * guest asks for the uplink; later calls just say whether that worked.
 * 0, or -1 with *why.
 */
int nic_uplink(const char **why);
/* Frames the card has received go into the switch (its interrupt does this too). */
void nic_poll(void);

#endif
