# tests/conformance/events/build.mk: the event and time tests (ABI.md
# "Events and time", hypercalls 15-17, sched_op block and poll).
# evtkit.c is shared: verdicts with figures, loopback channels, bad
# pointers, and groups of domains that meet over event channels.
EVT := tests/conformance/events
$(eval $(call rv_test,evt-deliver,$(EVT)/evt-deliver.c $(EVT)/evtkit.c))
$(eval $(call rv_test,evt-retwin,$(EVT)/evt-retwin.c $(EVT)/evtkit.c))
$(eval $(call rv_test,evt-ops,$(EVT)/evt-ops.c $(EVT)/evtkit.c))
$(eval $(call rv_test,evt-timer,$(EVT)/evt-timer.c $(EVT)/evtkit.c))
$(eval $(call rv_test,evt-poll,$(EVT)/evt-poll.c $(EVT)/evtkit.c))
$(eval $(call rv_test,evt-irqoff,$(EVT)/evt-irqoff.c $(EVT)/evtkit.c))
$(eval $(call rv_test,evt-latency,$(EVT)/evt-latency.c $(EVT)/evtkit.c))
$(eval $(call rv_test,evt-busy,$(EVT)/evt-busy.c $(EVT)/evtkit.c))
$(eval $(call rv_test,evt-fair,$(EVT)/evt-fair.c $(EVT)/evtkit.c))
$(eval $(call rv_test,evt-storm,$(EVT)/evt-storm.c $(EVT)/evtkit.c))
$(eval $(call rv_test,evt-ping,$(EVT)/evt-ping.c $(EVT)/evtkit.c))
$(eval $(call rv_test,evt-cost,$(EVT)/evt-cost.c $(EVT)/evtkit.c))
$(eval $(call rv_test,evt-sleep-nocb,$(EVT)/evt-sleep-nocb.c))
