#!/usr/bin/env python3
"""check_includes.py LAYOUT ROOT: refuse an include that runs against the architecture.

LAYOUT is the file CMake writes (<build>/layout.txt, cmake/CapguardLayout.cmake): one line per
folder, "folder target dep-target...". A file below a registered folder may include (with
#include "...") headers of its own folder and of the folders of the targets its target depends on,
directly or transitively; a header of any other registered folder is an error. The dependency
graph must be acyclic, and every .cpp/.hpp below lang/, runtime/ and cli/ must belong to a
registered folder. Prints each violation as file:line: message and exits 1 if there is one.
"""
import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
OWNED_TOPS = ("lang/", "runtime/", "cli/")


def read_layout(path):
    folders = {}  # folder -> (target, [deps])
    for line in open(path):
        words = line.split()
        if words:
            folders[words[0]] = (words[1], words[2:])
    return folders


def closure(target, deps_of):
    seen, todo = set(), [target]
    while todo:
        for dep in deps_of.get(todo.pop(), []):
            if dep not in seen:
                seen.add(dep)
                todo.append(dep)
    return seen


def find_cycle(deps_of):
    state = {}

    def visit(node, path):
        state[node] = 1
        for dep in deps_of.get(node, []):
            if state.get(dep) == 1:
                return path + [node, dep]
            if dep not in state:
                found = visit(dep, path + [node])
                if found:
                    return found
        state[node] = 2
        return None

    for node in deps_of:
        if node not in state:
            found = visit(node, [])
            if found:
                return found
    return None


def owner(path, folders):
    best = None
    for folder in folders:
        if path.startswith(folder + "/") and (best is None or len(folder) > len(best)):
            best = folder
    return best


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    folders = read_layout(sys.argv[1])
    root = sys.argv[2]
    deps_of = {target: deps for target, deps in folders.values()}
    folder_of_target = {target: folder for folder, (target, _) in folders.items()}
    errors = []
    cycle = find_cycle(deps_of)
    if cycle:
        errors.append("layout: the targets' dependencies form a cycle: " + " -> ".join(cycle))
    for top in OWNED_TOPS:
        for dirpath, _, names in os.walk(os.path.join(root, top)):
            for name in sorted(names):
                if not name.endswith((".cpp", ".hpp")):
                    continue
                rel = os.path.relpath(os.path.join(dirpath, name), root)
                mine = owner(rel, folders)
                if mine is None:
                    errors.append(f"{rel}: belongs to no library folder (cmake/CapguardLayout.cmake)")
                    continue
                target = folders[mine][0]
                allowed = {mine} | {folder_of_target[t] for t in closure(target, deps_of)
                                    if t in folder_of_target}
                for number, text in enumerate(open(os.path.join(root, rel)), 1):
                    match = INCLUDE.match(text)
                    if not match:
                        continue
                    included = match.group(1)
                    theirs = owner(included, folders)
                    if theirs is not None and theirs not in allowed:
                        errors.append(f"{rel}:{number}: includes {included} of {theirs} "
                                      f"({folders[theirs][0]}), which {target} does not depend on")
    for error in errors:
        print(error)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
