#!/usr/bin/env python3
"""Whole-process benchmark of capguard (bench/README.md, "Whole process"; issue 15).

  bench/whole.py [--build DIR] [--runs N] [--quick] [--only NAME,...] [--capguard BIN]
                 [--floor BIN] [--corpus DIR]

Measures capguard as users run it (one process, real files, the full embedded standard library)
against references measured in the same run, because the machine is shared and noisy:
  floor  bench/floor.cpp: starts, reads the same files, parses them with yaml-cpp's event API;
  jq     jq (when installed) over the same documents as JSON lines.
Each case runs its commands alternately (capguard, floor, capguard, floor, ...), N runs each,
and prints the median wall time, the ratio to the floor's median, and the peak memory (maximum
resident set size, by /usr/bin/time) of each command. Exit status 0 whether or not the
targets are met (the table says which are; the targets are issue 15's).

Cases (names for --only):
  one        one typical compose file (5 services, ~10 KB), text report
  formats    1000 compose files (1-20 services each), -j 1, text / json / sarif
  jobs       the 1000 files, text, -j 2 against -j 1
  files10k   10,000 compose files, -j 1, peak memory (text / json / sarif)
  inspect    one JSON array of 2,500 inspected containers (16.5 MB): peak memory / size, also of
             the same written as json.dump() writes it (FILE-dump) and minified (FILE-min)
  inspect-large  the same with 45,000 containers (298 MB, issue 15's size; JSON input documents
             may be up to 1 GiB; 15 M nodes, past YamlLimits::max_nodes, which the JSON path
             lifts for JSON whose tree stays within 4 bytes per byte of text), text, json and
             sarif, each also as json.dump() writes it and minified; no floor (yaml-cpp would
             need ~4.5 GB)
  linear     one file of 100 services against the same services 10 times (1000)

--instructions replaces wall time by instructions executed (valgrind's callgrind, one run per
command): on a shared machine the only figure that does not move with the neighbours' load.

The corpus is generated once by bench/gen_corpus.py (deterministic) into --corpus
(default BUILD/bench-corpus) and reused while the generator is unchanged.
"""
import argparse
import atexit
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
GEN = os.path.join(HERE, "gen_corpus.py")


def run_once(argv, stdin=None, peak=False):
    """(wall seconds, peak RSS bytes or 0, exit status) of one run; output discarded. The peak is
    measured by /usr/bin/time (GNU time, a small process): a child of this Python process would
    inherit Python's own high-water mark across exec (Linux keeps the larger of the two)."""
    prefix = []
    if peak:
        fd, peak_file = tempfile.mkstemp(prefix="whole-peak-")
        os.close(fd)
        prefix = ["/usr/bin/time", "-f", "%M", "-o", peak_file]
    with open(os.devnull, "wb") as null:
        stdin_f = open(stdin, "rb") if stdin else subprocess.DEVNULL
        start = time.perf_counter()
        p = subprocess.Popen(prefix + argv, stdin=stdin_f, stdout=null, stderr=null)
        _, status, _ = os.wait4(p.pid, 0)
        wall = time.perf_counter() - start
        if stdin:
            stdin_f.close()
    rss = 0
    if peak:
        with open(peak_file) as f:
            lines = f.read().split()
        os.unlink(peak_file)
        rss = int(lines[-1]) * 1024  # kilobytes; GNU time writes "Command exited..." first
    return wall, rss, os.waitstatus_to_exitcode(status)


INSTRUCTIONS = False  # --instructions: one run of each command under callgrind instead


def instructions(argv, stdin=None):
    """Instructions executed by one run (callgrind's total), the figure that does not depend on
    the machine's load."""
    with open(os.devnull, "wb") as null:
        stdin_f = open(stdin, "rb") if stdin else subprocess.DEVNULL
        p = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"] +
                           argv, stdin=stdin_f, stdout=null, stderr=subprocess.PIPE, text=True)
        if stdin:
            stdin_f.close()
    for line in p.stderr.splitlines():
        if "Collected :" in line:
            return int(line.split()[-1])
    sys.exit(f"whole.py: no instruction count from callgrind for {' '.join(argv[:4])} ...")


def measure(commands, runs, warmup=1):
    if INSTRUCTIONS:
        # "median" holds instructions (printed as such by Report.row); no peak memory.
        return {label: {"runs": [], "peak": 0, "median": instructions(argv, stdin)}
                for label, (argv, stdin, ok) in commands.items()}
    return measure_time(commands, runs, warmup)


def measure_time(commands, runs, warmup=1):
    """commands: {label: (argv, stdin or None, accepted exit codes)}. Alternated runs, then one
    run of each under /usr/bin/time for the peak memory (runs == 1: that run is the timed one).
    Returns {label: {"median": s, "runs": [...], "peak": bytes}}."""
    out = {label: {"runs": [], "peak": 0} for label in commands}

    def one(label, peak):
        argv, stdin, ok = commands[label]
        wall, rss, code = run_once(argv, stdin, peak)
        if code not in ok:
            sys.exit(f"whole.py: {label}: exit status {code}: {' '.join(argv[:6])} ...")
        return wall, rss

    timed = runs if runs > 1 else 0
    for i in range(warmup + timed):
        for label in commands:
            wall, _ = one(label, False)
            if i >= warmup:
                out[label]["runs"].append(wall)
    for label in commands:
        wall, rss = one(label, True)
        out[label]["peak"] = rss
        if not timed:
            out[label]["runs"].append(wall)
    for r in out.values():
        r["median"] = statistics.median(r["runs"])
    return out


def mb(n):
    return f"{n / 1e6:.1f} MB"


def ms(s):
    if INSTRUCTIONS:
        return f"{s / 1e6:.1f} M instr"
    return f"{s * 1000:.1f} ms"


class Report:
    def __init__(self):
        self.rows = []
        self.targets = []

    def row(self, case, label, r, floor=None):
        ratio = f"{r['median'] / floor['median']:.2f}x" if floor else ""
        peak = "-" if INSTRUCTIONS else mb(r["peak"])
        self.rows.append((case, label, ms(r["median"]), ratio, peak))
        print(f"  {label:<34} {ms(r['median']):>11} {ratio:>8} {peak:>11}", flush=True)

    def target(self, text, value, limit, higher_is_better=False):
        ok = value >= limit if higher_is_better else value <= limit
        self.targets.append((text, value, limit, ok))
        print(f"  target: {text}: {value:.3f} ({'>=' if higher_is_better else '<='} {limit}) "
              f"{'met' if ok else 'MISSED'}", flush=True)


def generate(corpus, name, args):
    """Runs the generator once per (name, arguments); returns the path."""
    path = os.path.join(corpus, name)
    stamp = path + ".args"
    key = " ".join(args) + " " + str(os.path.getmtime(GEN)) + " " + str(os.path.getsize(GEN))
    if os.path.exists(stamp) and open(stamp).read() == key:
        return path
    subprocess.run([sys.executable, GEN] + args, check=True)
    with open(stamp, "w") as f:
        f.write(key)
    return path


def files_of(folder):
    return [os.path.join(folder, f) for f in sorted(os.listdir(folder)) if f.endswith(".yaml")]


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--build", default="build-bench")
    p.add_argument("--capguard")
    p.add_argument("--floor")
    p.add_argument("--corpus")
    p.add_argument("--runs", type=int, default=0, help="runs per command (default per case)")
    p.add_argument("--quick", action="store_true", help="fewer runs, no 10,000-file and inspect cases")
    p.add_argument("--only", default="")
    p.add_argument("--instructions", action="store_true",
                   help="instructions (one callgrind run each) instead of wall time and memory; "
                        "use with --only one,linear or a small corpus: callgrind is ~50x slower")
    a = p.parse_args()
    global INSTRUCTIONS
    INSTRUCTIONS = a.instructions
    cg = a.capguard or os.path.join(a.build, "cli", "capguard")
    floor = a.floor or os.path.join(a.build, "bench", "floor")
    # Both executables are measured as copies, written the same way (as an installer writes
    # them): the file the linker wrote is cached in small pages, a copy in larger ones, and the
    # kernel maps a process's code faster from the latter (both programs 4% faster).
    copies = tempfile.mkdtemp(prefix="capguard-bench-")
    atexit.register(shutil.rmtree, copies, True)
    for name, path in (("capguard", cg), ("floor", floor)):
        dest = os.path.join(copies, name)
        shutil.copy2(path, dest)
        if name == "capguard" and os.path.exists(os.path.join(os.path.dirname(path), "capguard-engine")):
            shutil.copy2(os.path.join(os.path.dirname(path), "capguard-engine"),
                         os.path.join(copies, "capguard-engine"))
    cg, floor = os.path.join(copies, "capguard"), os.path.join(copies, "floor")
    corpus = a.corpus or os.path.join(a.build, "bench-corpus")
    os.makedirs(corpus, exist_ok=True)
    only = set(filter(None, a.only.split(",")))
    if a.quick and not only:
        only = {"one", "formats", "jobs", "linear"}
    want = lambda name: not only or name in only
    jq = "/usr/bin/jq" if os.path.exists("/usr/bin/jq") else None
    runs = lambda default: a.runs or (max(3, default // 3) if a.quick else default)
    ok = (0, 1)  # capguard exits 1 when there are findings
    rep = Report()
    print(f"capguard {cg}, floor {floor}, corpus {corpus}; median wall time, ratio to the "
          f"floor, peak RSS", flush=True)

    if want("one"):
        d = generate(corpus, "one", ["compose", os.path.join(corpus, "one"), "1", "--services", "5",
                                     "--seed", "3"])
        f = files_of(d)[0]
        print(f"one typical file ({os.path.getsize(f)} bytes, 5 services), text report:")
        r = measure({"capguard": ([cg, "check", f], None, ok), "floor": ([floor, f], None, (0,))},
                    runs(41), warmup=3)
        rep.row("one", "capguard check FILE", r["capguard"], r["floor"])
        rep.row("one", "floor FILE", r["floor"], r["floor"])
        rep.target("one file / floor", r["capguard"]["median"] / r["floor"]["median"], 1.5)

    if want("formats") or want("jobs"):
        jl = os.path.join(corpus, "c1000.jsonl")
        d = generate(corpus, "c1000", ["compose", os.path.join(corpus, "c1000"), "1000",
                                       "--jsonl", jl])
        files = files_of(d)
        size = sum(os.path.getsize(x) for x in files)
        if want("formats"):
            print(f"1000 files ({size} bytes), -j 1:")
            cmds = {"floor": ([floor] + files, None, (0,))}
            for fmt in ("text", "json", "sarif"):
                cmds[fmt] = ([cg, "check", "-j", "1", "--format", fmt] + files, None, ok)
            if jq:
                cmds["jq"] = ([jq, "-c", ".services | length", jl], None, (0,))
            r = measure(cmds, runs(9))
            for fmt in ("text", "json", "sarif"):
                rep.row("formats", f"capguard -j 1 --format {fmt}", r[fmt], r["floor"])
            rep.row("formats", "floor", r["floor"], r["floor"])
            if jq:
                rep.row("formats", "jq -c '.services|length' (JSON lines)", r["jq"], r["floor"])
            for fmt in ("text", "json", "sarif"):
                rep.target(f"1000 files {fmt} / floor", r[fmt]["median"] / r["floor"]["median"], 2.0)
        if want("jobs"):
            print("1000 files, text, -j 2 against -j 1:")
            r = measure({"j1": ([cg, "check", "-j", "1"] + files, None, ok),
                         "j2": ([cg, "check", "-j", "2"] + files, None, ok)}, runs(9))
            rep.row("jobs", "capguard -j 1", r["j1"])
            rep.row("jobs", "capguard -j 2", r["j2"])
            if not INSTRUCTIONS:
                rep.target("-j 1 / -j 2 speed-up", r["j1"]["median"] / r["j2"]["median"], 1.8,
                           higher_is_better=True)

    if want("files10k"):
        d = generate(corpus, "c10000", ["compose", os.path.join(corpus, "c10000"), "10000",
                                        "--seed", "10"])
        files = files_of(d)
        size = sum(os.path.getsize(x) for x in files)
        print(f"10,000 files ({size} bytes), -j 1, peak memory:")
        cmds = {"floor": ([floor] + files, None, (0,))}
        for fmt in ("text", "json", "sarif"):
            cmds[fmt] = ([cg, "check", "-j", "1", "--format", fmt] + files, None, ok)
        r = measure(cmds, runs(1), warmup=0)
        for fmt in ("text", "json", "sarif"):
            rep.row("files10k", f"capguard -j 1 --format {fmt}", r[fmt], r["floor"])
        rep.row("files10k", "floor", r["floor"], r["floor"])
        for fmt in ("text", "json", "sarif"):
            if not INSTRUCTIONS:
                rep.target(f"10,000 files {fmt} peak MB", r[fmt]["peak"] / 1e6, 64)

    for case, count in (("inspect", 2500), ("inspect-large", 45000)):
        if not want(case):
            continue
        # Containers as dockerd 20.10 prints them (6.6 KB, ~345 nodes each): 2,500 make 16.5 MB,
        # 45,000 (issue 15's size) 298 MB: a JSON input document may be up to 1 GiB, and the JSON
        # path reads such an array past YamlLimits::max_nodes (spec/robustness.md). The same
        # containers written compactly (as json.dump() writes them, and minified) are checked
        # too: what capguard keeps does not shrink with the whitespace, so they are the harder
        # case against their size.
        f = os.path.join(corpus, f"inspect{count}.json")
        jl = os.path.join(corpus, f"inspect{count}.jsonl")
        generate(corpus, f"inspect{count}.json", ["inspect", f, str(count), "--jsonl", jl])
        compact = {}
        for layout in ("dump", "min"):
            compact[layout] = os.path.join(corpus, f"inspect{count}-{layout}.json")
            generate(corpus, f"inspect{count}-{layout}.json",
                     ["inspect", compact[layout], str(count), "--layout", layout])
        size = os.path.getsize(f)
        large = case == "inspect-large"
        print(f"one inspect array of {count:,} containers ({mb(size)}; as json.dump() writes it "
              f"{mb(os.path.getsize(compact['dump']))}, minified "
              f"{mb(os.path.getsize(compact['min']))}), text report"
              f"{' (and json, sarif; no floor: yaml-cpp would need ~15 times the file)' if large else ''}:")
        fmts = ("text", "json", "sarif") if large else ("text",)
        cmds = {}
        for layout, path in (("docker", f), ("dump", compact["dump"]), ("min", compact["min"])):
            for fmt in fmts:
                cmds[f"{layout} {fmt}"] = ([cg, "check", "-j", "1", "--format", fmt, path], None,
                                           ok)
        if not large:
            cmds["floor"] = ([floor, f], None, (0,))
        if jq:
            cmds["jq"] = ([jq, "-c", ".HostConfig.Privileged", jl], None, (0,))
        r = measure(cmds, runs(1), warmup=0)
        ref = r["docker text"] if large else r["floor"]
        names = {"docker": "FILE", "dump": "FILE-dump", "min": "FILE-min"}
        for layout, path in (("docker", f), ("dump", compact["dump"]), ("min", compact["min"])):
            for fmt in fmts:
                rep.row(case, f"capguard check --format {fmt} {names[layout]}", r[f"{layout} {fmt}"],
                        ref)
                if not INSTRUCTIONS:
                    rep.target(f"{case} {layout} {fmt} peak / file size",
                               r[f"{layout} {fmt}"]["peak"] / os.path.getsize(path), 4.0)
        if not large:
            rep.row(case, "floor FILE", r["floor"], ref)
        if jq:
            rep.row(case, "jq (JSON lines)", r["jq"], ref)

    if want("linear"):
        d1 = generate(corpus, "lin100", ["compose", os.path.join(corpus, "lin100"), "1",
                                         "--services", "100", "--seed", "7"])
        d10 = generate(corpus, "lin1000", ["compose", os.path.join(corpus, "lin1000"), "1",
                                           "--services", "100", "--repeat", "10", "--seed", "7"])
        f1, f10 = files_of(d1)[0], files_of(d10)[0]
        print(f"linearity: 100 services ({os.path.getsize(f1)} bytes) and the same 10 times:")
        r = measure({"x1": ([cg, "check", "-j", "1", f1], None, ok),
                     "x10": ([cg, "check", "-j", "1", f10], None, ok),
                     "f1": ([floor, f1], None, (0,)), "f10": ([floor, f10], None, (0,))},
                    runs(11), warmup=2)
        rep.row("linear", "capguard, 100 services", r["x1"], r["f1"])
        rep.row("linear", "capguard, 1000 services", r["x10"], r["f10"])
        rep.row("linear", "floor, 100 services", r["f1"], r["f1"])
        rep.row("linear", "floor, 1000 services", r["f10"], r["f10"])
        rep.target("1000 / 100 services", r["x10"]["median"] / r["x1"]["median"], 11.0)

    missed = [t for t in rep.targets if not t[3]]
    print(f"targets: {len(rep.targets) - len(missed)} of {len(rep.targets)} met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
