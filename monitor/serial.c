/*
 * monitor/serial.c: the 16550 UART on COM1, the monitor's only console.
 * Output is polled (the monitor prints little and must print even from a
 * panic with interrupts off); input raises IRQ 4 and console.c takes it.  Register map: PC16550D data sheet.
 */
#include "serial.h"
#include "x86.h"

#define COM1 0x3f8
#define REG_DATA 0
#define REG_IER 1  /* interrupt enable */
#define REG_FCR 2  /* FIFO control */
#define REG_LCR 3  /* line control */
#define REG_MCR 4  /* modem control: OUT2 gates the IRQ line on PCs */
#define REG_LSR 5  /* line status */
#define LSR_DR 0x01   /* data ready */
#define LSR_THRE 0x20 /* transmit holding register empty */
#define LSR_TEMT 0x40 /* transmitter empty: FIFO and shift register */

void serial_init(void)
{
    outb(COM1 + REG_IER, 0);
    outb(COM1 + REG_LCR, 0x80);          /* DLAB: divisor follows */
    outb(COM1 + REG_DATA, 1);            /* 115200 baud = 115200 / 1 */
    outb(COM1 + REG_IER, 0);
    outb(COM1 + REG_LCR, 0x03);          /* 8N1 */
    outb(COM1 + REG_FCR, 0xc7);          /* FIFOs on, cleared, 14-byte trigger */
    outb(COM1 + REG_MCR, 0x0b);          /* DTR, RTS, OUT2 */
    outb(COM1 + REG_IER, 0x01);          /* interrupt on received data */
}

/* One byte as it is (a guest's terminal stream). */
void serial_putc_raw(char c)
{
    for (unsigned spin = 0; spin < 100000; spin++)
        if (inb(COM1 + REG_LSR) & LSR_THRE)
            break;
    outb(COM1 + REG_DATA, (uint8_t)c);
}

/* The monitor's text: a line ends with CR LF. */
void serial_putc(char c)
{
    if (c == '\n')
        serial_putc_raw('\r');
    serial_putc_raw(c);
}

/* Waits until every byte has left the UART (an emulator that stops right
 * after would lose what is still in the FIFO). */
void serial_drain(void)
{
    for (unsigned spin = 0; spin < 1000000; spin++)
        if (inb(COM1 + REG_LSR) & LSR_TEMT)
            break;
}

/* Received bytes, or -1: for the IRQ 4 handler (console.c). */
int serial_getc(void)
{
    if (!(inb(COM1 + REG_LSR) & LSR_DR))
        return -1;
    return inb(COM1 + REG_DATA);
}
