/* SPDX-License-Identifier: MIT */
/*
 * pvguest.h: libpvguest, everything a ringvisor guest needs, in one
 * include.  libpvguest/README.md lists the API.
 */
#ifndef PVGUEST_H
#define PVGUEST_H

#include <ringvisor.h>
#include "rvlib.h"
#include "pvguest/guest.h"
#include "pvguest/hcall.h"
#include "pvguest/console.h"
#include "pvguest/traps.h"
#include "pvguest/setjmp.h"
#include "pvguest/user.h"
#include "pvguest/irq.h"
#include "pvguest/events.h"
#include "pvguest/time.h"
#include "pvguest/desc.h"
#include "pvguest/mm.h"
#include "pvguest/virtio.h"

#endif
