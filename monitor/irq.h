/* monitor/irq.h: the 8259 PICs and hardware interrupt dispatch. */
#ifndef MON_IRQ_H
#define MON_IRQ_H
void irq_init(int with_pit);
void irq_dispatch(unsigned irq);
/* A device's interrupt (a PCI card's routed INTx): unmasks irq; handler runs after the EOI. */
void irq_attach(unsigned irq, void (*handler)(void));
#endif
