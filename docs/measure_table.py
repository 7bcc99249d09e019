#!/usr/bin/env python3
"""Measures a chapter's program for its page: runs each command line several times
with --json, the rows in turns, and writes a text table of the medians, with the
spread and the machine.

    measure_table.py --program build/bin/ch02_fork_shared_memory --shown ch02_fork_shared_memory \
        --repeat 3 --out table.txt -- "--variant racy --n 2000000" "--variant locked --n 2000000"

Every number in the table comes from the program's own --json output in this run.
Beside the table it writes the same figures as JSON (--figures), for pages that
quote one in a sentence (docs/figures.py): "RUN::median", "RUN::per element",
"RUN::result", "RUN::fastest", "RUN::slowest", "RUN::<column header>" for each row
(RUN is the row's argument string as given), "ratio::TEXT" for each ratio line,
and "machine".

A row "@NAME ARGS" runs another chapter's program (--also NAME=PATH); "@NAME*K ARGS"
starts K copies of it at once, side by side, each with ARGS: the row's time is the
slowest copy's own time, and it is exact when every copy is. Two copies of chapter
1's loop, each over half the range, are the machine's ceiling for two workers:
nothing shared, nothing handed over, only two cores (or less) to run on.
"""
import argparse
import ctypes
import json
import os
import resource
import shlex
import statistics
import subprocess
import sys
import textwrap
import time


def busy_cpu_seconds():
    """CPU time spent on anything but idling, all cores together, from /proc/stat."""
    with open("/proc/stat") as stat:
        fields = [int(x) for x in stat.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def children_cpu_seconds():
    """CPU time of this script and of the runs it made."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def adopt_orphans():
    """Makes this script the subreaper of what the runs start: processes a run
    leaves to end after it (mpirun's daemons on other hosts, chapter 8) come to us,
    and their CPU time is counted as the runs', not as other work."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        pass


def reap_orphans(seconds=10.0):
    """Waits for the processes a run left behind to end (a run's own script kills
    them), and reaps them."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return  # none left
        if pid == 0:
            time.sleep(0.01)


def duration(seconds):
    for scale, unit in ((1e-6, "ns"), (1e-3, "µs"), (1.0, "ms")):
        if seconds < scale:
            return f"{seconds * 1e3 / scale:.3g} {unit}"
    return f"{seconds:.3g} s"


WIDTH = 96  # characters: what a page shows at 1280 px without scrolling sideways


class Column:
    def __init__(self, name, cells, right_aligned):
        self.name, self.cells, self.right_aligned = name, cells, right_aligned

    def width(self):
        return max(len(cell) for cell in [self.name, *self.cells])


def table_width(columns):
    return sum(c.width() for c in columns) + 2 * (len(columns) - 1)


def split_to_fit(columns):
    """One table if it fits WIDTH; else two, joined by a row number: what a row
    ran and its median and result, then its spread, time per element and the
    chapter's own columns."""
    if table_width(columns) <= WIDTH:
        return [columns]
    number = Column("#", [str(i + 1) for i in range(len(columns[0].cells))], True)
    variant = next(c for c in columns if c.name == "variant")
    first = [number] + [c for c in columns if c.name in ("variant", "workers", "N", "work", "options", "median",
                                                          "result")]
    second = [number, variant] + [c for c in columns if c not in first]
    return [first, second]


def table_lines(columns, rows):
    widths = [c.width() for c in columns]

    def line(cells):
        return "  ".join(cell.rjust(w) if c.right_aligned else cell.ljust(w)
                         for c, cell, w in zip(columns, cells, widths)).rstrip()

    yield line([c.name for c in columns])
    for i in range(rows):
        yield line([c.cells[i] for c in columns])


def spread_of(fastest, slowest):
    """'2.05–4.46 ms': the unit once where both ends share it."""
    low, high = duration(fastest), duration(slowest)
    low_value, low_unit = low.split(" ")
    if high.endswith(" " + low_unit):
        return f"{low_value}–{high}"
    return f"{low}–{high}"


def chapter_options(run):
    """The options of a run beyond the columns every table has (--chunk 1000, --skew 32).
    Chapter 6 names its variant --mode."""
    words, shown = shlex.split(run), []
    common = {"--variant", "--mode", "--n", "--workers", "--work"}
    i = 0
    while i < len(words):
        if words[i] in common:
            i += 2
            continue
        if not words[i].startswith("@"):  # another chapter's program: its row says whose
            shown.append(words[i])
        i += 1
    return " ".join(shown)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--program", required=True)
    parser.add_argument("--shown", required=True, help="the program's name in the table's title")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", required=True)
    parser.add_argument("--figures", help="also write the figures as JSON here")
    parser.add_argument("--ratio", action="append", default=[],
                        help="TEXT:I:J adds a line 'TEXT: median of row I / median of row J' (rows from 1)")
    parser.add_argument("--column", action="append", default=[],
                        help="KEY:HEADER:KIND adds a column with the median of the JSON field KEY; "
                             "KIND is ratio (printed 1.23×), count, s or ms (a duration in seconds or milliseconds)")
    parser.add_argument("--skip-status", type=int,
                        help="a run that ends with this status cannot run here (a script that needs root, say): "
                             "the table then says so, with the reason the run gave, instead of failing")
    parser.add_argument("--also", action="append", default=[],
                        help="NAME=PATH: a row '@NAME ARGS' runs the program at PATH instead, for a "
                             "comparison with another chapter measured in the same table")
    parser.add_argument("runs", nargs="+", help="argument strings, one per row")
    args = parser.parse_args()

    also = dict(pair.split("=", 1) for pair in args.also)
    if len(set(args.runs)) != len(args.runs):
        sys.exit("measure_table.py: a row is given twice")
    adopt_orphans()
    rows, medians, all_seconds, machine, figures = [], [], [], None, {}
    cpu_before, children_before, wall_before = busy_cpu_seconds(), children_cpu_seconds(), time.monotonic()
    # In turns: every row once, then every row again, so that a slow moment of the
    # machine falls on all rows alike rather than on one (chapter 7's lesson).
    results_of = {run: [] for run in args.runs}
    for _ in range(args.repeat):
        for run in args.runs:
            program, words, copies = args.program, shlex.split(run), 1
            if words and words[0].startswith("@"):
                name, _, count = words[0][1:].partition("*")
                program, words, copies = also[name], words[1:], int(count or 1)
            # Side by side: every copy started before any is waited for.
            started = [subprocess.Popen([program, *words, "--json"], stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True) for _ in range(copies)]
            finished = []
            for process in started:
                out, err = process.communicate(timeout=600)
                finished.append((process.returncode, out, err))
            reap_orphans()
            for status, out, err in finished:
                if args.skip_status is not None and status == args.skip_status:
                    # Its last line says why (what came before is its progress),
                    # wrapped to the page's width.
                    why = (err.strip().splitlines() or ["(it said nothing)"])[-1]
                    said = textwrap.fill(f"{args.shown}: not measured while this site was built. {why}",
                                         width=88, subsequent_indent="  ", break_long_words=False)
                    with open(args.out, "w", encoding="utf-8") as table:
                        table.write(said + "\n")
                    write_figures(args.figures, {"skipped": why})
                    return
                if status != 0:
                    sys.exit(f"{args.shown} {run}: exit {status}: {err.strip()}")
            reports = [json.loads(out) for _, out, _ in finished]
            result = reports[0]
            if copies > 1:
                result = dict(result, seconds=max(r["seconds"] for r in reports),
                              correct=all(r["correct"] for r in reports), copies=copies)
            results_of[run].append(result)
    for run in args.runs:
        results = results_of[run]
        machine = results[0]["machine"]
        seconds = sorted(r["seconds"] for r in results)
        all_seconds.append(seconds)
        median = statistics.median(seconds)
        first = results[0]
        lost = [int(r["lost"]) / int(r["expected"]) for r in results if int(r["expected"]) > 0]
        if all(r["correct"] for r in results):
            verdict = "exact"
        else:
            verdict = "lost " + ", ".join(f"{100 * x:.1f}%" for x in lost)
        per_element = duration(median / first["n"]) if first["ns_per_element"] is not None else "-"
        medians.append(median)
        extra_cells = []
        for column in args.column:
            key, _, kind = column.split(":")
            values = [r[key] for r in results if r.get(key) is not None]
            if not values:
                extra_cells.append("-")
            elif kind == "ratio":
                extra_cells.append(f"{statistics.median(values):.2f}×")
            elif kind == "count":
                extra_cells.append(f"{statistics.median(values):,.0f}")
            elif kind == "s":
                extra_cells.append(duration(statistics.median(values)))
            else:
                extra_cells.append(duration(statistics.median(values) / 1e3))
        # Another chapter's row says whose variant it is: "ch03 partials".
        variant = first["variant"] if not run.startswith("@") else f"{first['chapter'][:4]} {first['variant']}"
        if first.get("copies"):
            variant += f" ×{first['copies']}, side by side"
        rows.append([variant, str(first["workers"]), f"{first['n']:,}", str(first["work"]),
                     chapter_options(run), duration(median), spread_of(seconds[0], seconds[-1]),
                     per_element, verdict, *extra_cells])
        figures.update({f"{run}::median": duration(median), f"{run}::fastest": duration(seconds[0]),
                        f"{run}::slowest": duration(seconds[-1]), f"{run}::per element": per_element,
                        f"{run}::result": verdict})
        for column, cell in zip(args.column, extra_cells):
            figures[f"{run}::{column.split(':')[1]}"] = cell

    header = ["variant", "workers", "N", "work", "options", "median", f"min–max of {args.repeat}",
              "per element", "result", *[column.split(":")[1] for column in args.column]]
    right = {"workers", "N", "work", "median", "per element"} | {column.split(":")[1] for column in args.column}
    columns = [Column(name, [row[i] for row in rows], name in right) for i, name in enumerate(header)]
    columns = [c for c in columns if c.name != "options" or any(c.cells)]  # no chapter options: no column
    # A column with one value in every row (N = 2,000,000 throughout, say) says it once, above the table.
    same = [c for c in columns if c.name in ("workers", "N", "work") and len(rows) > 1 and len(set(c.cells)) == 1]
    columns = [c for c in columns if c not in same]
    tables = split_to_fit(columns)

    with open(args.out, "w", encoding="utf-8") as out:
        def say(text):
            out.write(textwrap.fill(text, WIDTH, initial_indent="  ", subsequent_indent="    ") + "\n")

        out.write(f"{args.shown}, measured while this site was built on:\n")
        say(f"{machine['cpu_model']}, {machine['usable_cores']} usable cores; {machine['compiler']}, {machine['build']}")
        # CPU time the machine spent on anything but our runs, per second of measuring.
        others = (busy_cpu_seconds() - cpu_before) - (children_cpu_seconds() - children_before)
        others_per_second = others / max(time.monotonic() - wall_before, 1e-9)
        if others_per_second > 0.25:
            say(f"BUSY: other work used {others_per_second:.2f} cores on average while this was measured; "
                f"these numbers are disturbed.")
        # A noisy machine (a shared virtual machine, say) shows as runs that disagree.
        spread = [(s[-1] - s[0]) / m for s, m in zip(all_seconds, medians) if m > 0]
        if spread and max(spread) > 0.25:
            say(f"NOISY: the slowest and fastest run of one row differ by up to {100 * max(spread):.0f}% of its "
                f"median; compare rows measured together, and expect other runs to differ.")
        if same:
            shown = {"workers": "{} workers", "N": "N = {}", "work": "work = {}"}
            say("In every row: " + ", ".join(shown[c.name].format(c.cells[0]) for c in same) + ".")
        for table in tables:
            out.write("\n")
            for line in table_lines(table, len(rows)):
                out.write(textwrap.fill(line, WIDTH, subsequent_indent="  ", break_long_words=False) + "\n")
        if args.ratio:
            out.write("\n")
        for ratio in args.ratio:
            text, i, j = ratio.rsplit(":", 2)
            if CEILING in text:
                line = ceiling_share(text, results_of[args.runs[int(i) - 1]], results_of[args.runs[int(j) - 1]],
                                     figures)
            else:
                figures[f"ratio::{text}"] = f"{medians[int(i) - 1] / medians[int(j) - 1]:.2f}×"
                line = f"{text}: {figures[f'ratio::{text}']}"
            out.write(textwrap.fill(line, WIDTH, subsequent_indent="  ", break_long_words=False) + "\n")
    figures["machine"] = f"{machine['cpu_model']}, {machine['usable_cores']} usable cores"
    figures["runs"] = f"{args.repeat} run{'' if args.repeat == 1 else 's'}"  # of each row
    # How quiet the machine was: what a kept reference's ABOUT states.
    figures["other work (cores)"] = f"{others_per_second:.2f}"
    figures["largest spread"] = f"{100 * max(spread, default=0):.0f}%"
    write_figures(args.figures, figures)


CEILING = "share of the ceiling"
# Two programs compiled apart run the same loop a few percent apart (where the
# linker put it, what else the process set up): measured here, chapter 3's two
# threads came out 1-3% ahead of two copies of chapter 1's loop in every one of
# five rounds. A share is impossible only beyond that.
SAME_LOOP_TOLERANCE = 0.05


def ceiling_share(text, ceiling_runs, runs, figures):
    """A share of the machine's ceiling (the ceiling's time over an approach's), as a
    line of the table. It is taken round by round: the ceiling and the approach ran
    in the same round, a minute apart at most, and the median of the rounds' shares
    is shown with their range, the noise band. Two workers cannot beat two copies
    of the serial loop that share nothing by more than the tolerance above: where
    every round is beyond it, the machine was disturbed while one of them ran, and
    the table says so instead of showing an impossible share."""
    shares = sorted(c["seconds"] / r["seconds"] for c, r in zip(ceiling_runs, runs) if r["seconds"] > 0)
    share, low, high = statistics.median(shares), shares[0], shares[-1]
    band = f"{low:.2f}–{high:.2f}× over {len(shares)} round{'' if len(shares) == 1 else 's'}"
    figures[f"ratio::{text}::band"] = band
    if low > 1 + SAME_LOOP_TOLERANCE:
        figures[f"ratio::{text}"] = "not measurable here (see the table)"
        return (f"{text}: not shown: above {1 + SAME_LOOP_TOLERANCE:.2f} in every round ({band}), which two "
                f"workers cannot reach; the machine was disturbed while these rows ran: measure again")
    figures[f"ratio::{text}"] = f"{share:.2f}×"
    return f"{text}: {share:.2f}× (rounds: {band})"


def write_figures(path, figures):
    if path:
        with open(path, "w", encoding="utf-8") as out:
            json.dump(figures, out, ensure_ascii=False, indent=1, sort_keys=True)
            out.write("\n")


if __name__ == "__main__":
    main()
