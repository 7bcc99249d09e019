#!/usr/bin/env python3
"""Doxygen input filter for the tutorial pages: puts figures the build measured
into the prose, so that a sentence cannot quote a number its table does not show.

    \\fig{FILE::KEY}     the figure KEY of docs/generated/FILE.json, written by the
                        step that measured it in this build (docs/measure_table.py
                        for a page's measured tables: KEY is "RUN::median",
                        "RUN::per element", "ratio::TEXT", …). A FILE without the
                        chNN_ prefix is the page's own chapter's.
    \\claim{ID::TEXT}    TEXT, a statement about committed data (chapter 7's
                        reference) that a test reads from the page by its ID and
                        checks against that data (tests/docs/check_site.py makes
                        sure some test names every ID).

Doxygen runs it on every Markdown page (FILTER_PATTERNS) with the file's path as
its only argument, and reads the page from its output. A figure that does not
exist becomes a reference to a label that does not exist either, so the build
fails with Doxygen's warning, after this script has said which figure it missed.
"""
import json
import re
import sys
from pathlib import Path

FIGURE = re.compile(r"\\fig\{([^{}]*)\}")
CLAIM = re.compile(r"\\claim\{([^{}]*)\}")


def page_chapter(text):
    """The page's label ({#ch02_fork_shared_memory}) when it is a chapter's page."""
    match = re.match(r"#[^\n]*\{#(ch\d\d_[a-z0-9_]+)\}", text)
    return match.group(1) if match else None


class Figures:
    """The figure files of one build, read once each."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.files = {}

    def lookup(self, reference, chapter):
        """The text of a figure, or raise LookupError saying what is missing."""
        name, separator, key = reference.partition("::")
        if not separator:
            raise LookupError(f"\\fig{{{reference}}} is not \\fig{{FILE::KEY}}")
        name = name.strip()
        if not re.match(r"ch\d\d_", name) and chapter:
            name = f"{chapter}_{name}"
        if name not in self.files:
            path = self.folder / f"{name}.json"
            if not path.exists():
                raise LookupError(f"no figure file {path} (which step of the build writes it?)")
            self.files[name] = json.loads(path.read_text(encoding="utf-8"))
        figures = self.files[name]
        if "skipped" in figures:  # a table that could not be measured here (chapter 8's hosts need root)
            return "(not measured where this site was built)"
        key = key.strip()
        if key not in figures:
            raise LookupError(f"{name}.json has no figure '{key}'")
        return figures[key]


def insert(text, figures, where="page"):
    """The page with every \\fig and \\claim replaced; a list of what was missing."""
    chapter = page_chapter(text)
    missing = []

    def figure(match):
        try:
            return figures.lookup(match.group(1), chapter)
        except LookupError as error:
            missing.append(f"{where}: {error}")
            return "@ref missing_figure_see_the_build_log"

    def claim(match):
        claim_id, separator, said = match.group(1).partition("::")
        if not separator:
            missing.append(f"{where}: \\claim{{{match.group(1)}}} is not \\claim{{ID::TEXT}}")
            return "@ref malformed_claim_see_the_build_log"
        return said

    return CLAIM.sub(claim, FIGURE.sub(figure, text)), missing


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: figures.py GENERATED_FOLDER PAGE.md")
    page = Path(sys.argv[2])
    text, missing = insert(page.read_text(encoding="utf-8"), Figures(sys.argv[1]), str(page))
    for line in missing:
        print(f"figures.py: error: {line}", file=sys.stderr)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
