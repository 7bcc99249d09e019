#!/usr/bin/env python3
"""Chapter 7's figures as a reader sees them: on the page and on the GitHub card.

    check_figures.py fit --source . --program build/bin/ch07_measuring --gnuplot gnuplot --cmake cmake
    check_figures.py committed --source . --program … --gnuplot … --cmake …

`fit` draws the committed datasets the page plots (the reference and chapter 10's
tasks) with chapter 7's own pipeline (plot.cmake, plots.gp) and checks each SVG:
  - it fits one screen: at most 1000 px tall as the page shows it at 1280 px,
    where the text column is about 945 px wide (a fixed-size SVG is shown at its own
    size when that is narrower, a `dynamic` one is stretched to the column);
  - every series it draws is named in a key whose words lie inside the image, and
    every series in the data it was drawn from (the `--plot-data` files) is keyed
    in the panel that draws that series's group;
  - its key stays legible on a phone: at least 10 px where a 390 px wide page
    shrinks the figure to its column (343 px, as Chromium lays the page out).

`committed` draws the reference twice, fails if the two drawings differ in any
byte (the committed copies could not be checked against unstable output), then
compares them with chapters/07_measuring/reference/plots/, which the chapter's
card shows on GitHub. It skips (exit 77) where this gnuplot is not the version that
drew the committed copies: another version places things differently, which says
nothing about the data. `cmake --build --preset default --target ch07_reference_plots`
redraws the committed copies.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from xml.etree import ElementTree

SVG = "{http://www.w3.org/2000/svg}"
COLUMN_AT_1280 = 945    # px: the text column at a 1280 px browser width
SCREEN_HEIGHT = 1000    # px: a figure taller than this does not fit one screen
COLUMN_AT_390 = 343     # px: what a figure gets on a 390 px phone
SMALLEST_KEY_PX = 10
CHAR_WIDTH = 0.5        # a Liberation Sans character, on average, in font sizes

# The datasets the page plots, each with the number of figures of a kind it shows
# (chapters/07_measuring/page_data.cmake).
DATASETS = [
    ("ch07_reference", "reference/full.json", "reference/overheads.json", 2),
    ("ch07_tasks", "reference/tasks/custom.json", None, 1),
]
KINDS = ("time_work0", "time_work16", "speedup")


def draw(args, folder, stem, data, overheads, figures):
    """Chapter 7's pipeline, as the docs build runs it: folder/stem_*.svg."""
    chapter = args.source / "chapters" / "07_measuring"
    command = [args.cmake, f"-DPROGRAM={args.program}", f"-DGNUPLOT={args.gnuplot}",
               f"-DSCRIPT={chapter / 'plots.gp'}", f"-DDATA={chapter / data}",
               f"-DPREFIX={folder / stem}", f"-DFIGURES={figures}"]
    if overheads:
        command.append(f"-DOVERHEADS={chapter / overheads}")
    done = subprocess.run(command + ["-P", str(chapter / "plot.cmake")], capture_output=True, text=True,
                          timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"plotting {data} failed:\n{done.stdout}{done.stderr}")
    return sorted(folder.glob(f"{stem}_*.svg"))


def plot_data(args, folder, stem, data):
    """The files plots.gp draws from, as ch07_measuring --plot-data writes them."""
    chapter = args.source / "chapters" / "07_measuring"
    subprocess.run([str(args.program), "--from", str(chapter / data), "--plot-data", str(folder / stem)],
                   check=True, capture_output=True, timeout=120)


def series_in(dat_file):
    """The series' names in a gnuplot data file: each block's quoted first line."""
    return [line.strip().strip('"') for line in dat_file.read_text(encoding="utf-8").splitlines()
            if line.startswith('"')]


def translation(transform):
    found = re.match(r"translate\(([-\d.]+),\s*([-\d.]+)\)", transform or "")
    return (float(found.group(1)), float(found.group(2))) if found else (0.0, 0.0)


def keys(root):
    """{panel: {series: (x, y, font size, anchor, text)}} for every series with a key entry.
    A panel is the letter gnuplot's multiplot appends to its plots' ids ('' without one)."""
    found = {}
    for group in root.iter(f"{SVG}g"):
        plot = re.match(r"gnuplot_plot_\d+([a-z]*)$", group.get("id") or "")
        if not plot:
            continue
        title = group.find(f"{SVG}title")
        name = "".join(title.itertext()) if title is not None else ""
        if name == group.get("id"):  # `notitle`: gnuplot names it after its id
            continue
        entry = None
        for holder in group.iter(f"{SVG}g"):  # the key's words: a translated group holding the name
            text = holder.find(f"{SVG}text")
            if text is not None and "".join(text.itertext()) == name:
                x, y = translation(holder.get("transform"))
                entry = (x, y, float(holder.get("font-size", "0")), holder.get("text-anchor", "start"), name)
                break
        found.setdefault(plot.group(1), {})[name] = entry
    return found


def size(root):
    """(width, height, fixed): a fixed-size SVG says its size; a `dynamic` one has only a viewBox."""
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    return width, height, root.get("width") is not None


def check_svg(path):
    problems = []
    root = ElementTree.parse(path).getroot()
    width, height, fixed = size(root)
    shown_width = min(width, COLUMN_AT_1280) if fixed else COLUMN_AT_1280
    shown_height = height * shown_width / width
    phone = min(width, COLUMN_AT_390) / width
    print(f"{path.name}: {width:g} × {height:g}{'' if fixed else ' (dynamic)'}, "
          f"{shown_height:.0f} px tall at 1280 px")
    if shown_height > SCREEN_HEIGHT:
        problems.append(f"{path.name}: {shown_height:.0f} px tall as shown {shown_width:.0f} px wide at 1280 px, "
                        f"over {SCREEN_HEIGHT}")
    panels = keys(root)
    for panel, entries in panels.items():
        for name, entry in entries.items():
            if entry is None:
                problems.append(f"{path.name}: panel {panel or '1'}: {name!r} has no key entry")
                continue
            x, y, font, anchor, text = entry
            extent = len(text) * CHAR_WIDTH * font
            left, right = (x - extent, x) if anchor == "end" else \
                (x - extent / 2, x + extent / 2) if anchor == "middle" else (x, x + extent)
            if left < 0 or right > width or y - font < 0 or y > height:
                problems.append(f"{path.name}: the key entry {name!r} at ({x:g}, {y:g}) runs outside the "
                                f"{width:g} × {height:g} image")
            if font * phone < SMALLEST_KEY_PX:
                problems.append(f"{path.name}: the key entry {name!r} is {font * phone:.1f} px on a 390 px "
                                f"phone, under {SMALLEST_KEY_PX}")
    return problems, panels


def check_fit(args):
    problems = []
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        for stem, data, overheads, figures in DATASETS:
            svgs = draw(args, folder, stem, data, overheads, figures)
            plot_data(args, folder, f"data_{stem}", data)
            groups = (folder / f"data_{stem}_groups.txt").read_text().split()
            drawn = {}
            for svg in svgs:
                found, panels = check_svg(svg)
                problems += found
                drawn[svg.name] = panels
            # Each kind's figures, in order, draw the groups in order: two panels a figure.
            for kind in KINDS:
                names = [f"{stem}_{kind}.svg"] + [f"{stem}_{kind}_{f}.svg" for f in range(2, figures + 1)]
                panels = [drawn.get(name, {}).get(letter, {}) for name in names
                          for letter in sorted(drawn.get(name, {}))]
                for index, group in enumerate(groups):
                    dat = folder / f"data_{stem}_{kind}_{group}.dat"
                    if not dat.exists():  # a --work this dataset was not measured with
                        continue
                    keyed = panels[index] if index < len(panels) else {}
                    for name in series_in(dat):
                        if keyed.get(name) is None:
                            problems.append(f"{stem} {kind}: the {group} group's {name!r} is in the data "
                                            f"but not keyed in its panel")
    return problems


def gnuplot_version(args):
    done = subprocess.run([args.gnuplot, "--version"], capture_output=True, text=True, timeout=30, check=True)
    found = re.match(r"gnuplot (\S+) patchlevel (\S+)", done.stdout)
    return f"{found.group(1)} patchlevel {found.group(2)}" if found else done.stdout.strip()


def check_committed(args):
    committed = args.source / "chapters" / "07_measuring" / "reference" / "plots"
    stem, data, overheads, figures = DATASETS[0]
    kept = sorted(committed.glob("*.svg"))
    if not kept:
        return [f"{committed}: no committed SVGs"]
    drew = re.search(r"Produced by GNUPLOT (.+?) ?</desc>", kept[0].read_text(encoding="utf-8"))
    if drew and drew.group(1) != gnuplot_version(args):
        print(f"SKIP: the committed plots were drawn by gnuplot {drew.group(1)}, this is {gnuplot_version(args)}")
        return None
    problems = []
    with tempfile.TemporaryDirectory() as temporary:
        first, second = Path(temporary) / "first", Path(temporary) / "second"
        first.mkdir()
        second.mkdir()
        drawings = [draw(args, folder, stem, data, overheads, figures) for folder in (first, second)]
        for one, other in zip(*drawings):
            if one.read_bytes() != other.read_bytes():
                problems.append(f"{one.name}: two drawings of the same data differ")
        names = {path.name for path in drawings[0]}
        if names != {path.name for path in kept}:
            problems.append(f"{committed}: holds {sorted(p.name for p in kept)}, the data draws {sorted(names)}")
        for path in drawings[0]:
            if (committed / path.name).exists() and (committed / path.name).read_bytes() != path.read_bytes():
                problems.append(f"{committed / path.name} differs from what the committed data draws")
    if problems:
        problems.append("redraw them with: cmake --build --preset default --target ch07_reference_plots")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("check", choices=["fit", "committed"])
    parser.add_argument("--source", type=Path, required=True, help="the repository")
    parser.add_argument("--program", type=Path, required=True, help="the build's ch07_measuring")
    parser.add_argument("--gnuplot", default="gnuplot")
    parser.add_argument("--cmake", default="cmake")
    args = parser.parse_args()
    args.source = args.source.resolve()
    os.environ["LC_ALL"] = "C.UTF-8"  # as plot.cmake sets it: gnuplot's UTF-8 text
    problems = check_fit(args) if args.check == "fit" else check_committed(args)
    if problems is None:
        return 77
    for line in problems:
        print(line)
    print(f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
