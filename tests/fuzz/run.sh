#!/bin/sh
# tests/fuzz/run.sh DIR TARGET...: runs each libFuzzer target DIR/fuzz-TARGET
# for FUZZ_SECONDS (default 5) of wall time, starting from its corpus in
# tests/fuzz/corpus/TARGET/ (every input there is run first: the
# regression inputs of bugs found so far) and writing what it finds to
# DIR/work/TARGET/.  One line per target with the executions made and the
# rate, then `N passed, N failed`.  A crash, a sanitizer report or a broken
# promise (FUZZ_ASSERT) is a failure; its input is kept as
# DIR/crash-TARGET-*, to replay with `DIR/fuzz-TARGET FILE`.
: "${FUZZ_SECONDS:=5}"
: "${ASAN_OPTIONS:=detect_leaks=0}"   # LeakSanitizer needs ptrace, which containers may forbid
export ASAN_OPTIONS
dir=$1
shift
passed=0
failed=0
for t in "$@"; do
    work=$dir/work/$t
    log=$dir/fuzz-$t.log
    mkdir -p "$work"
    "$dir/fuzz-$t" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=1024 -print_final_stats=1 \
        -artifact_prefix="$dir/crash-$t-" "$work" "tests/fuzz/corpus/$t" >"$log" 2>&1
    status=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
    seeds=$(ls "tests/fuzz/corpus/$t" | wc -l)
    found=$(ls "$work" | wc -l)
    if [ "$status" -eq 0 ] && [ -n "$runs" ]; then
        passed=$((passed + 1))
        echo "PASS fuzz-$t: $runs executions in ${secs:-?} s ($(( runs / (${secs:-1} > 0 ? ${secs:-1} : 1) )) exec/s), corpus $seeds seeds + $found found"
    else
        failed=$((failed + 1))
        crash=$(ls "$dir"/crash-"$t"-* 2>/dev/null | head -1)
        echo "FAIL fuzz-$t: exit status $status${crash:+, input $crash} (log $log)"
        grep -E "^(fuzz:|==[0-9]+==ERROR|SUMMARY)|runtime error" "$log" | head -3 | sed 's/^/    /'
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
