"""tests/hostcheck.py: the verdict lines of the host-side test scripts
(tests/*_test.py): one `PASS|FAIL|SKIP <what>[: <why>]` line per check and
the closing `N passed, N failed[, N skipped]` that tests/run.py
--unit-result counts (tests/PROTOCOL.md)."""
import sys


class Tally:
    def __init__(self):
        self.passed = self.failed = self.skipped = 0

    def check(self, ok, what, detail=""):
        print(("PASS " if ok else "FAIL ") + what + ("" if ok else ": " + detail))
        sys.stdout.flush()
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        return ok

    def skip(self, what, why):
        print("SKIP %s: %s" % (what, why))
        self.skipped += 1

    def summary(self):
        """Prints the closing line; the script's exit status."""
        print("%d passed, %d failed" % (self.passed, self.failed)
              + (", %d skipped" % self.skipped if self.skipped else ""))
        return 1 if self.failed else 0
