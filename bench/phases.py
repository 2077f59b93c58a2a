#!/usr/bin/env python3
"""Where one process's time goes, phase by phase: capguard check FILE and the floor program on
the same file, run alternately, each phase's median (bench/README.md, "Phases of one file").

    cmake -S . -B build-phases -DCMAKE_BUILD_TYPE=Release -DCAPGUARD_BUILD_BENCH=ON \\
          -DCAPGUARD_PHASE_PROBES=ON && cmake --build build-phases -j2
    python3 bench/phases.py --build build-phases [--runs N] [FILE]

Both executables must come from a build with CAPGUARD_PHASE_PROBES=ON (lang/core/phase_probe.hpp):
each notes the monotonic clock as a phase ends and writes the phases to CAPGUARD_PHASES_OUT at
exit, the first measured from CAPGUARD_PHASES_T0, this script's clock just before it starts the
process (so the first phase includes fork and exec). FILE defaults to the whole-process suite's
one typical file (bench/whole.py --only one generates it).
"""
import argparse
import atexit
import collections
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def run(argv, out_path):
    """Runs argv once; returns (wall ns, [(phase, ns)])."""
    open(out_path, "w").close()
    env = dict(os.environ, CAPGUARD_PHASES_OUT=out_path)
    with open(os.devnull, "wb") as null:
        start = time.monotonic_ns()
        env["CAPGUARD_PHASES_T0"] = str(start)
        p = subprocess.Popen(argv, stdout=null, stderr=null, env=env)
        _, status, _ = os.wait4(p.pid, 0)
        wall = time.monotonic_ns() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        sys.exit(f"phases.py: {' '.join(argv)}: exit status {os.waitstatus_to_exitcode(status)}")
    phases = []
    with open(out_path) as f:
        for line in f:
            name, ns = line.rstrip("\n").rsplit("\t", 1)
            phases.append((name, int(ns)))
    if not phases:
        sys.exit(f"phases.py: {argv[0]} wrote no phases: build it with -DCAPGUARD_PHASE_PROBES=ON")
    return wall, phases


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--build", required=True, help="a build folder configured with CAPGUARD_PHASE_PROBES=ON")
    p.add_argument("--runs", type=int, default=200)
    p.add_argument("file", nargs="?")
    a = p.parse_args()
    # Copies of both, written the same way (bench/whole.py says why).
    copies = tempfile.mkdtemp(prefix="capguard-phases-")
    atexit.register(shutil.rmtree, copies, True)
    cg = os.path.join(copies, "capguard")
    floor = os.path.join(copies, "floor")
    shutil.copy2(os.path.join(a.build, "cli", "capguard"), cg)
    shutil.copy2(os.path.join(a.build, "bench", "floor"), floor)
    f = a.file or os.path.join(a.build, "bench-corpus", "one", "00000.yaml")
    if not os.path.exists(f):
        sys.exit(f"phases.py: no {f}: give a FILE, or run bench/whole.py --only one first")
    commands = {"capguard": [cg, "check", f], "floor": [floor, f]}
    fd, out_path = tempfile.mkstemp(prefix="phases-")
    os.close(fd)
    results = {label: (collections.OrderedDict(), []) for label in commands}
    try:
        for i in range(a.runs + 3):  # 3 warm-up rounds
            for label, argv in commands.items():
                wall, phases = run(argv, out_path)
                if i < 3:
                    continue
                table, walls = results[label]
                walls.append(wall)
                for name, ns in phases:
                    table.setdefault(name, []).append(ns)
    finally:
        os.unlink(out_path)
    print(f"{f}: medians of {a.runs} alternated runs (microseconds)")
    for label, (table, walls) in results.items():
        print(f"{label}:")
        total = 0.0
        for name, values in table.items():
            m = statistics.median(values) / 1000
            total += m
            print(f"  {m:8.1f}  {name}")
        print(f"  {total:8.1f}  sum of the phases' medians")
        print(f"  {statistics.median(walls) / 1000:8.1f}  wall time, seen by this script")
    cg_wall = statistics.median(results["capguard"][1])
    floor_wall = statistics.median(results["floor"][1])
    print(f"capguard / floor: {cg_wall / floor_wall:.2f}x")


if __name__ == "__main__":
    main()
