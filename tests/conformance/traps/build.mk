# tests/conformance/traps/build.mk: the trap tests (ABI.md: set_trap_table,
# stack_switch, iret, fpu_taskswitch, "Exceptions and software interrupts").
# Every test links trapkit.c (catching exceptions, a native-IRET handler).
# Sources built more than once take their case from the command line
# (tests.list args=).
TRAPS_DIR := tests/conformance/traps
$(eval $(call rv_test,traps-fpu-a,$(TRAPS_DIR)/fpuctx.c $(TRAPS_DIR)/trapkit.c))
$(eval $(call rv_test,traps-fpu-b,$(TRAPS_DIR)/fpuctx.c $(TRAPS_DIR)/trapkit.c))
$(eval $(call rv_test,traps-fpu,$(TRAPS_DIR)/fpu.c $(TRAPS_DIR)/trapkit.c))
$(eval $(call rv_test,traps-exc-r1,$(TRAPS_DIR)/exceptions.c $(TRAPS_DIR)/trapkit.c))
$(eval $(call rv_test,traps-exc-r3,$(TRAPS_DIR)/exceptions.c $(TRAPS_DIR)/trapkit.c))
$(eval $(call rv_test,traps-softint,$(TRAPS_DIR)/softint.c $(TRAPS_DIR)/trapkit.c))
$(eval $(call rv_test,traps-direct,$(TRAPS_DIR)/direct.c $(TRAPS_DIR)/trapkit.c))
$(eval $(call rv_test,traps-int3-dpl,$(TRAPS_DIR)/int3dpl.c $(TRAPS_DIR)/trapkit.c))
$(eval $(call rv_test,traps-stt,$(TRAPS_DIR)/stt.c $(TRAPS_DIR)/trapkit.c))
$(eval $(call rv_test,traps-iret,$(TRAPS_DIR)/iret.c $(TRAPS_DIR)/trapkit.c))
$(eval $(call rv_test,traps-stack-switch,$(TRAPS_DIR)/stackswitch.c $(TRAPS_DIR)/trapkit.c))
$(eval $(call rv_test,traps-hwvec,$(TRAPS_DIR)/hwvec.c $(TRAPS_DIR)/trapkit.c))
$(eval $(call rv_test,traps-kill-unhandled,$(TRAPS_DIR)/deliver_kill.c $(TRAPS_DIR)/trapkit.c))
$(eval $(call rv_test,traps-kill-removed,$(TRAPS_DIR)/deliver_kill.c $(TRAPS_DIR)/trapkit.c))
$(eval $(call rv_test,traps-kill-nostack,$(TRAPS_DIR)/deliver_kill.c $(TRAPS_DIR)/trapkit.c))
$(eval $(call rv_test,traps-kill-rostack,$(TRAPS_DIR)/deliver_kill.c $(TRAPS_DIR)/trapkit.c))
$(eval $(call rv_test,traps-kill-unmapstk,$(TRAPS_DIR)/deliver_kill.c $(TRAPS_DIR)/trapkit.c))
$(eval $(call rv_test,traps-kill-holestk,$(TRAPS_DIR)/deliver_kill.c $(TRAPS_DIR)/trapkit.c))
$(eval $(call rv_test,traps-iret-cs0,$(TRAPS_DIR)/iret_kill.c $(TRAPS_DIR)/trapkit.c))
$(eval $(call rv_test,traps-iret-cs2,$(TRAPS_DIR)/iret_kill.c $(TRAPS_DIR)/trapkit.c))
$(eval $(call rv_test,traps-iret-ss,$(TRAPS_DIR)/iret_kill.c $(TRAPS_DIR)/trapkit.c))
$(eval $(call rv_test,traps-iret-unread,$(TRAPS_DIR)/iret_kill.c $(TRAPS_DIR)/trapkit.c))
$(eval $(call rv_test,traps-iret-badcs,$(TRAPS_DIR)/iret_kill.c $(TRAPS_DIR)/trapkit.c))
$(eval $(call rv_test,traps-iret-eiplim,$(TRAPS_DIR)/iret_kill.c $(TRAPS_DIR)/trapkit.c))
$(eval $(call rv_test,traps-gates,$(TRAPS_DIR)/gates.c $(TRAPS_DIR)/trapkit.c))
