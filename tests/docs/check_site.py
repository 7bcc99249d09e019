#!/usr/bin/env python3
"""Checks the built tutorial site for what Doxygen lets pass silently.

- every chapter page exists and sits in the navigation tree, under the chapter index;
- every \\snippet a page names shows up on the built page, line for line, from the
  compiled source it names;
- every program output a page includes (\\verbinclude) was produced and shows up;
- no local link, image or anchor on any page is broken.

Standard library only. Exit 0 when all holds, 1 with one line per problem.
"""
import argparse
import html
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

problems = []


def problem(text):
    problems.append(text)


class PageParser(HTMLParser):
    """Collects a page's links, ids and visible text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []  # (attribute, value)
        self.ids = set()
        self.text = []
        self._skip = 0

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

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


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
    pages += sorted((source_dir / "chapters").glob("[0-9][0-9]_*/README.md"))
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
            candidates = [source_dir / "chapters" / file_name, source_dir / "common" / file_name]
            source = next((c for c in candidates if c.exists()), None)
            if source is None:
                problem(f"{markdown}: \\snippet {file_name}: no such file in chapters/ or common/")
                continue
            lines = snippet_lines(source, tag)
            if not lines:
                problem(f"{markdown}: \\snippet {file_name} {tag}: the marker pair [{tag}] is missing or empty")
                continue
            for line in lines:
                if squash(line) not in text:
                    problem(f"{built.name}: snippet {file_name} [{tag}] line not on the page: {line.strip()}")
                    break
        for file_name in re.findall(r"\\(?:verbinclude|include)\s+(\S+)", body):
            produced = generated_dir / file_name
            if not produced.exists():
                problem(f"{markdown}: program output {file_name} was not produced")
                continue
            for line in produced.read_text(encoding="utf-8").splitlines():
                if line.strip() and squash(html.escape(line, quote=False)) not in squash(
                        html.escape(html.unescape("".join(parse(built).text)), quote=False)):
                    problem(f"{built.name}: output line from {file_name} not on the page: {line}")
                    break

    for chapter in chapters:
        if chapter not in labels.values():
            problem(f"chapter {chapter}: no chapters/*/README.md labels a page {{#{chapter}}}")
    return labels


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
    check_pages(args.html, args.source, args.generated, args.chapters)
    check_navigation(args.html, args.chapters)
    check_links(args.html)
    for line in problems:
        print(line)
    pages = len(list(args.html.rglob("*.html")))
    print(f"{pages} pages checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
