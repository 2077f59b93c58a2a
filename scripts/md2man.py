#!/usr/bin/env python3
"""md2man.py NAME SECTION TITLE IN.md OUT: a man page in roff from one of our spec pages.

Handles what spec/ uses: '#' headings (the first is the page's description), paragraphs, '-'
lists, fenced code blocks, tables (rendered as indented rows), and inline `code`, **bold**,
*italic* and [text](link). Deterministic: no date, so the page is the same in every build.
"""
import os
import re
import sys


def escape(text):
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return re.sub(r"^([.'])", r"\\&\1", text)


def inline(text):
    text = escape(text)
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)
    text = re.sub(r"`([^`]+)`", r"\\fB\1\\fR", text)
    text = re.sub(r"\*\*([^*]+)\*\*", r"\\fB\1\\fR", text)
    text = re.sub(r"(?<![\w*])\*([^*\s][^*]*)\*(?![\w*])", r"\\fI\1\\fR", text)
    return text


def convert(name, section, title, lines):
    out = [f'.TH {name.upper()} {section} "" "capguard" "{title}"']
    heading = next((l[2:].strip() for l in lines if l.startswith("# ")), name)
    out += [".SH NAME", f"{escape(name)} \\- {inline(heading)}"]
    in_code = False
    paragraph = []

    def flush():
        if paragraph:
            out.append(inline(" ".join(paragraph)))
            paragraph.clear()

    seen_title = False
    for line in lines:
        if line.startswith("```"):
            flush()
            out.append(".EE" if in_code else ".EX")
            in_code = not in_code
            continue
        if in_code:
            out.append(escape(line) if line else "")
            continue
        stripped = line.strip()
        if line.startswith("# ") and not seen_title:
            seen_title = True
            out.append(".SH DESCRIPTION")
            continue
        match = re.match(r"^(#{1,6}) (.*)", line)
        if match:
            flush()
            level = len(match.group(1))
            text = inline(match.group(2).strip())
            out.append(".SH " + text.upper() if level <= 2 else ".SS " + text)
            continue
        if not stripped:
            flush()
            out.append(".PP")
            continue
        if stripped.startswith("|"):
            flush()
            cells = [c.strip() for c in stripped.strip("|").split("|")]
            if all(re.fullmatch(r":?-+:?", c) for c in cells if c):
                continue
            out.append(".IP \\(bu 2")
            out.append(inline(" | ".join(cells)))
            continue
        item = re.match(r"^(\s*)[-*] (.*)", line)
        if item:
            flush()
            out.append(".IP \\(bu 2")
            paragraph.append(item.group(2))
            continue
        paragraph.append(stripped)
    flush()
    if in_code:
        out.append(".EE")
    # Collapse repeated paragraph breaks.
    result = []
    for l in out:
        if l == ".PP" and result and (result[-1] in (".PP", ".EX") or result[-1].startswith(".S")):
            continue
        result.append(l)
    return "\n".join(result) + "\n"


def main():
    if len(sys.argv) != 6:
        print(__doc__, file=sys.stderr)
        return 2
    name, section, title, src, dst = sys.argv[1:]
    with open(src, encoding="utf-8") as f:
        lines = f.read().split("\n")
    text = convert(name, section, title, lines)
    with open(dst + ".tmp", "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(dst + ".tmp", dst)
    return 0


if __name__ == "__main__":
    sys.exit(main())
