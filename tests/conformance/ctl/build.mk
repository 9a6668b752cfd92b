# tests/conformance/ctl/build.mk: the control plane (ABI.md "Control
# domains", hypercall 19 domctl, ABI 1.6).  ctl-child is the small guest
# the control tests create; each of them carries its image (objcopy'd into
# ctlchild.o, ctlchild_start .. ctlchild_end) and uses ctlkit.c and the
# rvctl library (libpvguest/rvctl.c).
CTL := tests/conformance/ctl
CTL_CHILD_O := $(BUILD)/guests/ctlchild.o
$(eval $(call rv_guest,ctlchild,$(CTL)/ctl-child.c))
$(CTL_CHILD_O): $(BUILD)/guests/ctlchild.elf
	cd $(@D) && $(OBJCOPY) -I binary -O elf32-i386 -B i386 \
	    --rename-section .data=.rodata,alloc,load,readonly,data,contents \
	    --add-section .note.GNU-stack=/dev/null \
	    --redefine-sym _binary_ctlchild_elf_start=ctlchild_start \
	    --redefine-sym _binary_ctlchild_elf_end=ctlchild_end \
	    --strip-symbol _binary_ctlchild_elf_size ctlchild.elf ctlchild.o
$(eval $(call rv_test,ctl-ops,$(CTL)/ctl-ops.c $(CTL)/ctlkit.c,$(CTL_CHILD_O)))
$(eval $(call rv_test,ctl-perm,$(CTL)/ctl-perm.c $(CTL)/ctlkit.c,$(CTL_CHILD_O)))
$(eval $(call rv_test,ctl-hostile,$(CTL)/ctl-hostile.c $(CTL)/ctlkit.c,$(CTL_CHILD_O)))
$(eval $(call rv_test,ctl-cycles,$(CTL)/ctl-cycles.c $(CTL)/ctlkit.c,$(CTL_CHILD_O)))
$(eval $(call rv_test,ctl-witness,$(CTL)/ctl-witness.c))
$(eval $(call rv_test,ctl-two,$(CTL)/ctl-two.c $(CTL)/ctlkit.c,$(CTL_CHILD_O)))
