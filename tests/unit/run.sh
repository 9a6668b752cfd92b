#!/bin/sh
# tests/unit/run.sh BINARY...: runs each host unit-test binary, passes its
# case lines through and ends with one total "N passed, N failed" line.
# A binary that dies before its own summary (a sanitizer report, a crash)
# counts as one more failure.  Exit status 1 when anything failed.

: "${ASAN_OPTIONS:=detect_leaks=0}"   # LeakSanitizer needs ptrace, which containers may forbid
export ASAN_OPTIONS
passed=0
failed=0
for bin in "$@"; do
    out=$("$bin" 2>&1)
    status=$?
    summary=$(printf '%s\n' "$out" | tail -n 1)
    printf '%s\n' "$out" | sed '$d'
    case "$summary" in
    *" passed, "*" failed")
        p=${summary%% passed*}
        f=${summary#*passed, }
        f=${f%% failed}
        passed=$((passed + p))
        failed=$((failed + f))
        [ "$status" -eq 0 ] || [ "$f" -gt 0 ] || failed=$((failed + 1))
        ;;
    *)
        printf '%s\n' "$summary"
        echo "FAIL $bin: stopped before its summary (exit status $status)"
        failed=$((failed + 1))
        ;;
    esac
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
