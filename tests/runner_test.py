#!/usr/bin/env python3
"""tests/runner_test.py: tests of tests/run.py's manifest reader, serial-log
parser and verdicts, on canned monitor logs (no emulator needed).

Prints failures and then `N passed, N failed, N skipped`, the format
run.py's --unit-result reads, so `make check` counts these too.
"""

import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run  # noqa: E402

# What a boot of four tests looks like from QEMU -kernel, with the noise a
# GRUB boot puts in front (screen clearing on COM1) and CRLF line ends.
LOG = "\r\n".join([
    "\x1b[H\x1b[J\x1b[1;1H  Booting `ringvisor'",
    "",
    "\r(rv) ringvisor 0.1, 128 MiB",
    "(rv) d1 good: started, 4096 KiB at mfn 0x1000, entry 0x400000",
    "(rv) d2 bad: started, 4096 KiB at mfn 0x2000, entry 0x400000",
    "(rv) module 2 (build/guests/x.elf): refused: unknown option",
    "(rv) d4 victim: started, 8192 KiB at mfn 0x3000, entry 0x400000",
    "[d1 good] testing things",
    "[d2 bad] RESULT: FAIL cr3 was 0x1234, expected 0x5678",
    "[d1 good] RESULT: PASS all fine",
    "[d4 victim] (rv) d4 victim: exit poweroff code 0",
    "(rv) d1 good: exit poweroff code 0",
    "(rv) d2 bad: exit poweroff code 1",
    "(rv) d4 victim: killed: #GP in ring 1 (eip 0x401000 err 0x0)",
    "(rv) d4 victim: emulated cli=3 sti=3",
    "(rv) all domains stopped",
    "",
])

PANIC_LOG = "\n".join([
    "(rv) d1 a: started, 4096 KiB at mfn 0x1000, entry 0x400000",
    "(rv) d2 b: started, 4096 KiB at mfn 0x2000, entry 0x400000",
    "(rv) d1 a: exit poweroff code 3",
    "[d1 a] RESULT: SKIP no segment limits here",   # after the exit: still its message
    "(rv) PANIC: page fault in the monitor at 0xfc001234",
    "  eax=00000000 ebx=00000001",
    "  cr2=fc001234",
])


def tests(text):
    return run.parse_manifest(text, "test")


class ManifestTest(unittest.TestCase):
    def test_fields(self):
        t = tests('''
            # a comment that isn't parsed
            seg-limit strict mem=8M elf=guests/x.elf args="a b" # trailing comment
            kill-me expect=killed:#GP timeout=90 modargs=quantum=5
            bad-mod expect=refused:unknown alone
        ''')
        self.assertEqual([x.name for x in t], ["seg-limit", "kill-me", "bad-mod"])
        self.assertTrue(t[0].strict)
        self.assertEqual(t[0].mem_kb, 8192)
        self.assertEqual(t[0].args, "a b")
        self.assertEqual(t[0].module_string("p.elf"), "p.elf name=seg-limit mem=8M -- a b")
        self.assertEqual(t[1].expect, ("killed", "#GP"))
        self.assertEqual(t[1].timeout, 90)
        self.assertEqual(t[1].elf, "tests/conformance/kill-me.elf")
        self.assertEqual(t[1].module_string("q"), "q name=kill-me quantum=5")
        self.assertTrue(t[2].alone)
        self.assertEqual(tests('x args="a #b" # c')[0].args, "a #b")

    def test_errors(self):
        for bad in ["x frobnicate", "x mem=lots", "x expect=dead", "x args=a,b",
                    "x\nx", "a-name-that-is-far-too-long-for-the-monitor",
                    "x args='unclosed"]:
            with self.assertRaises(run.ManifestError, msg=bad):
                tests(bad)

    def test_several_manifests(self):
        with tempfile.TemporaryDirectory() as d:
            a, b = os.path.join(d, "a.list"), os.path.join(d, "b.list")
            with open(a, "w") as f:
                f.write("one\ntwo strict\n")
            with open(b, "w") as f:
                f.write("three\n")
            self.assertEqual([t.name for t in run.read_manifests([a, b])], ["one", "two", "three"])
            with open(b, "w") as f:
                f.write("three\ntwo\n")
            with self.assertRaises(run.ManifestError):
                run.read_manifests([a, b])

    def test_groups(self):
        t = tests("\n".join(["t%d" % i for i in range(10)] + ["solo alone", "t10"]))
        g = run.make_groups(t, 4)
        self.assertEqual([[x.name for x in b] for b in g],
                         [["t0", "t1", "t2", "t3"], ["t4", "t5", "t6", "t7"],
                          ["solo"], ["t8", "t9", "t10"]])


class DeviceManifestTest(unittest.TestCase):
    def test_module_and_drive(self):
        t = tests('''
            a module=tests/disk.img module=x.img modargs="disk=next disk=next"
            w drive=d:8M modargs=disk=ata0:0+64
            v drive=d
        ''')
        self.assertEqual(t[0].modules, ["tests/disk.img", "x.img"])
        self.assertEqual((t[1].drive, t[1].drive_kb), ("d", 8192))
        self.assertEqual((t[2].drive, t[2].drive_kb), ("d", 8192))   # the size comes from w
        for bad in ["x drive=", "x drive=d:lots", "x drive=d", "x drive=d:1M\ny drive=d:2M",
                    "x drive=d:1M strict", "x module=a,b",
                    "x drive=d:1M boot=b\ny drive=e:1M boot=b", "x drive=d:1M boot=b\ny boot=b"]:
            with self.assertRaises(run.ManifestError, msg=bad):
                tests(bad)

    def test_drive_groups_and_jobs(self):
        t = tests("a\nw drive=d:1M\nb\nv drive=d\nx drive=e:1M boot=two\ny drive=e boot=two\nc")
        g = run.make_groups(t, 8)
        self.assertEqual([[x.name for x in b] for b in g], [["w"], ["v"], ["x", "y"], ["a", "b", "c"]])
        plan = [("tcg", i + 1, b) for i, b in enumerate(g)]
        self.assertEqual([[n for _, n, _ in job] for job in run.jobs(plan)], [[1, 2], [3], [4]])

    def test_nic(self):
        t = tests("a\nn1 nic\nb\nn2 nic\ni icount\nu nic boot=up\nv boot=up")
        self.assertTrue(t[1].nic and not t[0].nic)
        g = run.make_groups(t, 8)
        self.assertEqual([[x.name for x in b] for b in g], [["n1", "n2"], ["i"], ["u", "v"], ["a", "b"]])
        nic = ["-netdev", "user,id=n0,restrict=on", "-device", "e1000,netdev=n0"]
        self.assertEqual(run.qemu_extras(g[0], None), nic)
        self.assertEqual(run.qemu_extras(g[2], None), nic)   # one nic test gives its boot the card
        self.assertEqual(run.qemu_extras(g[3], None), [])
        self.assertEqual(run.qemu_extras(g[1], "d.img"),
                         ["-drive", "file=d.img,format=raw,if=ide,index=0,media=disk",
                          "-icount", "shift=0,sleep=off"])
        with self.assertRaises(run.ManifestError):
            tests("x nic strict")

    def test_bochs_flag(self):
        t = tests("a\nb bochs\nc strict")
        self.assertEqual([(x.bochs, x.strict) for x in t], [(False, False), (True, False), (False, True)])
        for bad in ["x bochs nic", "x bochs drive=d:1M", "x bochs cpuflags=umip"]:
            with self.assertRaises(run.ManifestError):
                tests(bad)
        self.assertEqual(os.path.basename(os.path.dirname(run.default_manifests()[-1])), "hostile")

    def test_cpuflags(self):
        t = tests("a\nu1 cpuflags=umip\nu2 cpuflags=umip+smep\nu3 cpuflags=umip\nb")
        g = run.make_groups(t, 8)
        self.assertEqual([[x.name for x in b] for b in g], [["u1", "u3"], ["u2"], ["a", "b"]])
        self.assertEqual(run.qemu_extras(g[0], None), ["-cpu", "qemu32,+umip"])
        self.assertEqual(run.qemu_extras(g[1], None), ["-cpu", "qemu32,+umip,+smep"])
        self.assertEqual(run.qemu_extras(g[2], None), [])
        for bad in ["x cpuflags=umip strict", "x cpuflags=", "x cpuflags=a,b"]:
            with self.assertRaises(run.ManifestError):
                tests(bad)

    def test_module_indexes(self):
        # a's extra module is module 1, so b is module 2: its refusal is found there.
        log = "\n".join(["(rv) d1 a: started", "(rv) module 2 (b.elf): refused: disk=next but no module",
                         "(rv) d1 a: exit poweroff code 0"])
        v = verdicts("a module=disk.img\nb expect=refused:disk=next", log)
        self.assertEqual(v["a"][0], "PASS")
        self.assertEqual(v["b"][0], "PASS")


class RestartTest(unittest.TestCase):
    LOG = "\n".join(["(rv) d1 r: started", "(rv) d1 r: exit crash code 9",
                     "(rv) d1 r: restarting from module 0 once its memory is scrubbed",
                     "(rv) d1 r: started", "(rv) d1 r: exit crash code 9"])

    def test_restarts_counted(self):
        self.assertEqual(verdicts("r expect=exit:crash:9 restarts=1", self.LOG)["r"][0], "PASS")

    def test_wrong_count_fails(self):
        v = verdicts("r expect=exit:crash:9 restarts=5", self.LOG)["r"]
        self.assertEqual(v[0], "FAIL")
        self.assertIn("restarted 1 time(s), expected 5", v[1])


class MonlogTest(unittest.TestCase):
    LOG = "\n".join(["(rv) d1 m: started", "[d1 m] (rv) d1 m: disk0: 3 DMA commands",
                     "(rv) d1 m: exit poweroff code 0", "(rv) d1 m: disk0: ata0: 0 DMA commands, 2 PIO commands"])

    def test_match_passes(self):
        self.assertEqual(verdicts("m monlog='[0-9]+ PIO commands'", self.LOG)["m"][0], "PASS")

    def test_no_match_fails(self):
        # the guest's own console line does not count
        v = verdicts("m monlog='[1-9][0-9]* DMA commands'", self.LOG)["m"]
        self.assertEqual(v[0], "FAIL")
        self.assertIn("monlog=", v[1])

    def test_bad_regex(self):
        with self.assertRaises(run.ManifestError):
            tests("m monlog=[")


class ParseTest(unittest.TestCase):
    def test_log(self):
        info = run.parse_log(LOG)
        self.assertEqual(info.names, {1: "good", 2: "bad", 4: "victim"})
        self.assertEqual(info.exits, {"good": ("poweroff", 0), "bad": ("poweroff", 1)})
        self.assertEqual(info.killed, {"victim": ("#GP in ring 1", "eip 0x401000 err 0x0")})
        self.assertEqual(info.refused, {2: ("build/guests/x.elf", "unknown option")})
        self.assertEqual(info.results["bad"], ("FAIL", "cr3 was 0x1234, expected 0x5678"))
        self.assertTrue(info.all_stopped)
        self.assertIsNone(info.panic)

    def test_guest_cannot_forge_monitor_lines(self):
        # d4 printed an exit line of its own on its console: it stays killed.
        info = run.parse_log(LOG)
        self.assertNotIn("victim", info.exits)

    def test_panic(self):
        info = run.parse_log(PANIC_LOG)
        self.assertEqual(info.panic[0], "(rv) PANIC: page fault in the monitor at 0xfc001234")
        self.assertEqual(len(info.panic), 3)


def verdicts(manifest, log, platform="tcg", boot=None):
    group = tests(manifest)
    rs = run.judge(group, run.parse_log(log), boot or run.Boot(status=3), platform)
    return {r.test: (r.verdict, r.reason) for r in rs}


class JudgeTest(unittest.TestCase):
    def test_verdicts(self):
        v = verdicts("good\nbad\nrefused\nvictim\nghost", LOG)
        self.assertEqual(v["good"], ("PASS", ""))
        self.assertEqual(v["bad"], ("FAIL", "cr3 was 0x1234, expected 0x5678"))
        self.assertEqual(v["refused"], ("ERROR", "module refused: unknown option"))
        self.assertEqual(v["victim"][0], "CRASH")
        self.assertIn("#GP in ring 1", v["victim"][1])
        self.assertEqual(v["ghost"][0], "CRASH")
        self.assertIn("never started", v["ghost"][1])

    def test_expectations(self):
        v = verdicts("good expect=killed:#GP\nbad\nrefused expect=refused:unknown\n"
                     "victim expect=killed:#GP", LOG)
        self.assertEqual(v["good"][0], "FAIL")
        self.assertEqual(v["refused"][0], "PASS")
        self.assertEqual(v["victim"][0], "PASS")
        v = verdicts("good\nbad\nrefused \"expect=refused:too long\"\nvictim expect=killed:#PF", LOG)
        self.assertEqual(v["refused"][0], "FAIL")
        self.assertEqual(v["victim"][0], "CRASH")

    def test_panic_fails_the_unfinished(self):
        v = verdicts("a strict\nb", PANIC_LOG)
        self.assertEqual(v["a"], ("SKIP", "no segment limits here"))
        self.assertEqual(v["b"][0], "FAIL")
        self.assertIn("page fault in the monitor", v["b"][1])

    def test_strict_skip_on_bochs_fails(self):
        v = verdicts("a strict\nb", PANIC_LOG, platform="bochs")
        self.assertEqual(v["a"][0], "FAIL")

    def test_timeout_and_reset(self):
        v = verdicts("a\nb", PANIC_LOG.split("(rv) PANIC")[0],
                     boot=run.Boot(timed_out=True, elapsed=60))
        self.assertEqual(v["a"][0], "SKIP")
        self.assertEqual(v["b"][0], "CRASH")
        self.assertIn("timed out", v["b"][1])
        v = verdicts("b", "", boot=run.Boot(status=0))
        self.assertIn("triple fault", v["b"][1])

    def test_odd_exits(self):
        log = "\n".join(["(rv) d1 a: started", "(rv) d1 a: exit crash code 0",
                         "(rv) d2 b: started", "(rv) d2 b: exit poweroff code 7",
                         "(rv) d3 c: started", "(rv) d3 c: exit poweroff code 2"])
        v = verdicts("a\nb\nc", log)
        self.assertEqual(v["a"][0], "CRASH")
        self.assertEqual(v["b"][0], "FAIL")
        self.assertEqual(v["c"], ("ERROR", "(no RESULT message)"))


class HostResultTest(unittest.TestCase):
    def test_lines_and_summary(self):
        rs = run.parse_host_result("PASS a\nFAIL b: wrong\nSKIP c: later\n1 passed, 1 failed, 1 skipped\n", "unit")
        self.assertEqual(run.counts(rs), (1, 1, 1))
        self.assertEqual(rs[1].test, "b: wrong")

    def test_summary_wins(self):
        rs = run.parse_host_result("make: noise\nFAIL x: bad\n41 passed, 2 failed\n", "unit")
        self.assertEqual(run.counts(rs), (41, 2, 0))
        self.assertIn("x: bad", [r.test for r in rs])

    def test_no_summary_is_a_failure(self):
        rs = run.parse_host_result("Segmentation fault\n", "unit")
        self.assertEqual(run.counts(rs), (0, 1, 0))



def main():
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
    with open(os.devnull, "w") as null:
        result = unittest.TextTestRunner(stream=null, verbosity=0).run(suite)
    for test, tb in result.failures + result.errors:
        print("FAIL %s: %s" % (test.id().split(".", 1)[1], tb.strip().splitlines()[-1]))
        print("    " + tb.strip().replace("\n", "\n    "))
    failed = len(result.failures) + len(result.errors)
    skipped = len(result.skipped)
    print("%d passed, %d failed, %d skipped" % (result.testsRun - failed - skipped, failed, skipped))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
