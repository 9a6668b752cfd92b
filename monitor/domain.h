/*
 * monitor/domain.h: a domain (one guest OS) and its single virtual CPU.
 * Everything the monitor knows about a guest hangs off struct domain.
 */
#ifndef MON_DOMAIN_H
#define MON_DOMAIN_H

#include <stdint.h>
#include "hypercall.h"
#include "shared_info.h"
#include "modline.h"
#include "trap.h"
#include "layout.h"
#include "evtchn.h"
#include "segfix.h"
#include "termtext.h"

#define MAX_DOMAINS 32
#define CONSOLE_LINE_MAX 160
#define CONSOLE_HIST_SIZE 16384  /* each domain's console history (console.c) */

enum dom_state { DOM_FREE, DOM_RUNNABLE, DOM_RUNNING, DOM_BLOCKED, DOM_DEAD };

struct context; /* saved monitor registers of a switched-out vCPU (swtch) */
struct vdev;    /* a virtio device (drivers/vdev.h) */

/* The IDT entries a domain sets while it runs, precomputed (idt.c). */
#define IDT_OWN_MAX 16
#define IDT_OWN_NONE 0xffffffffu /* more than that: idt.c computes them at each switch */

struct vtrap {            /* one entry of the guest's virtual IDT */
    uint32_t address;     /* 0 = no handler */
    uint16_t cs;
    uint8_t flags;        /* RV_TI_* */
};

/* Per-domain counters, for the console and for profiling. */
enum emul_insn { EMUL_CLI, EMUL_STI, EMUL_HLT, EMUL_COUNT };

/* Where ring-1 #GP(0)s that were not segment flips came from (emulate.c). */
#define TRAP_SITES 8
struct trap_site {
    uint32_t lin;                /* linear address of the instruction */
    uint32_t count;
    const char *insn;            /* as emulate.c names it, "?" if it does not */
};

#define KSTACK_CANARY 0x52564b53u

struct domain {
    uint64_t gdt[512];           /* its GDT: the guest's entries, then the monitor's */
    uint32_t kstack_canary;      /* KSTACK_CANARY: a monitor stack overflow hits it first */
    uint8_t kstack[KSTACK_SIZE] __attribute__((aligned(16))); /* the trap frame sits at the top */
    enum dom_state state;
    uint32_t id;
    char name[DOM_NAME_MAX];
    int module;                  /* Multiboot module index it came from, -1: domctl CREATE */
    int control;                 /* a control domain (module option control; domctl.c) */
    int paused;                  /* domctl PAUSE: not scheduled until UNPAUSE */
    uint32_t creator;            /* the control domain that created it (domctl), 0: the boot line */
    int keep;                    /* once dead, stay a zombie until domctl DESTROY */
    int released;                /* dead and its memory given back: a zombie (domain.c) */
    uint64_t ctl_read;           /* domctl CONSOLE_READ: hist bytes read so far (console.c) */

    /* memory: a contiguous run of machine frames */
    uint32_t first_mfn, nr_pages;
    uint32_t cr3;                /* physical address of its L3 (PDPT) */
    uint32_t base_mfn;           /* that L3's frame: the current base (mm.c) */
    struct rv_shared_info *shared;   /* monitor's mapping of shared_info */
    uint32_t shared_mfn;

    /* the vCPU */
    struct context *ctx;         /* where swtch() left its monitor stack */
    struct trap_frame *frame;    /* the guest's registers while it is in the monitor */
    struct vtrap traps[256];
    uint32_t direct[8];          /* vectors with a real IDT gate while it runs (idt.c) */
    struct idt_own { uint64_t gate; uint32_t vector; } idt_own[IDT_OWN_MAX];
    uint32_t nr_idt_own;         /* entries of idt_own[] (#BP, #OF, direct gates); 0: to compute */
    uint32_t kernel_ss, kernel_esp;  /* stack_switch: ring-1 stack for ring-3 entries */
    uint32_t segfix_down[RV_GDT_GUEST_ENTRIES / 32]; /* guest entries now in their expand-down view (segfix.c) */
    struct segfix_state segfix;
    int fpu_ts;                  /* the guest's CR0.TS */
    uint8_t fpu_state[512] __attribute__((aligned(16))); /* FXSAVE image */

    /* events and time */
    struct evtchn evtchn[RV_NR_EVTCHN];
    uint32_t virq_port[RV_NR_VIRQS];
    uint32_t callback_cs, callback_eip;  /* set_callbacks */
    struct rv_return_window ret_win;     /* vcpu_op SET_RETURN_WINDOW */
    uint32_t returns_finished;           /* events delivered after finishing a return */
    uint64_t timer_deadline;     /* set_timer_op, ns; 0 = none */
    uint32_t events_raised, events_delivered;

    /* scheduling (sched.c) */
    uint32_t restart;            /* RESTART_* from its module line */
    uint32_t weight;             /* share of the CPU against other domains' weights */
    uint32_t cap;                /* at most this % of the CPU, 0 = no cap */
    uint64_t vruntime;           /* CPU time scaled by 256 / weight */
    uint64_t run_start;          /* when it was last switched in: its quantum started */
    uint64_t acct_start;         /* CPU time is counted up to here */
    uint64_t cpu_ns;             /* CPU time used in all */
    uint64_t period_ns;          /* CPU time used in this cap period */
    int yielded;                 /* let others run first at the next pick */
    uint32_t poll_ports[RV_POLL_MAX], nr_poll;  /* sched_op poll: what wakes it */
    uint64_t poll_deadline;
    int polling, poll_timed_out;

    /* console (console.c, console_input.c) */
    char hist[CONSOLE_HIST_SIZE];  /* everything it wrote, the last CONSOLE_HIST_SIZE bytes */
    uint64_t hist_head;          /* bytes written in all: hist[hist_head % size] is next */
    char line[CONSOLE_LINE_MAX]; /* the line view's line being built */
    uint32_t line_len;
    struct line_clean clean;     /* ...and its unfinished UTF-8 sequence */
    uint32_t flood_spent, flood_hidden;  /* the line view's flood limit */
    uint64_t flood_ns;
    char in_ring[256];           /* serial input while it has the focus */
    uint32_t in_head, in_tail;
    char ctl_in[256];            /* domctl CONSOLE_WRITE's bytes, whatever the focus */
    uint32_t ctl_in_head, ctl_in_tail;

    /* virtio devices from its module line (drivers/), numbered 0 .. nr_vdevs-1 */
    struct vdev *vdev[ML_MAX_DEVS];
    uint32_t nr_vdevs;

    /* accounting */
    uint32_t emulated[EMUL_COUNT];
    struct trap_site trap_site[TRAP_SITES];
    uint32_t trap_sites_lost;             /* traps at sites past the first TRAP_SITES */
    struct rv_vcpu_stats stats;
    uint32_t hc_count[RV_NR_HYPERCALLS];  /* per hypercall number (multicall entries too) */
    uint32_t trap_count[32];              /* exceptions taken, per vector; #GP only when it was
                                           * not an int n, a segfix flip or an emulated CLI/STI/HLT */
    uint32_t softint_count;               /* int n bounced to the guest's handler (the CPU saw #GP) */
    uint32_t mmu_entries;                 /* entries of mmu_update batches applied */
    uint32_t mmuext_count[8];             /* mmuext_op operations, per RV_MMUEXT_* command */

    /* how it ended */
    int exit_reason;             /* RV_SHUTDOWN_*, or RV_EXIT_KILLED / RV_EXIT_DESTROYED */
    int exit_code;
};

extern struct domain domains[MAX_DOMAINS] __attribute__((aligned(4096)));
extern struct domain *current;   /* running domain, NULL in the scheduler */
extern uint32_t domain_slots;    /* domains[domain_slots..] have never been used: all DOM_FREE */

static inline struct rv_vcpu_info *vcpu_info(struct domain *d) { return &d->shared->vcpu_info[0]; }

/* domain_build.c: a domain from an ELF image and its parsed options. */
struct multiboot_module;
struct build_src {
    const uint8_t *img;          /* the ELF image, readable by the monitor now */
    uint32_t img_len;
    const uint8_t *initrd_va;    /* an initrd readable now (domctl), or... */
    uint32_t initrd_pa;          /* ...at this physical address (a boot module) */
    uint32_t initrd_len;         /* 0: none */
    int module;                  /* its boot module, -1: created by domctl */
    uint32_t next_module;        /* the first module disk=next takes */
};
int domain_create(const struct modline *ml, const struct build_src *src, struct domain **out,
                  char *why_buf, uint32_t why_len, const char **why);
int domain_build(int index);

/* domain.c */
void domain_kill(struct domain *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void domain_exit(struct domain *d, int reason, int code);
void domain_destroy(struct domain *d, int restart_module);
void domain_reap(struct domain *d);
void domain_destroyed(struct domain *d, const char *by);
struct domain *domain_by_id(uint32_t id);

/* domctl.c */
void domctl_notify(void);
void domctl_domain_gone(const struct domain *d);
int domctl_keep(const struct domain *d);
void domctl_creator_gone(const struct domain *d);
void domctl_print_list(void);
extern const struct multiboot_module *boot_modules;
extern uint32_t nr_boot_modules;
void domain_print_memory(struct domain *d);
uint32_t seg_base(struct domain *d, uint32_t sel, int *ok);

/* sched.c */
void sched_start(void) __attribute__((noreturn));
void sched_yield(void);
void sched_block(void);
void sched_wait_event(void); /* sleep until an event is pending; virtual IF unchanged */
void sched_leave_dead(void) __attribute__((noreturn));
void sched_wake(struct domain *d);
void sched_unpause(struct domain *d);
void sched_check_resched(void);
extern int need_resched; /* sched_check_resched has work: a woken domain is owed the CPU */
void sched_poll_wake(struct domain *d, uint32_t port);
int sched_poll(struct domain *d, const uint32_t *ports, uint32_t n, uint64_t timeout);
void sched_print_table(void);
void timer_interrupt(void);
void timer_reprogram(void);
void vcpu_prepare(struct domain *d, uint32_t entry, uint32_t esp, uint32_t esi);

#endif
