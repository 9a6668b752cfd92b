/* SPDX-License-Identifier: MIT */
/* pv-abi/ringvisor.h: the whole ringvisor guest ABI in one include. */
#ifndef RINGVISOR_H
#define RINGVISOR_H
#include "abi.h"
#include "elfnote.h"
#include "hypercall.h"
#include "memory.h"
#include "event.h"
#include "virtio.h"
#include "domctl.h"
#include "shared_info.h"
#include "start_info.h"
#include "abi_layout.h"
#endif
