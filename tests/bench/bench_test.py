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


if __name__ == "__main__":
    unittest.main()
