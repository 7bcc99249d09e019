#!/usr/bin/env python3
"""Measures the built site in headless Chromium at a reader's width (1280 px):

- overflow: no listing, program output or table of a chapter page needs sideways
  scrolling (the allow-list below names a block that truly cannot fit, and why);
- plots: every plot is a link to its full-size SVG, and its smallest text is at
  least 11 px as the page shows it (the SVG's font size times the rendered width
  over the SVG's own width), with at most six curves a panel;
- search: typing "false sharing" on the search page lists chapter 3's section on
  it (and a few other words their sections);
- screenshots: chapter 2's measured table and chapter 7's plots, kept in --out for
  a person to look at.

Chromium runs each page with a small script added at the end, which measures the
page after the theme's scripts and writes what it found into the page, read back
with --dump-dom. Standard library only. Exit 0 when all holds.
"""
import argparse
import json
import re
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from collections import Counter
from pathlib import Path

from render import become_subreaper, browse

WIDTH, HEIGHT = 1280, 900
SMALLEST_TEXT_PX = 11
MOST_CURVES = 6

# Blocks that may scroll sideways, and why. Keep it short: each entry is a place
# where the page shows what cannot be cut without losing what it teaches.
ALLOWED_TO_SCROLL = {
    # (page, the start of the block's text): why
}

def probe(body):
    """A script added at the end of a page: after the page's own scripts have run,
    BODY (JavaScript) fills `found`, which is written into the page as JSON for
    --dump-dom to carry back."""
    return f"""
<script>
window.addEventListener("load", () => setTimeout(() => {{
  const found = {{}};
{body}
  const report = document.createElement("pre");
  report.id = "ptut-layout-report";
  report.textContent = JSON.stringify(found);
  document.body.appendChild(report);
}}, 300));
</script>
"""


MEASURE = probe("""
  found.overflowing = [];
  found.images = [];
  const blocks = document.querySelectorAll(
      "div.contents pre, div.contents div.fragment, div.contents table, div.contents table > tbody");
  for (const block of blocks) {
    if (block.closest("div.toc")) continue;
    if (block.scrollWidth > block.clientWidth + 1) {
      found.overflowing.push({tag: block.tagName.toLowerCase(), className: block.className,
                              scroll: block.scrollWidth, client: block.clientWidth,
                              text: block.innerText.trim().slice(0, 60)});
    }
  }
  // A picture (diagram, plot) or an iframe wider than the text column.
  const column = document.querySelector("div.contents");
  if (column) {
    const right = column.getBoundingClientRect().right + 1;
    for (const picture of column.querySelectorAll("img, iframe, object, svg")) {
      const box = picture.getBoundingClientRect();
      if (box.width > 0 && box.right > right) {
        found.overflowing.push({tag: picture.tagName.toLowerCase(), className: picture.className || "",
                                scroll: Math.round(box.width), client: Math.round(column.clientWidth),
                                text: picture.getAttribute("src") || picture.getAttribute("data") || ""});
      }
    }
  }
  for (const image of document.querySelectorAll("div.contents div.image img")) {
    const link = image.closest("a");
    found.images.push({src: image.getAttribute("src"), width: image.getBoundingClientRect().width,
                       natural: image.naturalWidth, link: link ? link.getAttribute("href") : null});
  }""")


def search_probe(searches):
    """Types each of `searches` into the search page's box, and lists the links it shows."""
    return probe("""
  for (const words of %s) {
    const input = document.getElementById("ptut-search-input");
    input.value = words;
    input.dispatchEvent(new Event("input"));
    found[words] = [...document.querySelectorAll("#ptut-search-results a")].map(a => a.getAttribute("href"));
  }""" % json.dumps(searches))


# What a reader types, and a section the results must list (among the first five).
SEARCHES = {
    "false sharing": "ch03_threads_atomics.html#ch03_false_sharing",
    "race": "ch02_fork_shared_memory.html#ch02_race",
    "amdahl": "ch07_measuring.html#ch07_arithmetic",
    "convoy": "ch06_gil_contrast.html#ch06_contrast_measured",
    "backpressure": "ch05_message_queues.html#ch05_idea_program",
    "mpi reduce": "ch08_mpi.html#ch08_reduction_tree",
    # Code words, split as the pages' text is: "::", "_" and possessives.
    "jthread": "ch03_threads_atomics.html#ch03_threads_processes",
    "memory order": "ch03_threads_atomics.html#ch03_memory_order_paragraph",
    "memory_order": "ch03_threads_atomics.html#ch03_memory_order_paragraph",
    "Amdahl": "ch01_serial_sum.html#ch01_amdahl",
    "Amdahl's law": "ch01_serial_sum.html#ch01_amdahl",
    "std::async": "ch10_tasks.html#ch10_futures",
    "work stealing": "ch10_tasks.html#ch10_stealing",
    "GIL": "ch06_gil_contrast.html#ch06_gil",
    "warp shuffle": "ch11_gpu.html#ch11_steps",
    "broken_promise": "ch10_tasks.html#ch10_futures",
}


def measure(html_dir, page, profile, script=MEASURE):
    """What the script found on `page`, as a dict."""
    original = html_dir / page
    probe = html_dir / f"_ptut_layout_{page}"  # beside it, so that its links resolve
    probe.write_text(original.read_text(encoding="utf-8").replace("</body>", script + "</body>"), encoding="utf-8")
    try:
        dom = browse(probe.resolve().as_uri(), ["--dump-dom", f"--window-size={WIDTH},{HEIGHT}"], profile).stdout
    finally:
        probe.unlink()
    match = re.search(r'<pre id="ptut-layout-report">(.*?)</pre>', dom, re.S)
    if not match:
        raise RuntimeError(f"{page}: the measuring script did not run")
    return json.loads(match.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))


def svg_text_and_curves(path):
    """(the SVG's width in its own units, its smallest font size, the most curves in
    one panel) of a gnuplot SVG."""
    root = ElementTree.parse(path).getroot()
    # A fixed-size SVG says its width; a `dynamic` one (it fills its box) only has a viewBox.
    width = float(root.get("width", "").rstrip("px") or root.get("viewBox", "0 0 0 0").split()[2])
    sizes = []
    for element in root.iter():
        for source in (element.get("font-size"), element.get("style")):
            if source:
                sizes += [float(size) for size in re.findall(r"(?:^|font-size:\s*)([\d.]+)", source)]
    curves = Counter()
    for element in root.iter():
        found = re.match(r"gnuplot_plot_\d+([a-z]*)$", element.get("id") or "")
        if found:
            curves[found.group(1)] += 1  # multiplot panels suffix their ids: 1a, 2a, … then 1b, …
    return width, min(sizes) if sizes else 0.0, max(curves.values()) if curves else 0


def check_overflow(html_dir, pages, profile):
    problems = []
    for page in pages:
        for block in measure(html_dir, page, profile)["overflowing"]:
            if any(page == allowed_page and block["text"].startswith(start)
                   for allowed_page, start in ALLOWED_TO_SCROLL):
                continue
            problems.append(f"{page}: a {block['tag']}.{block['className']} needs {block['scroll']} px, "
                            f"has {block['client']} at {WIDTH} px: {block['text']!r}")
    return problems


def check_plots(html_dir, page, profile):
    problems = []
    images = measure(html_dir, page, profile)["images"]
    if not images:
        problems.append(f"{page}: no plots found")
    for image in images:
        source = html_dir / image["src"]
        if image["link"] != image["src"]:
            problems.append(f"{page}: {image['src']} is not a link to its full-size SVG")
        if not source.suffix == ".svg" or not source.exists():
            continue
        width, smallest, curves = svg_text_and_curves(source)
        shown = smallest * image["width"] / width if width else 0
        print(f"{page}: {image['src']}: shown {image['width']:.0f} px wide of {width:.0f}; its smallest text "
              f"{smallest:g} units, {shown:.1f} px on the page; at most {curves} curves a panel")
        if shown < SMALLEST_TEXT_PX:
            problems.append(f"{page}: {image['src']}: text {shown:.1f} px on the page, under {SMALLEST_TEXT_PX}")
        if curves > MOST_CURVES:
            problems.append(f"{page}: {image['src']}: {curves} curves in one panel, more than {MOST_CURVES}")
    return problems


def check_search(html_dir, profile):
    problems = []
    found = measure(html_dir, "fulltext.html", profile, search_probe(list(SEARCHES)))
    for words, wanted in SEARCHES.items():
        results = found.get(words, [])
        print(f"search {words!r}: {len(results)} results, first {results[:3]}")
        if wanted not in results[:5]:
            problems.append(f"searching {words!r} does not list {wanted} among the first five: {results[:5]}")
    return problems


def screenshot(html_dir, out_dir, page, anchor, name, profile, height=HEIGHT):
    shot = out_dir / name
    shot.unlink(missing_ok=True)
    url = (html_dir / page).resolve().as_uri() + f"#{anchor}"
    browse(url, [f"--screenshot={shot}", f"--window-size={WIDTH},{height}"], profile)
    print(f"{page}#{anchor}: screenshot {shot}")
    return [] if shot.exists() else [f"{page}#{anchor}: Chromium wrote no screenshot"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--html", type=Path, required=True, help="the built site")
    parser.add_argument("--out", type=Path, required=True, help="where the screenshots go")
    parser.add_argument("--chapters", nargs="+", required=True, help="chapter pages' labels")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    become_subreaper()
    # Every page of the tutorial: the chapters, and the pages beside them.
    pages = [f"{label}.html" for label in args.chapters]
    pages += [page for page in ("index.html", "chapters.html", "exercise_index.html", "concept_index.html")
              if (args.html / page).exists()]
    with tempfile.TemporaryDirectory() as profile:
        problems = check_overflow(args.html, pages, profile)
        problems += check_plots(args.html, "ch07_measuring.html", profile)
        problems += check_search(args.html, profile)
        problems += screenshot(args.html, args.out, "ch02_fork_shared_memory.html", "ch02_measured",
                               "ch02_measured_1280.png", profile)
        problems += screenshot(args.html, args.out, "ch07_measuring.html", "ch07_plots",
                               "ch07_plots_1280.png", profile, height=3000)  # the three plots
    for line in problems:
        print(line)
    print(f"{len(pages)} pages measured at {WIDTH} px, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
