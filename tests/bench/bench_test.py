#!/usr/bin/env python3
"""tests/bench/bench_test.py: the harness's own tests (no QEMU): parsing
hvbench lines, combining boots, rendering tables, spotting failed boots.

    python3 tests/bench/bench_test.py
"""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402

# mul/shift of a 1 GHz TSC as the monitor publishes it (icount).
LOG_1GHZ = """\
(rv) d1 hvbench: started, 4096 KiB at mfn 0xfbe0, entry 0x400030
[d1 hvbench] BENCH clock mul=2147483648 shift=1
[d1 hvbench] BENCH op=intiret-r3 ops=2000 best=8005 base=4005 unit=cycles reps=5 hc=0 traps=0 sched=0 total=10000
[d1 hvbench] BENCH op=hc-page ops=2000 best=272005 base=4005 unit=cycles reps=5 hc=10000 traps=0 sched=0 total=10000
[d1 hvbench] BENCH op=mmu-512 ops=16 best=1994973 base=77 unit=cycles reps=5 hc=80 traps=0 sched=0 total=80
[d1 hvbench] BENCH op=evt-pingpong ops=200 best=4000000 base=0 unit=cycles reps=5 hc=3000 traps=0 sched=1000 total=1000
[d2 hvpeer] BENCH op=evt-pingpong role=peer total=1000 hc=3000 traps=0 sched=1000
[d1 hvbench] BENCH op=timer-spin ops=1 best=1300 base=0 unit=ns reps=5 hc=10 traps=0 sched=0 total=5
(rv) d2 hvpeer: exit poweroff code 0
(rv) d1 hvbench: exit poweroff code 0
(rv) d1 hvbench: profile: version=20000 iret=11028
"""


class ParseTest(unittest.TestCase):
    def test_clock_and_figures(self):
        run = bench.parse_hv(LOG_1GHZ)
        self.assertAlmostEqual(run["tsc_ghz"], 1.0)
        ops = run["ops"]
        self.assertAlmostEqual(ops["intiret-r3"]["cycles"], 2.0)
        self.assertAlmostEqual(ops["hc-page"]["cycles"], 134.0)
        self.assertAlmostEqual(ops["hc-page"]["hc"], 1.0)
        self.assertAlmostEqual(ops["mmu-512/entry"]["cycles"], (1994973 - 77) / 16 / 512)

    def test_peer_counts_add_up(self):
        f = bench.parse_hv(LOG_1GHZ)["ops"]["evt-pingpong"]
        self.assertAlmostEqual(f["hc"], 6.0)        # 3 on each side
        self.assertAlmostEqual(f["switches"], 2.0)

    def test_ns_figures_become_cycles(self):
        f = bench.parse_hv(LOG_1GHZ.replace("mul=2147483648 shift=1", "mul=2147483648 shift=0"))["ops"]
        self.assertAlmostEqual(f["timer-spin"]["cycles"], 2600.0)   # 2 GHz

    def test_best_of_takes_least_cycles_and_median_clock(self):
        a = {"tsc_ghz": 2.0, "ops": {"x": {"cycles": 100.0}}}
        b = {"tsc_ghz": 2.6, "ops": {"x": {"cycles": 80.0}}}
        c = {"tsc_ghz": 3.1, "ops": {"x": {"cycles": 90.0}}}
        out = bench.best_of([a, b, c])
        self.assertEqual(out["ops"]["x"]["cycles"], 80.0)
        self.assertAlmostEqual(out["ops"]["x"]["ns"], 80.0 / 2.6)

    def test_boot_problems(self):
        res = bench.BootResult(LOG_1GHZ, 1.0, 1, False, "x.serial")
        self.assertEqual(bench.boot_problems(res, ["hvbench", "hvpeer"]), [])
        bad = LOG_1GHZ.replace("(rv) d2 hvpeer: exit poweroff code 0\n", "")
        bad += "[d1 hvbench] BENCH-ERROR mmu_update of 1: -EINVAL\n"
        probs = bench.boot_problems(bench.BootResult(bad, 1.0, 1, True, "x.serial"), ["hvbench", "hvpeer"])
        self.assertTrue(any("hvpeer has no exit line" in p for p in probs))
        self.assertTrue(any("BENCH-ERROR" in p for p in probs))

    def test_profile_lines(self):
        self.assertEqual(bench.profile_lines(LOG_1GHZ), ["(rv) d1 hvbench: profile: version=20000 iret=11028"])


class TableTest(unittest.TestCase):
    def test_markdown(self):
        t = bench.Table("T", [("op", "operation"), ("v", "value")],
                        [{"op": "a", "v": 1234.5}, {"op": "b"}], ["a note"])
        md = t.markdown()
        self.assertIn("| operation | value |", md)
        self.assertIn("| a | 1,234 |", md)   # thousands: no decimals
        self.assertIn("| b | - |", md)
        self.assertIn("- a note", md)

    def test_number_format(self):
        self.assertEqual(bench.fmt_num(2.0), "2.00")
        self.assertEqual(bench.fmt_num(58.12), "58.1")
        self.assertEqual(bench.fmt_num(134.0), "134")


# The Linux suite: a native serial log and a ringvisor one (1 GHz TSC).
NATIVE_LOG = """\
SeaBIOS (version 1.16.2-debian-1.16.2-1)
Booting from ROM..
RVBENCH tsc at=init cycles=300000000\r
init: userland up (0.21 s after boot)
RVBENCH tsc at=prompt cycles=320000000
RVBENCH clock tsc_mhz=999.876
RVBENCH op=null n=100000 reps=5 best=30000000 us=0.300
RVBENCH op=fork-exit n=500 reps=5 best=50000000 us=100.000
RVBENCH op=cpu n=10000000 reps=5 best=40000000 us=0.004
RVBENCH done
reboot: Restarting system
"""
PV_LOG = """\
(rv) ringvisor monitor, ABI 1.3, hole at 0xfc000000
(rv) time: TSC 999.931 MHz, wall clock 1795256458 s since 1970, monitor entered at TSC 20000000
[d1 linux] RVBENCH tsc at=init cycles=420000000
[d1 linux] RVBENCH tsc at=prompt cycles=440000000
[d1 linux] RVBENCH clock tsc_mhz=999.931
[d1 linux] RVBENCH op=null n=100000 reps=5 best=31000000 us=0.310
[d1 linux] RVBENCH op=fork-exit n=500 reps=5 best=100000000 us=200.000
[d1 linux] RVBENCH op=cpu n=10000000 reps=5 best=40200000 us=0.004
[d1 linux] RVBENCH-ERROR macro workload: Input/output error
[d1 linux] RVBENCH done
(rv) d1 linux: exit poweroff code 0
(rv) d1 linux: emulated cli=0 sti=0 hlt=0; hypercalls 5000, exceptions bounced 300, events 40 raised 39 delivered
(rv) d1 linux: profile: iret=3000 mmu_update=2000 vec14=300
"""


class LinuxParseTest(unittest.TestCase):
    def test_native_lines(self):
        run = bench.parse_rvbench(bench.serial_lines(NATIVE_LOG))
        self.assertTrue(run["done"])
        self.assertAlmostEqual(run["tsc_mhz"], 999.876)
        self.assertEqual(run["tsc"], {"init": 300000000, "prompt": 320000000})
        self.assertAlmostEqual(run["ops"]["null"]["cycles"], 300.0)
        self.assertEqual(run["ops"]["fork-exit"]["n"], 500)
        self.assertEqual(run["errors"], [])

    def test_pv_lines_and_errors(self):
        run = bench.parse_rvbench(bench.console_lines(PV_LOG, "linux"))
        self.assertTrue(run["done"])
        self.assertAlmostEqual(run["ops"]["fork-exit"]["cycles"], 200000.0)
        self.assertEqual(run["errors"], ["macro workload: Input/output error"])
        # the native parser must not see the prefixed lines as its own
        self.assertEqual(bench.parse_rvbench(bench.serial_lines(PV_LOG))["ops"], {})

    def test_monitor_counters(self):
        prof = bench.parse_profile(PV_LOG, "linux")
        self.assertEqual(prof, {"hypercalls": 5000, "traps": 300, "events_raised": 40,
                                "events_delivered": 39, "iret": 3000, "mmu_update": 2000, "vec14": 300})
        self.assertEqual(bench.parse_profile(PV_LOG, "other"), {})
        base = {"hypercalls": 1000, "traps": 100, "iret": 1000, "vec14": 100, "events_raised": 40,
                "events_delivered": 39}
        d = bench.profile_delta(prof, base, 100)
        self.assertEqual(d, {"hypercalls": 40.0, "traps": 2.0, "iret": 20.0, "mmu_update": 20.0, "vec14": 2.0})

    def test_best_run_of_several_boots(self):
        a = bench.parse_rvbench(bench.serial_lines(NATIVE_LOG))
        b = bench.parse_rvbench(bench.serial_lines(NATIVE_LOG.replace("best=30000000", "best=20000000")
                                                   .replace("best=50000000", "best=60000000")
                                                   .replace("tsc_mhz=999.876", "tsc_mhz=900")))
        c = bench.parse_rvbench(bench.serial_lines(NATIVE_LOG.replace("tsc_mhz=999.876", "tsc_mhz=1100")))
        for r in (a, b, c):
            r["ops"].update(bench.boot_figures(r["tsc"]))
        best = bench.best_run([a, b, c])
        self.assertAlmostEqual(best["ops"]["null"]["cycles"], 200.0)        # from b
        self.assertAlmostEqual(best["ops"]["fork-exit"]["cycles"], 100000.0)  # from a
        self.assertAlmostEqual(best["tsc_mhz"], 999.876)                   # the median
        self.assertEqual(best["ops"]["reset-prompt"]["cycles"], 320000000)

    def _figures(self, mode_name):
        suite = bench.LinuxSuite()
        mode = bench.Mode(mode_name, "test")
        got = {}
        for kernel, log, lines in (("native", NATIVE_LOG, bench.serial_lines(NATIVE_LOG)),
                                   ("pv", PV_LOG, bench.console_lines(PV_LOG, "linux"))):
            got[kernel] = bench.parse_rvbench(lines)
        got["pv"]["tsc"]["entry"] = int(bench.RE_MON_ENTRY.match(PV_LOG.splitlines()[1]).group(1))
        for run in got.values():
            run["ops"].update(bench.boot_figures(run["tsc"]))
        return suite, mode, suite.figures(mode, got)

    def test_figures_and_boot_times(self):
        suite, mode, fig = self._figures("icount")
        self.assertEqual(fig["tsc_mhz"], 1000.0)            # icount: by definition
        self.assertAlmostEqual(fig["native"]["ops"]["null"]["us"], 0.3)
        pv = fig["pv"]["ops"]
        self.assertAlmostEqual(pv["reset-entry"]["us"], 20000.0)
        self.assertAlmostEqual(pv["entry-init"]["us"], 400000.0)
        self.assertAlmostEqual(pv["entry-prompt"]["us"], 420000.0)
        self.assertNotIn("entry-init", fig["native"]["ops"])
        # real time: the median of the calibrations
        _, _, fig = self._figures("wall")
        self.assertAlmostEqual(fig["tsc_mhz"], 999.931)

    def test_table_ratios_and_targets(self):
        suite, mode, fig = self._figures("icount")
        rows = {r["key"]: r for r in suite.table(mode, fig).rows}
        self.assertEqual(rows["null"]["ratio"], "1.03")
        self.assertEqual(rows["null"]["met"], "yes")
        self.assertEqual(rows["fork-exit"]["ratio"], "2.00")
        self.assertEqual(rows["fork-exit"]["met"], "no")
        self.assertEqual(rows["cpu"]["ratio"], "1.00")      # 1.005 rounds to 1.00: the control holds
        self.assertEqual(rows["cpu"]["met"], "yes")
        self.assertEqual(rows["reset-init"]["ratio"], "1.40")
        self.assertNotIn("stat", rows)                      # measured by neither: no row
        self.assertIn("entry-init", rows)                   # ringvisor only: a row, native blank
        self.assertIsNone(rows["entry-init"]["native"])
        self.assertIn("| null syscall (getppid through libc) | 0.30 | 0.31 | 1.03 | <= 1.05 | yes |",
                      suite.table(mode, fig).markdown())


if __name__ == "__main__":
    unittest.main()
