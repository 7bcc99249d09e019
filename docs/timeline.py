#!/usr/bin/env python3
"""Timelines for the pages: runs a chapter's program with --trace, once per panel,
and draws what each worker did, and when, as one SVG.

    timeline.py --program PATH --shown NAME --out FILE.svg --text FILE.txt
                --figures FILE.json [--trace-dir DIR] -- LABEL=ARGS [LABEL=ARGS ...]

Each LABEL=ARGS is one run (the program with ARGS and --trace DIR/<out>_LABEL.json)
and one panel: a row per track (the program's own, then the workers in order), a
bar per span coloured by what it was, on one time axis in milliseconds shared by
every panel, so that two runs compare by length. FILE.txt gets the command lines
(what a reader types to make the same traces); FILE.json gets figures a page can
quote with \\fig or \\choose: "LABEL::run" (the run's length), "LABEL::TRACK::busy"
(the time the track spent in its outermost spans, waits left out),
"LABEL::TRACK::ends" (when its last span ended) and "LABEL::TRACK::NAME" (the time
in its spans named NAME), in ms, and "LABEL::end spread" (the last worker's end
over the first's).

The SVG is written here, not plotted with gnuplot as chapter 7's figures are:
a timeline is rectangles and text, which SVG states directly, and gnuplot has no
plot style for spans on rows. The trace files are the format Perfetto opens; a
picture in the page is what this script adds, offline.
"""
import argparse
import html
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

WIDTH = 880
LABELS = 150  # the column of track names
ROW = 20
PANEL_GAP = 26
# What each kind of span looks like, in every chapter: the same word, the same colour.
COLOURS = {
    "chunk": "#4e79a7", "task": "#4e79a7", "stolen task": "#f28e2b",
    "wait for lock": "#e15759", "hold lock": "#edc948",
    "send": "#59a14f", "receive": "#76b7b2", "wait for a task": "#bab0ac",
    "wait for a message": "#bab0ac", "idle": "#d3d3d3", "start-up": "#b07aa1",
    "start workers": "#b07aa1", "gather": "#9c755f", "reduce": "#d37295",
    "barrier": "#ff9da7", "wait": "#e8e8e8", "died": "#d62728",
}
# Spans that are not work: a track's "busy" figure leaves them out.
WAITING = {"wait for a task", "wait for a message", "wait for lock", "idle", "wait", "died"}
SPARE = ["#8cd17d", "#86bcb6", "#f1ce63", "#d4a6c8", "#a0cbe8", "#ffbe7d", "#79706e"]


def colour(name, assigned):
    if name in COLOURS:
        return COLOURS[name]
    if name not in assigned:
        assigned[name] = SPARE[len(assigned) % len(SPARE)]
    return assigned[name]


def read_tracks(path):
    """Tracks of a finished trace: {(pid, tid): {"name": …, "spans": [(name, begin, end, depth, ended, args)]}}."""
    trace = json.loads(Path(path).read_text(encoding="utf-8"))
    tracks, open_spans = {}, {}
    for event in trace["traceEvents"]:
        key = (event["pid"], event["tid"])
        track = tracks.setdefault(key, {"name": "", "spans": []})
        ms = event["ts"] / 1000.0
        phase = event["ph"]
        if phase == "M" and event.get("name") == "thread_name":
            track["name"] = event["args"]["name"]  # the last name given counts
        elif phase == "B":
            stack = open_spans.setdefault(key, [])
            stack.append([event.get("name", ""), ms, ms, len(stack), "", event.get("args", {})])
        elif phase == "E" and open_spans.get(key):
            span = open_spans[key].pop()
            span[2] = ms
            args = event.get("args", {})
            span[4] = args.get("ended", "")
            span[5] = {**span[5], **args}
            track["spans"].append(span)
        elif phase == "X":
            args = event.get("args", {})
            track["spans"].append([event.get("name", ""), ms, ms + event.get("dur", 0) / 1000.0,
                                   0, args.get("ended", ""), args])
    shown = [t for t in tracks.values() if t["spans"]]

    def order(track):  # the program's own track first, then workers by number
        number = re.search(r"(\d+)$", track["name"])
        return (1 if number else 0, int(number.group(1)) if number else 0, track["name"])

    return sorted(shown, key=order)


def nice_step(span_ms):
    for step in [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000]:
        if span_ms / step <= 8:
            return step
    return 20000


def draw(panels, out):
    """panels: [(label, command, tracks)]; one shared axis."""
    longest = max([s[2] for _, _, tracks in panels for t in tracks for s in t["spans"]] + [0.001])
    scale = (WIDTH - LABELS - 20) / longest
    assigned, used = {}, []
    parts, y = [], 10
    for label, command, tracks in panels:
        parts.append(f'<text x="4" y="{y + 12}" class="title">{html.escape(command)}</text>')
        y += 20
        for track in tracks:
            parts.append(f'<text x="{LABELS - 6}" y="{y + 14}" class="track">'
                         f'{html.escape(track["name"])}</text>')
            parts.append(f'<line x1="{LABELS}" y1="{y + ROW - 1}" x2="{WIDTH - 20}" '
                         f'y2="{y + ROW - 1}" class="row"/>')
            # Neighbouring spans too close to tell apart at this scale become one bar.
            bars = []
            for name, begin, end, depth, ended, args in sorted(track["spans"], key=lambda s: (s[3], s[1])):
                x0, x1 = LABELS + begin * scale, LABELS + end * scale
                last = bars[-1] if bars else None
                if (last and last["name"] == name and last["depth"] == depth and not ended
                        and not last["ended"] and x0 - last["x1"] < 0.6):
                    last["x1"], last["count"] = max(last["x1"], x1), last["count"] + 1
                    last["end"] = end
                    continue
                bars.append({"name": name, "x0": x0, "x1": x1, "depth": depth, "ended": ended,
                             "begin": begin, "end": end, "count": 1, "args": args})
            for bar in bars:
                if bar["name"] not in used:
                    used.append(bar["name"])
                inset = 2 + 3 * bar["depth"]
                fill = colour(bar["name"], assigned)
                what = bar["name"] if bar["count"] == 1 else f'{bar["count"]} × {bar["name"]}'
                detail = ", ".join(f"{k} {v}" for k, v in bar["args"].items() if k != "ended")
                tip = f'{what}: {bar["begin"]:.3f}–{bar["end"]:.3f} ms' + (f" ({detail})" if detail and bar["count"] == 1 else "")
                if bar["ended"]:
                    tip += f' — {bar["ended"]}'
                width = max(bar["x1"] - bar["x0"], 0.8)
                stroke = ' stroke="#d62728" stroke-width="1.5"' if bar["ended"] else ""
                parts.append(f'<rect x="{bar["x0"]:.1f}" y="{y + inset}" width="{width:.1f}" '
                             f'height="{ROW - 2 * inset - 1}" fill="{fill}"{stroke}>'
                             f'<title>{html.escape(tip)}</title></rect>')
                if bar["ended"] or bar["name"] == "died":
                    parts.append(f'<text x="{bar["x1"] + 3:.1f}" y="{y + 14}" class="died">✕ '
                                 f'{html.escape(bar["ended"].split(" was ")[-1].split(" exited ")[-1])}</text>')
            y += ROW
        y += PANEL_GAP
    # The axis, under the last panel.
    step = nice_step(longest)
    parts.append(f'<line x1="{LABELS}" y1="{y - PANEL_GAP + 4}" x2="{WIDTH - 20}" '
                 f'y2="{y - PANEL_GAP + 4}" class="axis"/>')
    tick = 0.0
    while tick <= longest * 1.0001:
        x = LABELS + tick * scale
        parts.append(f'<line x1="{x:.1f}" y1="{y - PANEL_GAP + 4}" x2="{x:.1f}" '
                     f'y2="{y - PANEL_GAP + 8}" class="axis"/>')
        parts.append(f'<text x="{x:.1f}" y="{y - PANEL_GAP + 20}" class="tick">{tick:g}</text>')
        tick += step
    parts.append(f'<text x="{WIDTH - 20}" y="{y - PANEL_GAP + 34}" class="unit">ms from the start of the run</text>')
    y += 18
    x = LABELS
    for name in used:
        parts.append(f'<rect x="{x}" y="{y}" width="12" height="12" fill="{colour(name, assigned)}"/>')
        parts.append(f'<text x="{x + 16}" y="{y + 10}" class="legend">{html.escape(name)}</text>')
        x += 28 + 7 * len(name)
        if x > WIDTH - 120:
            x, y = LABELS, y + 18
    height = y + 24
    style = ("text{font-family:sans-serif;font-size:12px;fill:#333}"
             ".title{font-family:monospace;font-size:11px}.track{text-anchor:end}"
             ".tick{text-anchor:middle;font-size:10px}.unit{text-anchor:end;font-size:10px}"
             ".died{fill:#d62728;font-size:11px}.row{stroke:#eee}.axis{stroke:#666}")
    out.write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}"><style>{style}</style>'
        f'<rect width="{WIDTH}" height="{height}" fill="white"/>' + "".join(parts) + "</svg>\n",
        encoding="utf-8")


def figures_of(label, tracks, figures):
    ends = []
    run = 0.0
    for track in tracks:
        outermost = [s for s in track["spans"] if s[3] == 0 and s[0] not in WAITING]
        busy = sum(s[2] - s[1] for s in outermost)
        end = max((s[2] for s in track["spans"]), default=0.0)
        run = max(run, end)
        figures[f"{label}::{track['name']}::busy"] = f"{busy:.3g} ms"
        for name in {s[0] for s in track["spans"]}:
            total = sum(s[2] - s[1] for s in track["spans"] if s[0] == name)
            figures[f"{label}::{track['name']}::{name}"] = f"{total:.3g} ms"
        figures[f"{label}::{track['name']}::ends"] = f"{end:.3g} ms"
        if re.search(r"\d+$", track["name"]) and outermost:
            ends.append(end)
    figures[f"{label}::run"] = f"{run:.3g} ms"
    if ends and min(ends) > 0:
        figures[f"{label}::end spread"] = f"{max(ends) / min(ends):.2f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--program", required=True)
    parser.add_argument("--shown", required=True, help="the program as the page shows it")
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--text", required=True, type=Path)
    parser.add_argument("--figures", required=True, type=Path)
    parser.add_argument("--trace-dir", type=Path)
    parser.add_argument("runs", nargs="+", help="LABEL=ARGS")
    options = parser.parse_args()
    trace_dir = options.trace_dir or options.out.parent
    panels, commands, figures = [], [], {}
    for run in options.runs:
        label, _, args = run.partition("=")
        trace = trace_dir / f"{options.out.stem}_{label}.trace.json"
        shown = f"{options.shown} {args} --trace {label}.json".strip()
        done = subprocess.run([options.program, *shlex.split(args), "--trace", str(trace)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              timeout=300, check=False)
        if done.returncode != 0:
            sys.exit(f"timeline.py: {shown} ended with status {done.returncode}:\n{done.stdout}")
        tracks = read_tracks(trace)
        panels.append((label, shown, tracks))
        commands.append(f"$ {shown}")
        figures_of(label, tracks, figures)
    draw(panels, options.out)
    options.text.write_text("\n".join(commands) + "\n", encoding="utf-8")
    options.figures.write_text(json.dumps(figures, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
