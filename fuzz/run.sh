#!/bin/sh
# Runs fuzz targets one after another for SECONDS each and prints one summary row per target (summary.py):
# executions, coverage at the start and the end, what the last quarter of the run found (to see a plateau),
# peak memory and findings. Logs go to fuzz/logs/<target>.log, findings to fuzz/artifacts/<target>/.
# Usage: fuzz/run.sh SECONDS [TARGET...]   (default: every target)
set -eu
cd "$(dirname "$0")"
seconds=$1; shift
targets=${*:-"probe tag catalogue validate import chapters transcripts diff"}
mkdir -p logs
cargo +nightly fuzz build --sanitizer none >logs/build.log 2>&1
for t in $targets; do
    mkdir -p "corpus/$t" "artifacts/$t"
    # -timeout: an input that takes longer is a hang; -rss_limit_mb: memory that no input of a few KB should
    # need (no allocation in proportion to a length the input merely claims).
    cargo +nightly fuzz run "$t" --sanitizer none -- \
        -max_total_time="$seconds" -timeout=5 -rss_limit_mb=512 -print_final_stats=1 \
        -artifact_prefix="artifacts/$t/" 2>&1 |
        python3 -c '
import sys, time
start = time.monotonic()
for line in sys.stdin:
    sys.stdout.write("%8.1f %s" % (time.monotonic() - start, line))
    sys.stdout.flush()
' >"logs/$t.log" || true
    python3 summary.py "$t"
done
