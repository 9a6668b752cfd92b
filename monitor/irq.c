/*
 * monitor/irq.c: the 8259A interrupt controllers.  They are remapped to
 * vectors 0x20-0x2f (away from the exception vectors, SDM Vol. 3A 6.3)
 * with only COM1 (IRQ 4) unmasked, and the PIT (IRQ 0) when there is no
 * local APIC timer (timer.c).  With a local APIC the 8259 still reaches
 * the CPU through LINT0 as ExtINT (virtual-wire mode).  Guests never see
 * these interrupts: they become events.  A driver may take one more line
 * (irq_attach: the network card, drivers/e1000.c); PCI lines are
 * level-triggered (the firmware set them so in the ELCR), which is safe
 * with the EOI first: the monitor runs with IF clear, and its handler
 * quiets the device before the next interrupt can be taken.
 */
#include "irq.h"
#include "console.h"
#include "domain.h"
#include "paging.h"
#include "time.h"
#include "x86.h"

#define PIC1 0x20
#define PIC2 0xa0

static void (*handlers[16])(void);

/*
 * The I/O APIC, where there is one, is not used: the 8259 reaches the CPU
 * through LINT0.  Its redirection entries are masked all the same, so none
 * the firmware may have left live can raise a vector that is a guest's
 * direct gate (82093AA datasheet 3.2.4).  It sits at the conventional
 * 0xFEC00000 (the MP and ACPI tables may say otherwise: SMP will read
 * them); a version register that reads all ones means nothing is there.
 */
#define IOAPIC_BASE 0xfec00000u
#define IOAPIC_MASKED 0x10000u

static uint32_t ioapic_mask_all(void)
{
    uint32_t have_apic, a, b, c;
    cpuid(1, &a, &b, &c, &have_apic);
    if (!(have_apic & (1u << 9)))
        return 0;
    volatile uint32_t *io = fixmap(FIXMAP_IOAPIC, IOAPIC_BASE);
    io[0] = 1; /* IOAPICVER */
    uint32_t ver = io[4];
    if (ver == 0xffffffffu)
        return 0;
    uint32_t n = ((ver >> 16) & 0xff) + 1;
    for (uint32_t i = 0; i < n; i++) {
        io[0] = 0x10 + 2 * i; /* redirection entry i, low word */
        io[4] = io[4] | IOAPIC_MASKED;
    }
    return n;
}

void irq_init(int with_pit)
{
    uint32_t n = ioapic_mask_all();
    if (n)
        mlog("irq: 8259 through LINT0; I/O APIC's %u entries masked\n", n);
    outb(PIC1, 0x11);                /* ICW1: edge triggered, cascade, ICW4 follows */
    outb(PIC2, 0x11);
    outb(PIC1 + 1, VEC_IRQ0);        /* ICW2: vector base */
    outb(PIC2 + 1, VEC_IRQ0 + 8);
    outb(PIC1 + 1, 0x04);            /* ICW3: slave on IRQ 2 */
    outb(PIC2 + 1, 0x02);
    outb(PIC1 + 1, 0x01);            /* ICW4: 8086 mode */
    outb(PIC2 + 1, 0x01);
    outb(PIC1 + 1, (uint8_t)~((with_pit ? 1u : 0u) | (1u << 4)));
    outb(PIC2 + 1, 0xff);
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
        timer_interrupt();
        break;
    case 4:
        console_input();
        break;
    default:
        if (handlers[irq])
            handlers[irq]();
    }
}

void irq_attach(unsigned irq, void (*handler)(void))
{
    if (irq == 0 || irq == 2 || irq == 4 || irq >= 16)
        return; /* the PIT, the cascade and COM1 are the monitor's own */
    handlers[irq] = handler;
    if (irq >= 8) {
        outb(PIC2 + 1, inb(PIC2 + 1) & (uint8_t)~(1u << (irq - 8)));
        irq = 2; /* the slave reaches the master through its IRQ 2 */
    }
    outb(PIC1 + 1, inb(PIC1 + 1) & (uint8_t)~(1u << irq));
}
