#!/usr/bin/env python3
"""Keeps tables this build measured as a chapter's reference: the copy a page shows
beside the reader's own run, measured on a named machine (the chapter's
reference/ABOUT.txt says which, and how quiet it was).

    keep_reference.py --generated build/docs/generated \
        ch09_parallel_loops_work16=chapters/09_parallel_loops/reference/work16 …

Each ID's table (ID.txt) and figures (ID.json) are copied to PREFIX.txt and
PREFIX.json, the table's title saying it is the reference and when it was measured.
A table measured once per row (PTUT_DOCS_QUICK) is refused: a reference is the
median of several runs.
"""
import argparse
import datetime
import json
import sys
from pathlib import Path

LIVE_TITLE = ", measured while this site was built on:"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--generated", required=True, type=Path)
    parser.add_argument("tables", nargs="+", metavar="ID=PREFIX")
    args = parser.parse_args()
    now = datetime.datetime.now(datetime.timezone.utc)
    when = now.strftime("%Y-%m-%d %H:%M UTC")
    for pair in args.tables:
        table_id, _, prefix = pair.partition("=")
        figures = json.loads((args.generated / f"{table_id}.json").read_text(encoding="utf-8"))
        if "skipped" in figures:
            sys.exit(f"keep_reference.py: {table_id} was not measured here: {figures['skipped']}")
        if figures.get("runs") == "1 run":
            sys.exit(f"keep_reference.py: {table_id} was measured once per row (PTUT_DOCS_QUICK is ON); "
                     "configure with -DPTUT_DOCS_QUICK=OFF to keep a reference")
        lines = (args.generated / f"{table_id}.txt").read_text(encoding="utf-8").splitlines(keepends=True)
        name, found, _ = lines[0].partition(LIVE_TITLE)
        if not found:
            sys.exit(f"keep_reference.py: {table_id}.txt does not start with '…{LIVE_TITLE}'")
        lines[0] = f"{name}, the reference, measured on {when} on:\n"
        figures["measured_at"] = when
        Path(prefix).parent.mkdir(parents=True, exist_ok=True)
        Path(f"{prefix}.txt").write_text("".join(lines), encoding="utf-8")
        Path(f"{prefix}.json").write_text(json.dumps(figures, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                          encoding="utf-8")
        print(f"kept {prefix}.txt ({figures['runs']} a row; other work: {figures.get('other work (cores)', '?')} "
              f"cores; largest spread {figures.get('largest spread', '?')})")


if __name__ == "__main__":
    main()
