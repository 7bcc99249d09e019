#!/usr/bin/env python3
"""Finishes the site Doxygen built, in place (the docs target runs it after Doxygen):

- a plot is a link to its full-size SVG: Doxygen shows an SVG image as an
  <object> that a click cannot open; it becomes a linked <img>;
- a diagram (\\dot) is an image that fits the text column: Doxygen shows a dot
  graph's SVG in an <iframe> of the graph's own size, which nothing can scale, so
  a wide graph ran past the column; it becomes an <img> (site.css scales it down
  to the column, and a click opens it full size);
- the full-text search index: every section of the tutorial's pages (the chapters,
  the main page, the concepts), its title, address and text, as
  ptut_search_index.js, which the search page (docs/search.md) gives to lunr.js,
  the client-side search library (Debian's libjs-lunr): the site stays a folder of
  files that works from disk, with no server to run.

    finish_site.py --html build/docs/html --pages index chapters concept_index ch01_serial_sum …

Standard library only.
"""
import argparse
import html
import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

SVG_OBJECT = re.compile(r'<object type="image/svg\+xml" data="([^"]+)"[^>]*></object>\s*'
                        r'(?:<div class="caption">\s*(.*?)</div>)?', re.S)


DOT_IFRAME = re.compile(r'<iframe scrolling="no" frameborder="0" src="([^"]+\.svg)" '
                        r'width="(\d+)" height="(\d+)">.*?</iframe>', re.S)


def scalable_diagrams(text):
    """Dot graphs' iframes become images that link to the SVG and scale with the page."""
    return DOT_IFRAME.sub(
        lambda match: f'<a href="{match.group(1)}" title="Open the full-size diagram">'
                      f'<img class="ptut-diagram" src="{match.group(1)}" width="{match.group(2)}" '
                      f'alt="a diagram"/></a>', text)


def link_plots(page):
    """SVG objects become images that link to the SVG itself."""
    text = page.read_text(encoding="utf-8")

    def linked(match):
        source, caption = match.group(1), (match.group(2) or "").strip()
        alt = html.escape(re.sub(r"<[^>]+>", "", caption), quote=True)
        shown = f'<a href="{source}" title="Open the full-size plot"><img src="{source}" alt="{alt}"/></a>'
        return shown + (f'\n<div class="caption">\n{caption}</div>' if caption else "")

    changed = scalable_diagrams(SVG_OBJECT.sub(linked, text))
    if changed != text:
        page.write_text(changed, encoding="utf-8")


class Sections(HTMLParser):
    """A page's sections: (anchor, title, text) from each heading to the next, in the
    page's contents; code, the table of contents and scripts left out."""

    SKIPPED = {"script", "style"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.sections = []  # [anchor, title, text parts]
        self.title = ""
        self._stack = []  # (tag, skipping) of open elements
        self._heading = None
        self._in_title = False

    def _skipping(self):
        return any(skip for _, skip in self._stack)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if tag == "div" and "title" in classes and not self.title:
            self._in_title = True
        skip = tag in self.SKIPPED or "toc" in classes or "fragment" in classes or "chapter-nav" in classes
        if tag in ("br", "img", "hr", "input", "meta", "link"):
            return
        self._stack.append((tag, skip))
        if tag in ("h1", "h2", "h3") and not self._skipping():  # not the contents box's own
            self._heading = ["", ""]
        if tag == "a" and self._heading is not None and attributes.get("id"):
            self._heading[0] = attributes["id"]

    def handle_endtag(self, tag):
        if self._heading is not None and tag in ("h1", "h2", "h3"):
            anchor, title = self._heading
            self.sections.append([anchor, " ".join(title.split()), []])
            self._heading = None
        if tag == "div":
            self._in_title = False
        for k in range(len(self._stack) - 1, -1, -1):
            if self._stack[k][0] == tag:
                del self._stack[k:]
                break

    def handle_data(self, data):
        if self._in_title:
            self.title += data
            return
        if self._heading is not None:
            self._heading[1] += data
        elif not self._skipping():
            if not self.sections:
                self.sections.append(["", "", []])  # before the first heading: the page's opening
            self.sections[-1][2].append(data)


def index_page(page):
    parser = Sections()
    parser.feed(page.read_text(encoding="utf-8"))
    title = " ".join(parser.title.split())
    entries = []
    for anchor, heading, parts in parser.sections:
        text = " ".join(" ".join(parts).split())
        if not text:
            continue
        entries.append({"url": page.name + (f"#{anchor}" if anchor else ""), "page": title,
                        "title": heading or title, "text": text})
    return entries


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--html", type=Path, required=True, help="the site Doxygen built")
    parser.add_argument("--pages", nargs="+", required=True, help="the pages to index, by label")
    args = parser.parse_args()
    for page in sorted(args.html.glob("*.html")):
        link_plots(page)
    entries = []
    for label in args.pages:
        page = args.html / f"{label}.html"
        if not page.exists():
            sys.exit(f"finish_site.py: no page {page.name} to index")
        entries += index_page(page)
    (args.html / "ptut_search_index.js").write_text(
        "// The full-text search index of the tutorial's pages, made by docs/finish_site.py.\n"
        "var ptutSections = " + json.dumps(entries, ensure_ascii=False) + ";\n", encoding="utf-8")
    print(f"finish_site.py: {len(entries)} sections of {len(args.pages)} pages indexed")


if __name__ == "__main__":
    main()
