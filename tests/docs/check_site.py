#!/usr/bin/env python3
"""Checks the built tutorial site for what Doxygen lets pass silently.

- every chapter page exists and sits in the navigation tree, under the chapter index;
- every \\snippet a page names shows up on the built page, line for line, from the
  compiled source it names;
- every program output a page includes (\\verbinclude) was produced and shows up;
- no local link, image or anchor on any page is broken;
- no Doxygen command is left as text on a built page (a \\ref split by a line
  break, say: Doxygen prints it instead of failing);
- every snippet marker in the sources is used by a page (an unused one is a
  listing nobody shows, or a page that lost its code);
- every chapter page has its learner's header, links to the chapter before it
  and the one after at its top and its bottom, and an explicit anchor on every
  section;
- a chapter with a core listing (core.cpp) shows it whole, with its output,
  before any other C++ of the chapter;
- no measured-looking number (a time, a ratio such as 1.9×, a percentage) is typed
  into a page's prose: it is inserted from the build's data (\\fig{…}, see
  docs/figures.py), or a \\claim{ID::…} that a test reads from the page and checks
  against committed data, or a fact listed in page_facts.py with the reason;
- links out of the site are https, to a host docs/references.py names, in the
  same tab; the first use of every name whose source it knows is linked;
- a share of the machine's ceiling in the build's figures is at most 1, or above
  it only where the range of its rounds' shares comes within a few percent of 1;
- a chapter's stated reading time covers what a first reading shows: its words
  outside folded parts (\\fold, <details>) and listings, at 200 words a minute;
- a paragraph that quotes a ratio of a table the reader's build measures
  (\\fig{TABLE::ratio::…}) lets that table choose its words too
  (\\choose{TABLE::…}): a sentence interpreting it then says what the reader's
  table shows, and says so where it contradicts the explanation.

Standard library only. Exit 0 when all holds, 1 with one line per problem.
"""
import argparse
import html
import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import page_facts

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "docs"))
import finish_site  # noqa: E402  (the site's own finishing: what it links, found the same way)
import measure_table  # noqa: E402
import references  # noqa: E402

problems = []


def problem(text):
    problems.append(text)


class PageParser(HTMLParser):
    """Collects a page's links, ids and visible text, and the part of that text
    that is prose: not code (inline `code`, listings, program output)."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []  # (attribute, value)
        self.ids = set()
        self.text = []
        self.prose = []
        self._skip = 0
        self._open = []  # (tag, is code) of the elements we are inside

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name"):
                self.ids.add(value)
            if (name == "href" and tag in ("a", "link")) or (name == "src" and tag in ("img", "script", "iframe")) \
                    or (name == "data" and tag == "object"):
                self.links.append((name, value))
        if tag in ("script", "style"):
            self._skip += 1
        if tag not in self.VOID:
            classes = dict(attrs).get("class") or ""
            self._open.append((tag, tag in ("code", "pre") or "fragment" in classes.split()))

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        for k in range(len(self._open) - 1, -1, -1):  # close it, and anything left open inside it
            if self._open[k][0] == tag:
                del self._open[k:]
                break

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)
            if not any(code for _, code in self._open):
                self.prose.append(data)


def squash(text):
    """Whitespace-insensitive form, for comparing code with its rendering."""
    return re.sub(r"\s+", "", text)


def parse(path, cache={}):
    if path not in cache:
        parser = PageParser()
        parser.feed(path.read_text(encoding="utf-8", errors="replace"))
        cache[path] = parser
    return cache[path]


def page_label(markdown):
    first = markdown.read_text(encoding="utf-8").splitlines()[0]
    match = re.match(r"#\s.*\{#([A-Za-z0-9_]+)\}\s*$", first)
    return match.group(1) if match else None


def snippet_lines(source, tag):
    lines = source.read_text(encoding="utf-8").splitlines()
    marks = [i for i, line in enumerate(lines) if f"[{tag}]" in line]
    if len(marks) != 2:
        return None
    return [line for line in lines[marks[0] + 1:marks[1]] if line.strip()]


def check_pages(html_dir, source_dir, generated_dir, chapters):
    pages = [source_dir / "docs" / "mainpage.md", source_dir / "docs" / "chapters.md"]
    pages += sorted((source_dir / "chapters").glob("[0-9][0-9]_*/page.md"))
    labels = {}
    for markdown in pages:
        label = page_label(markdown)
        if label is None:
            problem(f"{markdown}: the first line must be '# Title {{#label}}' (Doxygen 1.9.4 ignores \\page in .md)")
            continue
        labels[markdown] = label
        built = html_dir / ("index.html" if label == "mainpage" else f"{label}.html")
        if not built.exists():
            problem(f"{markdown}: no page {built.name} was built")
            continue
        text = squash(html.unescape("".join(parse(built).text)))
        body = markdown.read_text(encoding="utf-8")
        for file_name, tag in re.findall(r"\\snippet\s+(\S+)\s+(\S+)", body):
            candidates = [source_dir / root / file_name for root in ("chapters", "common", "scripts")]
            source = next((c for c in candidates if c.exists()), None)
            if source is None:
                problem(f"{markdown}: \\snippet {file_name}: no such file in chapters/, common/ or scripts/")
                continue
            lines = snippet_lines(source, tag)
            if not lines:
                problem(f"{markdown}: \\snippet {file_name} {tag}: the marker pair [{tag}] is missing or empty")
                continue
            for line in lines:
                if squash(line) not in text:
                    problem(f"{built.name}: snippet {file_name} [{tag}] line not on the page: {line.strip()}")
                    break
        for file_name in re.findall(r"\\include\{[^}]*\}\s+(\S+)", body):  # a whole source file
            source = source_dir / "chapters" / file_name
            if not source.exists():
                problem(f"{markdown}: \\include {file_name}: no such file in chapters/")
                continue
            for line in source.read_text(encoding="utf-8").splitlines():
                if line.strip() and squash(line) not in text:
                    problem(f"{built.name}: {file_name} is not on the page whole: {line.strip()}")
                    break
        for file_name in re.findall(r"\\(?:verbinclude|include)(?:\{table\})?\s+(\S+)", body):
            produced = generated_dir / file_name
            # or a run kept as a chapter's reference (chapters/NN_topic/reference/)
            kept = source_dir / "chapters" / file_name
            if not produced.exists() and not (kept.exists() and "/reference/" in file_name):
                problem(f"{markdown}: program output {file_name} was not produced")
                continue
            if not produced.exists():
                produced = kept
            for line in produced.read_text(encoding="utf-8").splitlines():
                if line.strip() and squash(html.escape(line, quote=False)) not in squash(
                        html.escape(html.unescape("".join(parse(built).text)), quote=False)):
                    problem(f"{built.name}: output line from {file_name} not on the page: {line}")
                    break

    for chapter in chapters:
        if chapter not in labels.values():
            problem(f"chapter {chapter}: no chapters/*/page.md labels a page {{#{chapter}}}")
    return labels


def check_core_first(source_dir, pages):
    """A chapter with a core listing shows it whole, and its output, before any
    other C++ of the chapter: the idea first, the plumbing after."""
    for markdown in pages:
        core = markdown.parent / "core.cpp"
        if markdown.name != "page.md" or not core.exists():
            continue
        body = markdown.read_text(encoding="utf-8")
        folder = markdown.parent.name
        shown = re.search(r"\\include\{[^}]*\}\s+%s/core\.cpp" % re.escape(folder), body)
        if not shown:
            problem(f"{markdown}: does not show {folder}/core.cpp whole (\\include{{lineno}} {folder}/core.cpp)")
            continue
        if f"ch{folder}_core.txt" not in body:
            problem(f"{markdown}: does not show core.cpp's output (\\verbinclude ch{folder}_core.txt)")
        first_code = re.search(r"\\snippet\s+\S+\.(?:cpp|hpp)\s", body)
        if first_code and first_code.start() < shown.start():
            problem(f"{markdown}: shows C++ ({first_code.group(0).strip()}) before its core listing")


# A call of the full program's plumbing: a planned fault, a watchdog, progress, a
# small run's steps. The loops a page shows hold the approach only.
PLUMBING = re.compile(r"\bstrike\s*\(|\bFaultPlan\b|\bfault_?\.(?:due|pending)\s*\(|"
                      r"\bprogress_?\.(?:update|fetch_add|store)\s*\(|\.done\.store\s*\(|"
                      r"\bshow_(?:thread_)?step\s*\(|raise\s*\(\s*SIGKILL|\bWatchdog\b")
# Shown regions whose subject is the plumbing itself, and why.
SHOWS_PLUMBING = {
    ("02_fork_shared_memory/fork_shared_memory.cpp", "run"):
        "the parent's wait: it takes the watchdog that ends a run whose worker hangs",
    ("04_pipes/gatherer.hpp", "gatherer"): "chapter 4's section on watching the workers",
    ("04_pipes/watch.cpp", "tick"): "chapter 4's section on watching the workers",
}


def check_snippets_show_the_approach(source_dir, pages):
    """No fault, watchdog, progress or step call in a region a chapter's page shows,
    unless that region is about it (SHOWS_PLUMBING)."""
    for markdown in pages:
        if markdown.name != "page.md":
            continue
        for file_name, tag in re.findall(r"\\snippet\s+(\S+)\s+(\S+)", markdown.read_text(encoding="utf-8")):
            if (file_name, tag) in SHOWS_PLUMBING:
                continue
            for root in ("chapters", "common"):
                source = source_dir / root / file_name
                if source.is_file():
                    for line in snippet_lines(source, tag) or []:
                        if PLUMBING.search(line):
                            problem(f"{file_name} [{tag}], shown by {markdown}: plumbing in the shown lines "
                                    f"({line.strip()}): move it around the region (a hook, a wrapper)")
                    break


def check_navigation(html_dir, chapters):
    """The tree is navtreedata.js; a node's children are in <node>.js. The chapter
    index must hang from the root, and every chapter from the index."""
    root = (html_dir / "navtreedata.js").read_text(encoding="utf-8")
    if not re.search(r'\[ "[^"]+", "index\.html", \[', root):
        problem("navigation tree: the main page is not its root")
    if not re.search(r'\[ "[^"]+", "chapters\.html", "chapters" \]', root):
        problem("navigation tree: the chapter index is not under the main page")
        return
    index = html_dir / "chapters.js"
    children = index.read_text(encoding="utf-8") if index.exists() else ""
    for chapter in chapters:
        if not re.search(r'^    \[ "[^"]+", "%s\.html"' % re.escape(chapter), children, re.M):
            problem(f"navigation tree: {chapter}.html is not under the chapter index")


def check_links(html_dir):
    for page in sorted(html_dir.rglob("*.html")):
        parsed = parse(page)
        for attribute, value in parsed.links:
            parts = urlsplit(value)
            if parts.scheme or value.startswith("//"):
                continue  # external (https:, mailto:, javascript:), not ours to check
            target = page if parts.path == "" else (page.parent / unquote(parts.path)).resolve()
            if not target.exists():
                problem(f"{page.name}: broken {attribute}={value}")
                continue
            if parts.fragment and target.suffix == ".html" and parts.fragment not in parse(target).ids:
                problem(f"{page.name}: {value}: no anchor #{parts.fragment} in {target.name}")


EXTERNAL_LINK = re.compile(r'<a\b([^>]*)\bhref="(https?://[^"]*)"([^>]*)>')


def check_sources_linked(html_dir, labels):
    """Links out of the tutorial's pages: well formed, https, to a host the project
    names (docs/references.py), in the same tab; and every first use of a name
    whose source references.NAMES knows is linked to it. Not fetched: offline."""
    for label in labels:
        page = html_dir / f"{label}.html"
        if not page.exists():
            continue
        text = page.read_text(encoding="utf-8")
        for match in EXTERNAL_LINK.finditer(text):
            address = html.unescape(match.group(2))
            parts = urlsplit(address)
            if parts.scheme != "https" or parts.netloc not in references.HOSTS or re.search(r"\s", address):
                problem(f"{page.name}: a link out of the site to {address!r}: not https to a host "
                        f"docs/references.py names")
            if "target=" in match.group(1) + match.group(3):
                problem(f"{page.name}: the link to {address} opens another tab or window; links open in the same tab")
        seen = set()  # sources, not names: memory_order_relaxed and _acquire share a page
        for _, _, name, linked in finish_site.code_in_prose(text):
            if references.NAMES[name] in seen:
                continue
            seen.add(references.NAMES[name])
            if not linked:
                problem(f"{page.name}: the first use of {name} links nowhere; its source is {references.NAMES[name]}")


# Doxygen commands that must never reach a reader as text.
LEFT_AS_TEXT = re.compile(r"(?<![\w\\])[\\@](ref|snippet|verbinclude|include|image|subpage|fig|claim)\b")


def check_literal_commands(html_dir):
    for page in sorted(html_dir.rglob("*.html")):
        text = " ".join(parse(page).prose)  # code may name a command; prose must not show one
        for match in LEFT_AS_TEXT.finditer(text):
            context = " ".join(text[max(0, match.start() - 30):match.end() + 30].split())
            problem(f"{page.name}: a Doxygen command is shown as text, not run: …{context}…")


# A snippet marker: a line that is only a comment holding [tag] (// [run], #! [article], # [mpirun]).
MARKER = re.compile(r"^\s*(?://|#!?)\s*\[([A-Za-z0-9_]+)\]\s*$")


def snippet_markers(source_dir):
    """(file relative to its snippet root, tag) for every marker pair in chapters/ and common/."""
    found = set()
    for root in ("chapters", "common"):
        for path in sorted((source_dir / root).rglob("*")):
            if not path.is_file() or path.suffix in (".md", ".json", ".csv", ".txt", ".svg", ".gp", ".supp"):
                continue
            try:
                lines = path.read_text(encoding="utf-8").splitlines()
            except UnicodeDecodeError:
                continue
            for line in lines:
                match = MARKER.match(line)
                if match:
                    found.add((str(path.relative_to(source_dir / root)), match.group(1)))
    return found


def check_snippet_markers(source_dir, pages):
    used = set()
    for markdown in pages:
        used |= set(re.findall(r"\\snippet\s+(\S+)\s+(\S+)", markdown.read_text(encoding="utf-8")))
    for file_name, tag in sorted(snippet_markers(source_dir) - used):
        problem(f"{file_name}: the snippet marker [{tag}] is used by no page: show it, or remove the marker")


def check_previous_next(html_dir, chapters):
    """Chapter k links to chapter k − 1 and k + 1 (in the order given), at the top
    and at the bottom of the page, and has its learner's header."""
    for k, chapter in enumerate(chapters):
        page = html_dir / f"{chapter}.html"
        if not page.exists():
            continue  # check_pages says so
        targets = [urlsplit(value).path for attribute, value in parse(page).links if attribute == "href"]
        for neighbour, which in ((k - 1, "previous"), (k + 1, "next")):
            if 0 <= neighbour < len(chapters) and targets.count(f"{chapters[neighbour]}.html") < 2:
                problem(f"{page.name}: no link to the {which} chapter, {chapters[neighbour]}.html, at the top "
                        f"and at the bottom")
        if 'class="learner"' not in page.read_text(encoding="utf-8"):
            problem(f"{page.name}: no learner's header (\\learner{{…}} on its page.md)")


def check_section_anchors(pages):
    """Every section has an explicit, stable anchor: {#chNN_…} on a chapter page,
    {#name} on the others (Doxygen would number it, and the number changes when a
    heading is added above)."""
    for markdown in pages:
        anchor, shown = (r"\{#ch\d\d_\w+\}\s*$", "{#chNN_name}") if markdown.name == "page.md" else (r"\{#\w+\}\s*$", "{#name}")
        in_code = False
        for number, line in enumerate(markdown.read_text(encoding="utf-8").splitlines(), 1):
            in_code = (in_code or line.startswith("\\code")) and not line.startswith("\\endcode")
            if not in_code and re.match(r"#{2,} ", line) and not re.search(anchor, line):
                problem(f"{markdown}:{number}: a section without its own anchor ({shown}): {line}")


# A number with the unit of a measurement: a time, a ratio, a percentage. A range
# (1.6–1.8 s, 17–20 ns) counts as one.
NUMBER = r"\d[\d,]*(?:\.\d+)?"
MEASURED = re.compile(
    rf"(?<![\w.,^·/-])({NUMBER}(?:\s*(?:–|-|to|and)\s*{NUMBER})?\s*"
    r"(?:ns|µs|us|ms|s|seconds?|minutes?|hours?|×|%|per ?cent|[KMG]B/s|times (?:faster|slower|as (?:fast|long|slow))))"
    r"(?![\w/])")
CLAIM_ID = re.compile(r"\\claim\{(\w+)::")


def prose_lines(markdown_text):
    """(line number, text) of what a reader reads as prose: without code blocks,
    inline code, included listings and outputs, URLs, and the figures and claims
    that are inserted or checked."""
    in_fence = in_code = in_learner = False
    previous_blank = True
    for number, line in enumerate(markdown_text.splitlines(), 1):
        stripped = line.strip()
        # The learner's header: its reading time is the author's estimate, not a measurement.
        in_learner = (in_learner or stripped == "\\learner{") and stripped != "}"
        if in_learner and stripped.startswith("time:"):
            continue
        if stripped.startswith("```"):
            in_fence = not in_fence
            continue
        indented = line.startswith("    ")
        in_code = indented and (previous_blank or in_code)
        previous_blank = not stripped
        if in_fence or in_code or re.match(r"\\(snippet|verbinclude|include|image)\b", stripped):
            continue
        line = re.sub(r"`[^`]*`|<code>.*?</code>|https?://\S+", " ", line)
        line = re.sub(r"\\(fig|claim)\{[^{}]*\}", " ", line)
        yield number, line


def read_or_empty(path):
    """A file's text, or "" when there is no such file."""
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def check_prose_numbers(pages, facts, tests_dir):
    """Every measured-looking number in prose is inserted (\\fig), checked (\\claim
    read by a test) or an explained fact; every fact listed is still on its page."""
    tested = set()  # string literals of the test sources that read claims (page_claims.hpp)
    for source in sorted(tests_dir.rglob("*.cpp")):
        code = source.read_text(encoding="utf-8")
        if '#include "page_claims.hpp"' in code:
            tested |= set(re.findall(r'"(\w+)"', code))
    seen_claims = {}
    for markdown in pages:
        label = page_label(markdown) or markdown.name
        text = markdown.read_text(encoding="utf-8")
        for claim_id in CLAIM_ID.findall(text):
            if claim_id in seen_claims:
                problem(f"{markdown}: \\claim{{{claim_id}::…}} is also on {seen_claims[claim_id]}: ids must be unique")
            seen_claims[claim_id] = markdown
            if claim_id not in tested:
                problem(f"{markdown}: \\claim{{{claim_id}::…}}: no test reads it (page_claims.hpp)")
        allowed = dict(facts.get(label, {}))
        unused = set(allowed)
        for number, line in prose_lines(text):
            for match in MEASURED.finditer(line):
                token = " ".join(match.group(1).split())
                if token in allowed:
                    unused.discard(token)
                    continue
                problem(f"{markdown}:{number}: '{token}' looks measured but is typed: insert it from the build's "
                        f"data (\\fig{{FILE::KEY}}), make it a \\claim{{ID::…}} a test checks, or list it in "
                        f"tests/docs/page_facts.py if it is a fact")
        for token in sorted(unused):
            problem(f"{markdown}: page_facts.py allows '{token}', which the page no longer says: remove it from the list")
        for token, why in allowed.items():  # a constant of the code: the code must still say it
            path, text = getattr(why, "path", None), getattr(why, "text", None)
            if path and text not in read_or_empty(tests_dir.parent / path):
                problem(f"{markdown}: page_facts.py says '{token}' is {why}, but {path} no longer "
                        f"holds '{text}': the page and the code disagree")


LIVE_RATIO = re.compile(r"\\fig\{([\w-]+)::ratio::")
CHOICE_OF = re.compile(r"\\choose\{([\w-]+)::")


def live_paragraphs(markdown_text):
    """(first line number, text) of each paragraph outside code fences, the
    learner's header and Markdown tables (a table's cells state, they do not
    interpret)."""
    paragraph, start, in_fence = [], 0, False
    for number, line in enumerate(markdown_text.splitlines() + [""], 1):
        stripped = line.strip()
        if stripped.startswith("```"):
            in_fence = not in_fence
            continue
        if in_fence or stripped.startswith("|") or stripped.startswith("result:"):
            continue
        if stripped:
            start = start if paragraph else number
            paragraph.append(line)
        elif paragraph:
            yield start, "\n".join(paragraph)
            paragraph = []


def check_ratios_chosen(pages, generated_dir):
    """A paragraph quoting a ratio from a table measured at docs build (its figures
    say how many runs) also holds a \\choose on the same table. A reference table
    (committed data, *_reference) states what was measured there, and needs none."""
    for markdown in pages:
        chapter = page_label(markdown) or ""
        for number, paragraph in live_paragraphs(markdown.read_text(encoding="utf-8")):
            chosen = set(CHOICE_OF.findall(paragraph))
            for table in sorted(set(LIVE_RATIO.findall(paragraph))):
                if table.endswith("_reference"):
                    continue
                name = table if re.match(r"ch\d\d_", table) else f"{chapter}_{table}"
                figures = generated_dir / f"{name}.json"
                if not figures.exists() or '"runs"' not in figures.read_text(encoding="utf-8"):
                    continue  # not a table measured at docs build
                if table not in chosen:
                    problem(f"{markdown}:{number}: a paragraph quotes a ratio of {table}, which the reader's build "
                            f"measures, and chooses no words by it: add \\choose{{{table}::…}} so that its "
                            f"interpretation holds on the reader's machine, or says that it does not")


WORDS_A_MINUTE = 200  # technical prose read with care, tables included


def first_reading_words(markdown_text):
    """The words a first reading meets: not folded parts (\\fold…\\endfold, the
    answers' <details>), not indented or fenced listings."""
    text = re.sub(r"^\\fold\{.*?^\\endfold[ \t]*$", "", markdown_text, flags=re.S | re.M)
    text = re.sub(r"<details>.*?</details>", "", text, flags=re.S)
    text = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
    text = re.sub(r"^(?:    |\t).*$", "", text, flags=re.M)
    return len(text.split())


def check_ceiling_shares(generated_dir):
    """A share of the machine's ceiling that a page can show (docs/measure_table.py)
    is at most 1, or above it only where its noise band (the range of the rounds'
    shares; a reference kept before bands, its one value) reaches within the
    tolerance two binaries' copies of one loop differ by."""
    for path in sorted(Path(generated_dir).glob("*.json")):
        try:
            figures = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(figures, dict):
            continue
        for key, value in figures.items():
            if not (key.startswith("ratio::") and key.endswith("(share of the ceiling)")):
                continue
            number = re.match(r"(\d+(?:\.\d+)?)×$", str(value))
            if number is None or float(number.group(1)) <= 1:
                continue
            band = figures.get(f"{key}::band", value)
            low = re.match(r"(\d+(?:\.\d+)?)", str(band))
            if low is None or float(low.group(1)) > 1 + measure_table.SAME_LOOP_TOLERANCE:
                problem(f"{path.name}: {key} is {value}, above 1 by more than noise and the "
                        f"{measure_table.SAME_LOOP_TOLERANCE:.0%} two binaries differ by (its rounds: {band})")


def check_reading_time(pages):
    for page in pages:
        text = page.read_text(encoding="utf-8")
        stated = re.search(r"^time: (\d+) minutes to read", text, re.M)
        if not stated:
            continue
        words = first_reading_words(text)
        needed = words / WORDS_A_MINUTE
        if int(stated.group(1)) < needed:
            problem(f"{page}: says {stated.group(1)} minutes to read, but a first reading meets {words} words: "
                    f"{needed:.0f} minutes at {WORDS_A_MINUTE} a minute (fold what a first reading may skip)")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--html", type=Path, required=True, help="the built site (build/docs/html)")
    parser.add_argument("--source", type=Path, required=True, help="the repository")
    parser.add_argument("--generated", type=Path, required=True, help="the pages' program outputs")
    parser.add_argument("--chapters", nargs="*", default=[], help="chapter targets, e.g. ch01_serial_sum")
    args = parser.parse_args()
    if not (args.html / "index.html").exists():
        print(f"no site at {args.html}: build the 'docs' target first", file=sys.stderr)
        return 1
    labels = check_pages(args.html, args.source, args.generated, args.chapters)
    check_navigation(args.html, args.chapters)
    check_links(args.html)
    check_literal_commands(args.html)
    check_snippet_markers(args.source, list(labels))
    check_core_first(args.source, list(labels))
    check_snippets_show_the_approach(args.source, list(labels))
    check_section_anchors(list(labels))
    check_previous_next(args.html, args.chapters)
    check_prose_numbers(list(labels), page_facts.FACTS, args.source / "tests")
    check_ratios_chosen(list(labels), args.generated)
    check_reading_time(list(labels))
    check_ceiling_shares(args.generated)
    check_sources_linked(args.html, ["index", "chapters", "concept_index", *args.chapters])
    for line in problems:
        print(line)
    pages = len(list(args.html.rglob("*.html")))
    print(f"{pages} pages checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
