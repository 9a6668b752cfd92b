/*
 * monitor/irq.c: hardware interrupts.  The two 8259A PICs are remapped to
 * vectors 0x20-0x2f (away from the exception vectors, SDM Vol. 3A 6.3)
 * with only the timer (IRQ 0) and COM1 (IRQ 4) unmasked; the 8254 PIT
 * ticks at TIMER_HZ and drives the round-robin scheduler.  Guests never
 * see these interrupts directly (they become events, issue 4).
 */
#include "irq.h"
#include "domain.h"
#include "serial.h"
#include "x86.h"

#define PIC1 0x20
#define PIC2 0xa0
#define PIT_CH0 0x40
#define PIT_CMD 0x43
#define PIT_HZ 1193182u

volatile uint64_t ticks;

static void pic_init(void)
{
    outb(PIC1, 0x11);        /* ICW1: edge triggered, cascade, ICW4 follows */
    outb(PIC2, 0x11);
    outb(PIC1 + 1, VEC_IRQ0);        /* ICW2: vector base */
    outb(PIC2 + 1, VEC_IRQ0 + 8);
    outb(PIC1 + 1, 0x04);    /* ICW3: slave on IRQ 2 */
    outb(PIC2 + 1, 0x02);
    outb(PIC1 + 1, 0x01);    /* ICW4: 8086 mode */
    outb(PIC2 + 1, 0x01);
    outb(PIC1 + 1, (uint8_t)~((1u << 0) | (1u << 4))); /* timer, COM1 */
    outb(PIC2 + 1, 0xff);
}

static void pit_init(void)
{
    uint32_t div = PIT_HZ / TIMER_HZ;
    outb(PIT_CMD, 0x34);     /* channel 0, lo/hi byte, mode 2 (rate generator) */
    outb(PIT_CH0, div & 0xff);
    outb(PIT_CH0, div >> 8);
}

void irq_init(void)
{
    pic_init();
    pit_init();
}

static void eoi(unsigned irq)
{
    if (irq >= 8)
        outb(PIC2, 0x20);
    outb(PIC1, 0x20);
}

void irq_dispatch(unsigned irq)
{
    /* IRQ 7 and 15 may be spurious: no EOI unless the ISR bit is set. */
    if (irq == 7 || irq == 15) {
        uint16_t port = irq == 7 ? PIC1 : PIC2;
        outb(port, 0x0b);
        if (!(inb(port) & 0x80)) {
            if (irq == 15)
                eoi(0);
            return;
        }
    }
    eoi(irq);
    switch (irq) {
    case 0:
        ticks++;
        sched_tick();
        break;
    case 4:
        serial_irq();
        break;
    }
}
