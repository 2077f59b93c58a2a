#!/usr/bin/env python3
"""Writes cli/commands/hot-text.ld: the functions `capguard check` runs, laid out together (issue 15).

  bench/hot_text.py [--capguard BIN] [--output FILE] [--corpus DIR]

A process that checks one file touches about 1 MB of capguard's 4.5 MB of code, spread over all
of it: the kernel maps code 64 KB around each page touched (fault-around), so a run mapped 4.2 MB
of code and paid a page fault for every 64 KB. cli/commands/hot-text.ld is a supplementary linker script
(`INSERT BEFORE .text`, so the default script still applies) that puts the functions a check
executes in one output section, `.text.capguard_hot`, before the rest of the code. It works
because capguard is compiled with -ffunction-sections (each function in `.text.NAME`; libstdc++'s
archive is built so too); for the objects of libyaml-cpp.a and libre2.a, whose functions share
one `.text` per object, the script lists the whole `.text` of every object a check runs code from.

Which functions: every function of the capguard executable that valgrind's callgrind sees run in
the training commands below (a compose file in each report format, an inspect array, `version`),
listed by name (within the section their order matters little: all of them run). A function
missing from the list (new code) is still linked, only not in the hot section: the list can go
stale without breaking anything, and this script writes it again. Needs valgrind; run from the repository's root:

  bench/hot_text.py --capguard build/cli/capguard
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
# Static archives without per-function sections. glibc's (capguard is static: spec/architecture.md,
# "Linking") has one function or a few per object, some in `.text.VARIANT` sections (the string
# functions: `.text.evex`, `.text.avx`, ...): malloc, free and memmove run in every check.
ARCHIVES = ["libyaml-cpp.a", "libre2.a", "libc.a"]
# A function that runs this share of a one-file check's instructions itself starts on a 64-byte
# boundary (`. = ALIGN(64)`), as does each archive object's code: where a hot loop falls across
# cache lines and fetch blocks otherwise moves with every unrelated change to the list (the wall
# time of one file moved by 2 - 4% with the alignment of YAML::RegEx::MatchUnchecked alone).
HOT_SHARE = 0.005


# The compose files a typical check reads: generated like the benchmark's corpus (1 to 20
# services, hardened and careless ones), from seeds of their own (the benchmark uses others).
CORE_FILES = 8
CORE_SEED = 101


def training(capguard, work):
    """Commands whose executed functions make the hot list: first the core (`check FILE` of
    typical compose files, text report), then the rest (other formats, an inspect array, two
    threads, `version`). Returns (core commands, other commands)."""
    corpus = os.path.join(work, "corpus")
    subprocess.run([sys.executable, os.path.join(HERE, "gen_corpus.py"), "compose", corpus,
                    str(CORE_FILES), "--seed", str(CORE_SEED)], check=True,
                   stdout=subprocess.DEVNULL)
    files = sorted(os.path.join(corpus, f) for f in os.listdir(corpus) if f.endswith(".yaml"))
    one = files[0]
    inspect = os.path.join(ROOT, "tests", "golden", "eval", "hardening-inspect", "inspect.json")
    core = [[capguard, "check", f] for f in files]
    rest = [[capguard, "check", "--format", fmt, one] for fmt in ["json", "sarif", "junit", "github"]]
    rest.append([capguard, "check", inspect])
    rest.append([capguard, "check", "-j", "2", one, inspect])
    rest.append([capguard, "version"])
    return core, rest


def executed(capguard, argv, out):
    """Mangled names of the functions of the executable `capguard` run by argv, in the order
    callgrind first records them, and {name: instructions executed in the function itself}."""
    run = subprocess.run(["valgrind", "--tool=callgrind", "--demangle=no",
                          "--compress-strings=no", "--dump-instr=no",
                          f"--callgrind-out-file={out}"] + argv,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if run.returncode not in (0, 1) or "Collected :" not in run.stderr:
        sys.exit(f"hot_text.py: {' '.join(argv)}: exit status {run.returncode}\n{run.stderr}")
    # valgrind names the object of a function by the section `.text`: a function laid out in
    # `.text.capguard_hot` by an earlier list comes as object "???". Both are taken, and only
    # names the executable defines are kept (functions_of).
    # Each fn= line is followed by cost lines ("LINE INSTRUCTIONS"); the cost line right after a
    # calls= line is the call's inclusive cost, not the function's own.
    names, obj, fn, after_call = [], None, None, False
    own = {}
    exe = os.path.realpath(capguard)
    with open(out) as f:
        for line in f:
            if line.startswith("ob="):
                obj = line[3:].strip()
                obj = obj if obj == "???" else os.path.realpath(obj)
            elif line.startswith("fn="):
                fn = None
                if obj in (exe, "???"):
                    fn = re.sub(r"'\d+$", "", line[3:].strip())
                    names.append(fn)
            elif line.startswith("calls="):
                after_call = True
            elif line[:1].isdigit() or line[:1] in "+-":
                if not after_call and fn is not None:
                    parts = line.split()
                    if len(parts) >= 2 and parts[1].isdigit():
                        own[fn] = own.get(fn, 0) + int(parts[1])
                after_call = False
    defined = functions_of(exe)
    names = [n for n in names if n in defined]
    if len(names) < 100:
        sys.exit(f"hot_text.py: {' '.join(argv)}: only {len(names)} functions of {exe} ran")
    return names, own


_FUNCTIONS = {}


def functions_of(exe):
    """The function symbols the executable defines."""
    if exe not in _FUNCTIONS:
        out = subprocess.run(["nm", exe], capture_output=True, text=True).stdout
        _FUNCTIONS[exe] = {p[2] for p in (l.split() for l in out.splitlines())
                           if len(p) == 3 and p[1] in "tTwW"}
    return _FUNCTIONS[exe]


def archive_objects(names):
    """{archive: [(object, section), ...]} of the objects of ARCHIVES whose `.text` (or
    `.text.VARIANT`) section defines a name."""
    wanted = set(names)
    out = {}
    for archive in ARCHIVES:
        path = subprocess.run(["g++", f"-print-file-name={archive}"], capture_output=True,
                              text=True).stdout.strip()
        if not os.path.isabs(path):
            path = f"/usr/lib/x86_64-linux-gnu/{archive}"
        if not os.path.exists(path):
            continue
        member, objs, sections = None, [], {}
        dump = subprocess.run(["objdump", "-t", path], capture_output=True, text=True).stdout
        for line in dump.splitlines():
            m = re.match(r"^(\S+\.o):\s+file format", line)
            if m:
                member = m.group(1)
                continue
            # "ADDRESS FLAGS SECTION SIZE [.hidden] NAME": a hidden symbol has one more field.
            m = re.search(r"\s(\.text(?:\.[a-z0-9_]+)?)\s+[0-9a-f]+\s+(?:\.hidden\s+)?(\S+)$",
                          line)
            if m and m.group(2) in wanted and (member, m.group(1)) not in objs:
                objs.append((member, m.group(1)))
            # An IFUNC symbol's value is its selector, which a static executable runs at start
            # for every one it links (its IRELATIVE relocations), used or not: each selector's
            # object goes in, or every start faults in a page of cold code for each.
            elif (m and archive == "libc.a" and re.match(r"^[0-9a-f]+ .{4}i ", line)
                  and (member, m.group(1)) not in objs):
                objs.append((member, m.group(1)))
            if member is not None:
                sections.setdefault(member, set()).add(m.group(1) if m else None)
        if archive == "libc.a":
            # glibc picks a string function's variant for the processor (memmove-avx512-..., its
            # selector in memmove.o), and valgrind's emulated one is not the real one: every
            # variant of a function family that runs goes in.
            stems = {obj.split("-")[0].removesuffix(".o") for obj, _ in objs if "-" in obj}
            for member in sorted(sections):
                if member.split("-")[0].removesuffix(".o") in stems:
                    for section in sorted(x for x in sections[member] if x):
                        if (member, section) not in objs:
                            objs.append((member, section))
        out[archive] = objs
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--capguard", default=os.path.join(ROOT, "build", "cli", "capguard"))
    ap.add_argument("--output", default=os.path.join(ROOT, "cli", "commands", "hot-text.ld"))
    args = ap.parse_args()
    core_names, rest_names, seen, hot = [], [], set(), set()
    with tempfile.TemporaryDirectory(prefix="hot-text-") as work:
        core, rest = training(args.capguard, work)
        for i, argv in enumerate(core + rest):
            names, own = executed(args.capguard, argv, os.path.join(work, f"cg.{i}"))
            for name in names:
                if name not in seen and re.fullmatch(r"[A-Za-z0-9_.$]+", name):
                    seen.add(name)
                    (core_names if i < len(core) else rest_names).append(name)
            if i == 0:
                # The first command checks one typical file: the functions that run at least
                # HOT_SHARE of its instructions themselves start on a cache line of their own.
                total = sum(own.values())
                hot = {n for n, c in own.items() if c >= HOT_SHARE * total}
    # The core first, so that a check of a compose file maps the least code (the kernel maps 64
    # KB around each page touched), then the rest. Each part sorted: the order callgrind reports
    # them in follows the layout of the binary it ran, so a list written from one build would
    # differ from the next for nothing.
    order = sorted(core_names) + sorted(rest_names)
    objects = archive_objects(order)
    lines = [
        "/* Generated by bench/hot_text.py: the functions `capguard check` runs, laid out together",
        "   before the rest of the code (issue 15; spec/architecture.md, \"Linking\"). Regenerate",
        "   with `bench/hot_text.py --capguard build/cli/capguard`; a stale list only costs speed. */",
        "SECTIONS",
        "{",
        "  .text.capguard_hot :",
        "  {",
    ]
    # The start code (rcrt1.o of a static-pie executable: `_start` runs first, every time) and
    # crtbegin.o's (frame_dummy, an initializer).
    lines.append("    *crt1.o(.text)")
    lines.append("    *crtbegin*.o(.text)")
    for archive, objs in objects.items():
        for obj, section in objs:
            lines.append("    . = ALIGN(64);")
            lines.append(f"    *{archive}:{obj}({section})")
    for name in order:
        if name in hot:
            lines.append("    . = ALIGN(64);")
        lines.append(f"    *(.text.{name})")
        # GCC puts static initializers and main in .text.startup.NAME, and the cold part of a
        # function (NAME.cold, when it runs) in .text.unlikely.NAME.
        if name.startswith("_GLOBAL__sub_I_") or name == "main":
            lines.append(f"    *(.text.startup.{name})")
        if name.endswith(".cold"):
            lines.append(f"    *(.text.unlikely.{name[:-len('.cold')]})")
        # A clone (NAME.isra.0, NAME.constprop.0, ...) of a function defined in several objects
        # (a template's instance) may lie in the section of the function it was cloned from.
        base = re.sub(r"(\.(isra|constprop|part)\.\d+)+$", "", name)
        if base != name and base not in seen:
            seen.add(base)
            lines.append(f"    *(.text.{base})")
        # GCC emits a complete-object constructor or destructor (C1, D1) as an alias of the
        # base-object one (C2, D2), in the latter's section: callgrind may name either.
        alias = re.sub(r"([CD])1([EIB])", r"\g<1>2\2", name)
        if alias != name and alias not in seen:
            seen.add(alias)
            lines.append(f"    *(.text.{alias})")
    lines += ["  }", "}", "INSERT BEFORE .text;", ""]
    with open(args.output, "w") as f:
        f.write("\n".join(lines))
    print(f"{args.output}: {len(order)} functions ({len(hot & set(order))} aligned to 64 bytes), "
          f"{sum(len(o) for o in objects.values())} archive objects", file=sys.stderr)


if __name__ == "__main__":
    main()
