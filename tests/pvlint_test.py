#!/usr/bin/python3
"""tests/pvlint_test.py: tools/pvlint.py's own tests, on bytes and logs
made here and on the built core-emulate guest: it finds each instruction
by name, fails on one not allowed, reports stale and malformed allow-list
entries, and its trap check fails on a site it did not find or one the
allow-list calls unreachable.  Ends with `N passed, N failed`."""
import io
import os
import sys
import tempfile
from contextlib import redirect_stdout

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
import pvlint  # noqa: E402
from pvlint_allow import load_allow  # noqa: E402
from pvlint_traps import check_traps  # noqa: E402

BUILD = os.environ.get("BUILD", "build")
GUEST = os.path.join(BUILD, "tests/conformance/core-emulate.elf")
results = []


def case(name):
    def wrap(fn):
        try:
            fn()
            results.append(("PASS", name, ""))
        except AssertionError as e:
            results.append(("FAIL", name, str(e)))
        return fn
    return wrap


def lint(args):
    buf = io.StringIO()
    with redirect_stdout(buf):
        rc = pvlint.main(args)
    return rc, buf.getvalue()


def tmpfile(text):
    f = tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False)
    f.write(text)
    f.close()
    return f.name


@case("pvlint-rules: capstone's mnemonics map onto pvlint's names")
def _():
    md = pvlint.capstone.Cs(pvlint.capstone.CS_ARCH_X86, pvlint.capstone.CS_MODE_32)
    code = bytes.fromhex("fa" "9c" "9d" "cf" "f36c" "0f22d8" "0f23f8" "0f01d1" "0f0110" "0f00c8" "0f34" "90" "0f31")
    keys = [pvlint.rule_key(m, o) for _, _, m, o in md.disasm_lite(code, 0)]
    want = ["cli", "pushf", "popf", "iret", "ins", "mov-cr", "mov-dr", "xsetbv", "lgdt", "str", "sysenter", None, None]
    assert keys == want, keys


@case("pvlint-fails: core-emulate's CLI/STI/HLT fail without an allow-list, pass with one")
def _():
    rc, out = lint(["--no-allow", GUEST])
    assert rc == 1 and "FAIL pvlint" in out and "cli=1" in out and "hlt=2" in out, out  # hlt: with events on and off
    rc, out = lint(["-a", "tests/pvlint.allow", GUEST])
    assert rc == 0 and "PASS pvlint" in out, out


@case("pvlint-allow: an entry without a reason or with an unknown kind is refused; a stale one fails")
def _():
    for bad in ("*.elf one cli expected\n", "*.elf one cli maybe because\n"):
        try:
            load_allow([tmpfile(bad)])
            raise AssertionError("accepted %r" % bad)
        except ValueError:
            pass
    stale = tmpfile("*.elf one * expected ok\n*.elf test_main * expected ok\n*.elf nosuch cli expected stale\n")
    rc, out = lint(["-a", stale, "--stale", GUEST])
    assert rc == 1 and "stale" in out and ":3:" in out, out


def traps(log_text, allow_text):
    findings, _ = pvlint.lint_image(pvlint.capstone.Cs(pvlint.capstone.CS_ARCH_X86, pvlint.capstone.CS_MODE_32),
                                    GUEST, {})
    from pvlint_allow import match_allow
    match_allow(load_allow([tmpfile(allow_text)]), GUEST, findings)
    cli = [f for f in findings if f["insn"] == "cli"][0]["address"]
    return check_traps(tmpfile(log_text % {"cli": cli}), "t", findings)


LOG = ("(rv) d1 t: emulated cli=1 sti=0 hlt=0; hypercalls 3\n"
       "(rv) d1 t: trapped: %s\n"
       "(rv) d1 t: profile: version=1 vec13=1\n")


@case("pvlint-traps: a trapped site pvlint found passes; one it did not, or of another kind, fails")
def _():
    ok, lines = traps(LOG % "cli@0x%(cli)x=1", "*.elf * * expected x\n")
    assert ok == (1, 0), lines
    ok, lines = traps(LOG % "cli@0x%(cli)x=1".replace("%(cli)x", "%(cli)x1"), "*.elf * * expected x\n")
    assert ok == (0, 1) and "no such instruction" in lines[0], lines
    ok, lines = traps(LOG % "in@0x%(cli)x=1", "*.elf * * expected x\n")
    assert ok == (0, 1) and "pvlint found cli" in lines[0], lines


@case("pvlint-traps: a trap on a site allowed as unreachable, or counts that do not add up, fail")
def _():
    ok, lines = traps(LOG % "cli@0x%(cli)x=1", "*.elf * * unreachable never runs\n")
    assert ok == (0, 1) and "calls it unreachable" in lines[0], lines
    ok, lines = traps(LOG.replace("cli=1", "cli=2") % "cli@0x%(cli)x=1", "*.elf * * expected x\n")
    assert ok == (0, 1) and "add up" in lines[0], lines
    ok, lines = traps("(rv) d2 other: emulated cli=0\n", "*.elf * * expected x\n")
    assert ok == (0, 1) and "no domain" in lines[0], lines


for verdict, name, why in results:
    print("%s %s%s" % (verdict, name, (": " + why) if why else ""))
print("%d passed, %d failed" % (sum(r[0] == "PASS" for r in results), sum(r[0] == "FAIL" for r in results)))
sys.exit(any(r[0] == "FAIL" for r in results))
