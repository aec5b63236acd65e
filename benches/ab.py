#!/usr/bin/env python3
"""Whole-process A/B timing of cchc binaries, run by run in alternation, so that the load
other processes put on this shared machine falls on every binary alike.

    python3 benches/ab.py [-n ROUNDS] BINARY [BINARY ...]

Each round runs every binary once, in order, as `cchc report --period 2024-Q2 --so 12
--ngay 2024-06-05` in a copy of the sample workspace (input/), and records the wall time
around fork/exec/wait4 and the child's CPU time and peak RSS from its rusage. Prints the
median and minimum wall time, the median CPU time and the median and maximum peak RSS of
each binary. Asserts nothing. Example: build the commit before into another target
directory, then `python3 benches/ab.py /tmp/old/release/cchc target/release/cchc`.
"""

import argparse
import os
import shutil
import statistics
import tempfile
import time

ARGS = ["report", "--period", "2024-Q2", "--so", "12", "--ngay", "2024-06-05"]


def run_once(binary, workspace, devnull):
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.chdir(workspace)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os.execv(binary, [binary] + ARGS)
    _, status, usage = os.wait4(pid, 0)
    wall = (time.perf_counter() - started) * 1e3
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        raise SystemExit(f"{binary} failed (status {status})")
    cpu = (usage.ru_utime + usage.ru_stime) * 1e3
    return wall, cpu, usage.ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--rounds", type=int, default=40)
    parser.add_argument("binaries", nargs="+")
    args = parser.parse_args()
    binaries = [os.path.abspath(b) for b in args.binaries]
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    results = {b: [] for b in binaries}
    with tempfile.TemporaryDirectory(prefix="cchc-ab-") as tmp:
        shutil.copytree(os.path.join(root, "input"), os.path.join(tmp, "input"))
        devnull = os.open(os.devnull, os.O_WRONLY)
        for _ in range(args.rounds):
            for b in binaries:
                results[b].append(run_once(b, tmp, devnull))
    print(f"cchc report, sample workspace, {args.rounds} rounds in alternation")
    for b in binaries:
        wall = sorted(r[0] for r in results[b])
        cpu = [r[1] for r in results[b]]
        rss = [r[2] for r in results[b]]
        print(
            f"  {b}\n"
            f"    wall {statistics.median(wall):6.1f} ms median, {wall[0]:6.1f} ms min;"
            f" CPU {statistics.median(cpu):6.1f} ms median;"
            f" peak RSS {statistics.median(rss):5.1f} MiB median, {max(rss):5.1f} MiB max"
        )


if __name__ == "__main__":
    main()
