#!/usr/bin/env python3
"""Measures the built site in headless Chromium as readers see it: at 1280 px, and
at 390 px (a phone).

- overflow at 1280 px: no listing, program output, table or picture is wider than
  its column on any page (the allow-list below names a block that truly cannot
  fit, and why);
- overflow at 390 px: no page scrolls sideways as a whole (a listing or a table
  may scroll inside its own box);
- the first screen: the index shows the packages to install and the link to
  chapter 1 within 1280 x 800;
- plots: every plot is a link to its full-size SVG, and its smallest text is at
  least 11 px as the page shows it (the SVG's font size times the rendered width
  over the SVG's own width), with at most six curves a panel;
- search: the side bar's box on a chapter page, typed into as a reader would,
  lists the right chapter first and the right section among the first five for
  each query below; Enter opens the search page with the same first result;
- screenshots: chapter 2's measured table and chapter 7's plots, kept in --out for
  a person to look at.

One start of Chromium measures every page: a harness page written beside the site
opens each page in a frame of each width (--allow-file-access-from-files lets it
read the frames of pages on disk), measures it after the theme's scripts ran and
writes what it found into itself, read back with --dump-dom. Standard library
only. Exit 0 when all holds.
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
PHONE = 390
FOLD = 800  # the first screen of a 1280 x 800 laptop
SMALLEST_TEXT_PX = 11
MOST_CURVES = 6

# Blocks that may scroll sideways at 1280 px, and why. Keep it short: each entry is
# a place where the page shows what cannot be cut without losing what it teaches.
ALLOWED_TO_SCROLL = {
    # (page, the start of the block's text): why
}

# What a reader types, and the section that must be among the first five results;
# the first result must be on the same page.
SEARCHES = {
    "false sharing": "ch03_threads_atomics.html#ch03_false_sharing",
    "race": "ch02_fork_shared_memory.html#ch02_race",
    "mutex": "ch02_fork_shared_memory.html#ch02_lock_costs",
    "Amdahl": "ch01_serial_sum.html#ch01_amdahl",
    "Amdahl's law": "ch01_serial_sum.html#ch01_amdahl",
    "convoy": "ch06_gil_contrast.html#ch06_contrast_measured",
    "backpressure": "ch05_message_queues.html#ch05_idea_program",
    "mpi reduce": "ch08_mpi.html#ch08_reduction_tree",
    # Code words, split as the pages' text is: "::", "_", possessives, camel case.
    "jthread": "ch03_threads_atomics.html#ch03_threads_processes",
    "memory order": "ch03_threads_atomics.html#ch03_memory_order_paragraph",
    "memory_order": "ch03_threads_atomics.html#ch03_memory_order_paragraph",
    "std::async": "ch10_tasks.html#ch10_futures",
    "work stealing": "ch10_tasks.html#ch10_stealing",
    "GIL": "ch06_gil_contrast.html#ch06_gil",
    "warp shuffle": "ch11_gpu.html#ch11_steps",
    "broken_promise": "ch10_tasks.html#ch10_futures",
    "sanitizer": "ch03_threads_atomics.html#ch03_hunts",
}
# A name found only in the code: listed after the prose, but listed.
CODE_SEARCH = ("WatchedSlices", "classptut_1_1WatchedSlices.html")
# A query that is a name as code writes it: that name's own page first of all.
EXACT_NAME = ("write_all", "namespacech04.html")

HARNESS = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>layout harness</title></head><body>
<pre id="ptut-layout-report"></pre>
<script>
const plan = %(plan)s;
const pause = ms => new Promise(done => setTimeout(done, ms));

// Opens PAGE in a frame WIDTH x HEIGHT px and waits for its scripts to have run.
async function open(page, width, height) {
  const frame = document.createElement("iframe");
  frame.style.cssText = `width:${width}px;height:${height}px;border:0`;
  const loaded = new Promise(done => frame.addEventListener("load", done, {once: true}));
  frame.src = page;
  document.body.appendChild(frame);
  await loaded;
  await pause(300);
  return frame;
}

// Blocks and pictures wider than their column.
function overflowing(doc) {
  const found = [];
  const blocks = doc.querySelectorAll(
      "div.contents pre, div.contents div.fragment, div.contents table, div.contents table > tbody");
  for (const block of blocks) {
    if (block.closest("div.toc")) continue;
    if (block.scrollWidth > block.clientWidth + 1) {
      found.push({tag: block.tagName.toLowerCase(), className: block.className,
                  scroll: block.scrollWidth, client: block.clientWidth,
                  text: block.innerText.trim().slice(0, 60)});
    }
  }
  const column = doc.querySelector("div.contents");
  if (column) {
    const right = column.getBoundingClientRect().right + 1;
    for (const picture of column.querySelectorAll("img, iframe, object, svg")) {
      const box = picture.getBoundingClientRect();
      if (box.width > 0 && box.right > right) {
        found.push({tag: picture.tagName.toLowerCase(), className: picture.className || "",
                    scroll: Math.round(box.width), client: Math.round(column.clientWidth),
                    text: picture.getAttribute("src") || picture.getAttribute("data") || ""});
      }
    }
  }
  return found;
}

// Does the page itself scroll sideways? (A box that scrolls inside itself is fine.)
// With the reasons: elements reaching past the page's right edge, outside any box
// that scrolls or clips them.
function sideways(doc, win) {
  const scrollers = [doc.documentElement, doc.body, doc.getElementById("doc-content")].filter(Boolean);
  const wide = scrollers.filter(el => el.scrollWidth > el.clientWidth + 1)
                        .map(el => `${el.tagName.toLowerCase()}#${el.id}: ${el.scrollWidth} > ${el.clientWidth}`);
  if (!wide.length) return null;
  const culprits = [];
  for (const el of doc.querySelectorAll("#doc-content *")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= win.innerWidth + 1) continue;
    let contained = false;
    for (let up = el.parentElement; up && up !== doc.body && up.id !== "doc-content"; up = up.parentElement) {
      const style = win.getComputedStyle(up).overflowX;
      if (style !== "visible" && up.getBoundingClientRect().right <= win.innerWidth + 1) { contained = true; break; }
    }
    if (!contained) culprits.push(`${el.tagName.toLowerCase()}.${el.className}: ${Math.round(box.right)} px: ` +
                                  (el.innerText || el.getAttribute("src") || "").trim().slice(0, 50));
    if (culprits.length >= 3) break;
  }
  return {wide, culprits};
}

// The first screen: where the packages' listing and the link to chapter 1 end.
function fold(doc) {
  const listing = [...doc.querySelectorAll("div.fragment")].find(el => el.innerText.includes("PACKAGES=("));
  const start = [...doc.querySelectorAll("a")].find(a => /Start with chapter 1/.test(a.innerText) &&
                                                     /ch01_serial_sum\.html/.test(a.getAttribute("href")));
  return {packages: listing ? Math.round(listing.getBoundingClientRect().bottom) : null,
          start: start ? Math.round(start.getBoundingClientRect().bottom) : null};
}

// The side bar's box, typed into; then Enter, and the search page it opens.
async function search(page, words) {
  const frame = await open(page, %(width)d, %(height)d);
  const win = frame.contentWindow, doc = frame.contentDocument;
  const field = doc.getElementById("MSearchField");
  if (!field || !win.PtutSearch) { frame.remove(); return {error: "no search box, or no PtutSearch"}; }
  await win.PtutSearch.load();
  field.focus();
  field.value = words;
  field.dispatchEvent(new win.Event("input", {bubbles: true}));
  await pause(50);
  const listed = [...doc.querySelectorAll("#ptut-search-panel ol > li > a")].map(a => a.getAttribute("href"));
  const reloaded = new Promise(done => frame.addEventListener("load", done, {once: true}));
  field.dispatchEvent(new win.KeyboardEvent("keydown", {key: "Enter", bubbles: true}));
  await reloaded;
  await pause(300);
  const opened = frame.contentWindow.location.href;
  const results = frame.contentDocument.getElementById("ptut-search-results");
  for (let tries = 0; tries < 50 && results && !results.getAttribute("data-ready"); tries++) await pause(100);
  const onPage = results ? [...results.querySelectorAll("li > a")].map(a => a.getAttribute("href")) : [];
  frame.remove();
  return {listed, opened, onPage};
}

window.addEventListener("load", async () => {
  const found = {pages: {}, searches: {}};
  try {
    for (const page of plan.pages) {
      const result = {};
      let frame = await open(page, %(width)d, %(height)d);
      result.overflowing = overflowing(frame.contentDocument);
      result.images = [...frame.contentDocument.querySelectorAll("div.contents div.image img")].map(image => {
        const link = image.closest("a");
        return {src: image.getAttribute("src"), width: image.getBoundingClientRect().width,
                natural: image.naturalWidth, link: link ? link.getAttribute("href") : null};
      });
      frame.remove();
      if (page === "index.html") {
        frame = await open(page, %(width)d, %(fold)d);
        result.fold = fold(frame.contentDocument);
        frame.remove();
      }
      frame = await open(page, %(phone)d, %(height)d);
      result.phone = sideways(frame.contentDocument, frame.contentWindow);
      frame.remove();
      found.pages[page] = result;
    }
    for (const words of plan.searches) found.searches[words] = await search(plan.searchFrom, words);
  } catch (error) {
    found.error = String(error && error.stack || error);
  }
  document.getElementById("ptut-layout-report").textContent = JSON.stringify(found);
});
</script>
</body></html>
"""


def measure_site(html_dir, pages, searches, profile):
    """What the harness found: {"pages": {page: ...}, "searches": {words: ...}}."""
    plan = {"pages": pages, "searches": searches, "searchFrom": "ch01_serial_sum.html"}
    harness = html_dir / "_ptut_layout_harness.html"  # beside the pages: the frames are same-origin
    harness.write_text(HARNESS % {"plan": json.dumps(plan), "width": WIDTH, "height": HEIGHT,
                                  "phone": PHONE, "fold": FOLD}, encoding="utf-8")
    try:
        # Virtual time: the harness's pauses add up to about a second a page, and
        # Chromium runs them as fast as the pages load.
        run = browse(harness.resolve().as_uri(),
                     ["--dump-dom", "--allow-file-access-from-files", "--virtual-time-budget=600000"],
                     profile, timeout=600)
    finally:
        harness.unlink()
    match = re.search(r'<pre id="ptut-layout-report">(.*?)</pre>', run.stdout, re.S)
    if not match or not match.group(1).strip():
        raise RuntimeError(f"the harness reported nothing: {run.stderr[-2000:]}")
    found = json.loads(match.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))
    if "error" in found:
        raise RuntimeError(f"the harness failed: {found['error']}")
    return found


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


def check_overflow(found):
    problems = []
    for page, result in found["pages"].items():
        for block in result["overflowing"]:
            if any(page == allowed_page and block["text"].startswith(start)
                   for allowed_page, start in ALLOWED_TO_SCROLL):
                continue
            problems.append(f"{page}: a {block['tag']}.{block['className']} needs {block['scroll']} px, "
                            f"has {block['client']} at {WIDTH} px: {block['text']!r}")
        if result["phone"]:
            problems.append(f"{page}: the page scrolls sideways at {PHONE} px ({'; '.join(result['phone']['wide'])}); "
                            f"reaching past the edge: {result['phone']['culprits']}")
    return problems


def check_fold(found):
    result = found["pages"].get("index.html", {}).get("fold")
    if result is None:
        return ["index.html: not measured at 1280 x 800"]
    print(f"index.html at {WIDTH} x {FOLD}: the package list ends at {result['packages']} px, "
          f"the link to chapter 1 at {result['start']} px")
    problems = []
    for what, bottom in (("the package list", result["packages"]), ("the 'Start with chapter 1' link", result["start"])):
        if bottom is None:
            problems.append(f"index.html: {what} is not on the page")
        elif bottom > FOLD:
            problems.append(f"index.html: {what} ends at {bottom} px, below the first screen ({FOLD} px)")
    return problems


def check_plots(html_dir, found, page):
    problems = []
    images = found["pages"][page]["images"]
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


def check_search(found):
    problems = []
    page_of = lambda href: href.split("#")[0]
    for words, wanted in SEARCHES.items():
        result = found["searches"].get(words, {})
        listed, on_page = result.get("listed", []), result.get("onPage", [])
        print(f"search {words!r}: the box lists {listed[:3]}; Enter opened "
              f"{result.get('opened', '?').rsplit('/', 1)[-1]}, first {on_page[:1]}")
        if "error" in result:
            problems.append(f"searching {words!r}: {result['error']}")
        elif not listed or page_of(listed[0]) != page_of(wanted):
            problems.append(f"searching {words!r}: the first result is {listed[:1]}, not on {page_of(wanted)}")
        elif wanted not in listed[:5]:
            problems.append(f"searching {words!r} does not list {wanted} among the first five: {listed[:5]}")
        elif "fulltext.html?q=" not in result.get("opened", "") or on_page[:1] != listed[:1]:
            problems.append(f"searching {words!r}: Enter did not open the search page with the same first "
                            f"result ({result.get('opened')}: {on_page[:1]})")
    words, wanted = CODE_SEARCH
    listed = found["searches"].get(words, {}).get("listed", [])
    print(f"search {words!r}: the box lists {listed}")
    if not any(page_of(href) == wanted for href in listed):
        problems.append(f"searching {words!r} does not list its class page {wanted}: {listed}")
    words, wanted = EXACT_NAME
    listed = found["searches"].get(words, {}).get("listed", [])
    print(f"search {words!r}: the box lists {listed[:2]}")
    if not listed or page_of(listed[0]) != wanted:
        problems.append(f"searching the name {words!r} does not list its own page {wanted} first: {listed[:2]}")
    return problems


def screenshot(html_dir, out_dir, page, anchor, name, profile, height=HEIGHT):
    shot = out_dir / name
    shot.unlink(missing_ok=True)
    url = (html_dir / page).resolve().as_uri() + f"#{anchor}"
    browse(url, [f"--screenshot={shot}", f"--window-size={WIDTH},{height}"], profile)
    print(f"{page}#{anchor}: screenshot {shot}")
    return [] if shot.exists() else [f"{page}#{anchor}: Chromium wrote no screenshot"]


def reference_sample(html_dir, every=False):
    """Doxygen's pages of the code's reference: its lists, and the longest page of
    each kind (a class, its list of members, a file, a file's source, a namespace),
    where long lines and wide tables would show first: every page of the site,
    measured once with --every-page, had its only problems on such pages. With
    EVERY, all of them."""
    made = sorted(path.name for path in html_dir.glob("*.html") if not path.name.startswith("_ptut_"))
    lists = [page for page in ("annotated.html", "files.html", "namespaces.html", "functions.html", "globals.html")
             if page in made]
    kinds = {"class": r"(class|struct)\w+\.html", "members": r"(class|struct)\w+-members\.html",
             "file": r"\w+_8\w+\.html", "source": r"\w+_source\.html", "namespace": r"namespace\w+\.html"}
    sample = []
    for pattern in kinds.values():
        matching = [page for page in made if re.fullmatch(pattern, page)]
        if matching:
            sample.append(max(matching, key=lambda page: (html_dir / page).stat().st_size))
    if every:
        return made
    return lists + [page for page in sample if page not in lists]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--html", type=Path, required=True, help="the built site")
    parser.add_argument("--out", type=Path, required=True, help="where the screenshots go")
    parser.add_argument("--chapters", nargs="+", required=True, help="chapter pages' labels")
    parser.add_argument("--every-page", action="store_true",
                        help="measure every page Doxygen made too (about 500: some minutes), not a sample")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    become_subreaper()
    # Every page of the tutorial: the chapters, and the pages beside them.
    pages = [f"{label}.html" for label in args.chapters]
    pages += [page for page in ("index.html", "chapters.html", "exercise_index.html", "concept_index.html",
                                "fulltext.html") if (args.html / page).exists()]
    pages += [page for page in reference_sample(args.html, every=args.every_page) if page not in pages]
    with tempfile.TemporaryDirectory() as profile:
        found = measure_site(args.html, pages, list(SEARCHES) + [CODE_SEARCH[0], EXACT_NAME[0]], profile)
        problems = check_overflow(found)
        problems += check_fold(found)
        problems += check_plots(args.html, found, "ch07_measuring.html")
        problems += check_search(found)
        problems += screenshot(args.html, args.out, "ch02_fork_shared_memory.html", "ch02_measured",
                               "ch02_measured_1280.png", profile)
        problems += screenshot(args.html, args.out, "ch07_measuring.html", "ch07_plots",
                               "ch07_plots_1280.png", profile, height=6200)  # the six figures
    for line in problems:
        print(line)
    print(f"{len(pages)} pages measured at {WIDTH} and {PHONE} px, {len(SEARCHES) + 2} searches, "
          f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
