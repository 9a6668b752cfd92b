# ringvisor top-level Makefile.
#
#   make            monitor, libpvguest, demo guests, conformance tests, host unit tests
#   make iso        build/ringvisor.iso (GRUB, the monitor and the demo guests)
#   make run        boot the demo ISO in QEMU (TCG; KVM where the CPU has vmx/svm)
#   make check      every test: host unit tests, conformance on QEMU TCG, isolation on Bochs
#
# Each directory adds its own rules in build.mk; everything lands in build/.

BUILD     := build
NASM      ?= nasm
CC        ?= gcc
HOSTCC    ?= gcc
PYTHON    ?= python3

# Freestanding 32-bit C for the monitor and guests.  No SSE/x87 code is
# generated: the monitor never touches guest FPU state by accident, and
# guests need no FPU set-up before C runs.
XCFLAGS   := -m32 -std=c11 -ffreestanding -fno-pic -fno-pie -fno-stack-protector \
             -fno-asynchronous-unwind-tables -mgeneral-regs-only \
             -fno-builtin -nostdinc -isystem $(shell $(CC) -m32 -print-file-name=include) \
             -O2 -g -Wall -Wextra -Werror=implicit-function-declaration -MMD -MP \
             -Ipv-abi
XLDFLAGS  := -m elf_i386 -nostdlib --build-id=none -z noexecstack
NASMFLAGS := -f elf32 -g -F dwarf
LIBGCC    := $(shell $(CC) -m32 -print-libgcc-file-name)

# Quiet by default, like Kbuild: `make V=1` shows the commands.
ifeq ($(V),1)
Q :=
else
Q := @
endif

.PHONY: all iso run check unit conformance strict setup clean
all:

include monitor/build.mk
include libpvguest/build.mk
include tests/build.mk
include tools/build.mk

setup:
	@bash tools/setup.sh base

clean:
	rm -rf $(BUILD)

# Dependency files of our own objects (not of trees we build with their own
# make, e.g. Linux, nor of the Debian root file system, which has *.d files).
-include $(shell find $(BUILD) \( -path $(BUILD)/linux -o -path $(BUILD)/debian \) -prune -o -name '*.d' -type f -print 2>/dev/null)
