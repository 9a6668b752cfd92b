/*
 * drivers/devices.h: what the rest of the monitor calls in drivers/: a
 * domain's virtio devices are made from its module line when it is built
 * and given back when it is destroyed; serial input may go to its virtio
 * console; the console shows the network switch.  The guest reaches them
 * through hc_virtio_op (virtio.c).
 */
#ifndef DRV_DEVICES_H
#define DRV_DEVICES_H

#include <stdint.h>

struct domain;
struct modline;

/*
 * The devices of ml->devs, numbered in that order; disk=next takes modules
 * first_module, first_module + 1, ...  0, or -1 with *why (a module line
 * refusal reason), nothing left behind.
 */
int virtio_domain_create(struct domain *d, const struct modline *ml, uint32_t first_module, const char **why);
void virtio_domain_destroy(struct domain *d);
/* Serial input for d (it has the focus): 1 if its virtio console took it. */
int virtio_console_input(struct domain *d, char c);
/* Ctrl-A s: the network switch's ports, their counters, the addresses learned (switch.c). */
void switch_print(void);

#endif
