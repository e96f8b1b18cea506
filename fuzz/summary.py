"""Summarises a libFuzzer log written by fuzz/run.sh as a Markdown table row: executions, executions per
second, coverage (edges) from the loaded corpus to the end, edges found in the run's last quarter (near 0 on
a plateau), features, the run's length after loading, peak memory and findings.

Usage: python3 fuzz/summary.py TARGET [SECONDS]   (run from fuzz/; reads logs/TARGET.log, artifacts/TARGET/)
"""
import os
import re
import sys

target = sys.argv[1]
points = []  # (seconds since the corpus was loaded, cov, ft)
inited = None
execs = rss = None
for line in open(f"logs/{target}.log", errors="replace"):
    m = re.match(r"\s*([\d.]+) #(\d+)\s+(\S+)\s+cov: (\d+) ft: (\d+)", line)
    if m:
        at = float(m[1])
        if m[3] == "INITED":
            inited = at
        if inited is not None:
            points.append((at - inited, int(m[4]), int(m[5])))
    m = re.search(r"stat::number_of_executed_units:\s+(\d+)", line)
    if m:
        execs = int(m[1])
    m = re.search(r"stat::peak_rss_mb:\s+(\d+)", line)
    if m:
        rss = int(m[1])
findings = len(os.listdir(f"artifacts/{target}")) if os.path.isdir(f"artifacts/{target}") else 0
if not points:
    print(f"{target:12} no coverage lines: see fuzz/logs/{target}.log; findings {findings}")
    sys.exit()
end = points[-1][0]


def cov_at(t):
    """Coverage reached by `t` seconds."""
    return max((c for at, c, f in points if at <= t), default=points[0][1])


# Edges found in the run's last quarter: near 0 on a plateau.
last_quarter = points[-1][1] - cov_at(end * 0.75)
print(
    f"| `{target}` | {execs or 0:,} | {int((execs or 0) / max(end, 1)):,} | {points[0][1]:,} → {points[-1][1]:,} "
    f"| {last_quarter:,} | {points[0][2]:,} → {points[-1][2]:,} | {end:.0f} s | {rss} MB | {findings} |"
)
