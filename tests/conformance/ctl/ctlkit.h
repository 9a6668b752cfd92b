/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/ctl/ctlkit.h: what the control-plane tests share
 * (ABI.md "Control domains", domctl, ABI 1.6): the small guest image
 * they carry (ctl-child, embedded with objcopy), rvctl wired to the
 * hypercall, and waiting for a domain's first line or its end.
 */
#ifndef CTLKIT_H
#define CTLKIT_H

#include <rvtest.h>
#include <pvguest/rvctl.h>

/* The embedded child image (build/guests/ctlchild.elf). */
extern const char ctlchild_start[], ctlchild_end[];
#define CHILD_IMAGE ((uint32_t)ctlchild_start)
#define CHILD_LEN ((uint32_t)(ctlchild_end - ctlchild_start))

extern const struct rvctl_ops ctl_ops;     /* rvctl through rv_hc_domctl, printing with rv_printf */
extern char ctl_reason[RV_DOMCTL_REASON_MAX];

long ctl(unsigned cmd, unsigned dom, const void *a1, unsigned long a2);
/* Binds RV_VIRQ_DOM_STATE (once); waits for it or ms milliseconds. */
void ctl_wait_event(uint32_t ms);
/* The port RV_VIRQ_DOM_STATE is bound to (bound on first use). */
uint32_t ctl_state_port(void);
/* 1 if text occurs in s. */
int ctl_contains(const char *s, const char *text);
/* CREATE of image/len with options; the reason lands in ctl_reason. */
long ctl_create(uint32_t image, uint32_t len, const char *options);
/* Runs one rvctl command line; returns what rvctl_run does. */
long ctl_rvctl(const char *line);
/* Reads dom's console until text appears (or ms pass); 1 if it did. */
int ctl_console_until(uint32_t dom, const char *text, uint32_t ms);
/* Waits until dom is dead (or ms pass); fills info; 1 if it died. */
int ctl_wait_dead(uint32_t dom, struct rv_domctl_info *info, uint32_t ms);
/* Free frames once every ended domain's frames are scrubbed. */
uint32_t ctl_free_frames_settled(void);

#endif
