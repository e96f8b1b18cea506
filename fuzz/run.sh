#!/bin/sh
# Runs fuzz targets one after another for SECONDS each and prints one summary line per target: seeds,
# executions, coverage at the start and the end, when coverage last grew (to see a plateau), peak memory
# and findings. Logs go to fuzz/logs/<target>.log, findings to fuzz/artifacts/<target>/.
# Usage: fuzz/run.sh SECONDS [TARGET...]   (default: every target)
set -eu
cd "$(dirname "$0")"
seconds=$1; shift
targets=${*:-"probe tag catalogue validate import chapters transcripts diff"}
mkdir -p logs
cargo +nightly fuzz build --sanitizer none >logs/build.log 2>&1
for t in $targets; do
    mkdir -p "corpus/$t" "artifacts/$t"
    seeds=$(ls "corpus/$t" | wc -l)
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
    python3 - "$t" "$seeds" "$seconds" <<'PY'
import re, sys, os
target, seeds, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
cov = []  # (elapsed, cov, ft)
execs = rss = None
for line in open(f"logs/{target}.log", errors="replace"):
    m = re.match(r"\s*([\d.]+) #(\d+)\s+\S+\s+cov: (\d+) ft: (\d+)", line)
    if m:
        cov.append((float(m[1]), int(m[3]), int(m[4])))
    m = re.search(r"stat::number_of_executed_units:\s+(\d+)", line)
    if m: execs = int(m[1])
    m = re.search(r"stat::peak_rss_mb:\s+(\d+)", line)
    if m: rss = int(m[1])
findings = len(os.listdir(f"artifacts/{target}"))
if cov:
    grew = max(t for t, c, f in cov if c == cov[-1][1])
    first_max = min(t for t, c, f in cov if c == cov[-1][1])
    ft_first_max = min(t for t, c, f in cov if f == cov[-1][2])
    print(f"{target:12} seeds {seeds:5} execs {execs or 0:>10} exec/s {int((execs or 0)/seconds):>6} "
          f"cov {cov[0][1]:>5} -> {cov[-1][1]:>5} (last new at {first_max:6.0f} s) "
          f"ft {cov[0][2]:>6} -> {cov[-1][2]:>6} (last new at {ft_first_max:6.0f} s) "
          f"peak {rss} MB findings {findings}")
else:
    print(f"{target:12} no coverage lines: see fuzz/logs/{target}.log; findings {findings}")
PY
done
