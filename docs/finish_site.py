#!/usr/bin/env python3
"""Finishes the site Doxygen built, in place (the docs target runs it after Doxygen):

- a plot is a link to its full-size SVG: Doxygen shows an SVG image as an
  <object> that a click cannot open; it becomes a linked <img>;
- a diagram (\\dot) is an image that fits the text column: Doxygen shows a dot
  graph's SVG in an <iframe> of the graph's own size, which nothing can scale, so
  a wide graph ran past the column; it becomes an <img> (site.css scales it down
  to the column, and a click opens it full size);
- primary sources: the first use of a standard facility, a POSIX or MPI call or a CUDA
  intrinsic in a tutorial page's running text links to where it is defined
  (cppreference, the Linux manual, Open MPI's manual, CUDA's guide: docs/references.py);
- the search index of the site's one search box: every section of the tutorial's
  pages (the chapters, the main page, the concepts), its title, address and text;
  the concept index's rows with the sections each links (a query that names a
  concept lists first where it is taught, before the pages that mention it); and
  every name in the code, from Doxygen's tag file. It is written as
  ptut_search_index.js, which docs/ptut_search.js gives to lunr.js, the
  client-side search library (Debian's libjs-lunr): the site stays a folder of
  files that works from disk, with no server to run.

    finish_site.py --html build/docs/html --tagfile build/docs/ptut.tag \
                   --pages index chapters concept_index ch01_serial_sum …

Standard library only.
"""
import argparse
import html
import json
import re
import sys
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser
from pathlib import Path

import references

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


TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>")
BY_LENGTH = sorted(references.NAMES, key=len, reverse=True)  # std::atomic_ref before std::atomic


def named(code):
    """The name of references.NAMES that the `code` text CODE uses, or None."""
    for name in BY_LENGTH:
        if code.startswith(name) and not re.match(r"[A-Za-z0-9_]", code[len(name):len(name) + 1]):
            return name
    return None


def code_in_prose(text):
    """(start, end, name, linked) of every <code>…</code> in TEXT's running text that
    uses a name of references.NAMES: not in a listing, a heading, the contents or
    the page's header; linked when inside a link."""
    found, divs, inside = [], [], {"a": 0, "pre": 0, "h": 0}
    for tag in TAG.finditer(text):
        closing, name, attributes = tag.group(1) == "/", tag.group(2).lower(), tag.group(3)
        if name == "div":
            if closing:
                if divs:
                    divs.pop()
            else:
                divs.append(re.search(r'class="([^"]*)"', attributes).group(1) if "class=" in attributes else "")
        kind = "h" if re.fullmatch(r"h[1-6]", name) else name
        if kind in inside:
            inside[kind] += -1 if closing else 1
        if name != "code" or closing or attributes.strip():
            continue
        end = text.find("</code>", tag.end())
        body = text[tag.end():end]
        if end < 0 or "<" in body:
            continue
        # not in a listing, the contents, the page's header or the learner's summary
        # box: a first use there would be a link before the prose that explains it
        listed = any(word in ("fragment", "toc", "header", "chapter-nav", "learner")
                     for classes in divs for word in classes.split())
        if listed or inside["pre"] > 0 or inside["h"] > 0:
            continue
        used = named(html.unescape(body))
        if used:
            found.append((tag.start(), end + len("</code>"), used, inside["a"] > 0))
    return found


def link_sources(page):
    """Links each name's first use in PAGE's running text to its primary source
    (once a source: memory_order_relaxed and memory_order_acquire share a page)."""
    text = page.read_text(encoding="utf-8")
    seen, pieces, at = set(), [], 0
    for start, end, name, linked in code_in_prose(text):
        address = references.NAMES[name]
        if address in seen:
            continue
        seen.add(address)
        if linked:
            continue  # the page links it already (to our own reference, say)
        pieces += [text[at:start], f'<a class="ptut-source" href="{address}" '
                                   f'title="{html.escape(name)} {references.source_of(address)}">',
                   text[start:end], "</a>"]
        at = end
    if pieces:
        page.write_text("".join(pieces) + text[at:], encoding="utf-8")


class Sections(HTMLParser):
    """A page's sections: (anchor, title, text) from each heading to the next, in the
    page's contents; code, the table of contents and scripts left out."""

    SKIPPED = {"script", "style", "title"}
    SKIPPED_IDS = {"titlearea", "nav-path", "side-nav"}  # the same on every page

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.sections = []  # [anchor, title, text parts]
        self.title = ""
        self._stack = []  # (tag, skipping) of open elements
        self._heading = None
        self._in_title = False

    def _skipping(self):
        return any(skip for _, skip in self._stack)

    # Where text parts meet across one of these, a space; elsewhere (code inside a
    # sentence: "the std::latch's count") nothing, so no space appears before "'s".
    BLOCKS = {"p", "li", "td", "th", "tr", "div", "br", "pre", "dd", "dt", "h1", "h2", "h3", "h4",
              "table", "ul", "ol", "details", "summary"}

    def _break(self, tag):
        if tag in self.BLOCKS and self.sections and self.sections[-1][2]:
            self.sections[-1][2].append(" ")

    def handle_starttag(self, tag, attrs):
        self._break(tag)
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if tag == "div" and "title" in classes and not self.title:
            self._in_title = True
        skip = (tag in self.SKIPPED or attributes.get("id") in self.SKIPPED_IDS
                or any(name in classes for name in ("toc", "fragment", "chapter-nav", "navpath", "footer")))
        if tag in ("br", "img", "hr", "input", "meta", "link"):
            return
        self._stack.append((tag, skip))
        if tag in ("h1", "h2", "h3") and not self._skipping():  # not the contents box's own
            self._heading = ["", ""]
        if tag == "a" and self._heading is not None and attributes.get("id"):
            self._heading[0] = attributes["id"]

    def handle_endtag(self, tag):
        self._break(tag)
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
        text = " ".join("".join(parts).split())
        if not text:
            continue
        entries.append({"url": page.name + (f"#{anchor}" if anchor else ""), "page": title,
                        "title": heading or title, "text": text})
    return entries


# A word whose parts a reader may type alone: "ThreadSanitizer" is found by
# "sanitizer", "CLOCK_MONOTONIC" already splits at "_" in the search's tokenizer.
JOINED_WORD = re.compile(r"\b[A-Za-z]*[a-z][A-Z][A-Za-z]*\b")
WORD_PART = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


def word_parts(text):
    """The parts of every camel-cased word in TEXT, once each: 'ThreadSanitizer' gives
    'Thread Sanitizer'. Searched, not shown."""
    parts = dict.fromkeys(part for word in JOINED_WORD.findall(text) for part in WORD_PART.findall(word))
    return " ".join(parts)


class ConceptRows(HTMLParser):
    """The concept index's table: (the concept's words, the sections it links)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows = []
        self._cell = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append(["", []])
        elif tag == "td" and self.rows:
            self._cell = 0 if self._cell is None else self._cell + 1
        elif tag == "a" and self.rows and self._cell == 1:
            self.rows[-1][1].append(dict(attrs).get("href", ""))

    def handle_endtag(self, tag):
        if tag == "tr":
            self._cell = None

    def handle_data(self, data):
        if self.rows and self._cell == 0:
            self.rows[-1][0] += data


def concept_rows(entries, concept_page):
    """The concept index's rows, as [{"words", "urls"}] in its order; each section a row
    links gets the row's words as its "concepts" field."""
    parser = ConceptRows()
    parser.feed(concept_page.read_text(encoding="utf-8"))
    by_url = {entry["url"]: entry for entry in entries}
    rows, missing = [], []
    for words, links in parser.rows:
        words = " ".join(words.split())
        if not links:
            continue  # the table's heading
        for link in links:
            entry = by_url.get(link)
            if entry is None:
                missing.append(link)
            else:
                entry["concepts"] = (entry.get("concepts", "") + " " + words).strip()
        rows.append({"words": words, "parts": word_parts(words), "urls": links})
    if missing:
        sys.exit(f"finish_site.py: the concept index links sections the search does not hold: {missing}")
    return rows


def code_names(tagfile):
    """Every name in the code that has a page or an anchor, from Doxygen's tag file:
    namespaces and classes first, so that a member is named with its scope."""
    root = ElementTree.parse(tagfile).getroot()
    entries, seen = [], set()
    scoped = ("namespace", "class", "struct", "concept", "union")
    compounds = sorted((c for c in root.findall("compound") if c.get("kind") != "page"),
                       key=lambda c: c.get("kind") not in scoped)
    for compound in compounds:
        kind, name, filename = compound.get("kind"), compound.findtext("name"), compound.findtext("filename")
        if filename not in seen:
            seen.add(filename)
            entries.append({"url": filename, "page": "Reference", "title": name, "kind": "code",
                            "text": f"{kind} {name}"})
        for member in compound.findall("member"):
            url = f'{member.findtext("anchorfile")}#{member.findtext("anchor")}'
            if url in seen or not member.findtext("anchor"):
                continue
            seen.add(url)
            member_kind, member_name = member.get("kind"), member.findtext("name")
            qualified = f"{name}::{member_name}" if kind in scoped else member_name
            shown = qualified + ("()" if member_kind == "function" else "")
            declared = " ".join(filter(None, [member.findtext("type"), qualified, member.findtext("arglist")]))
            entries.append({"url": url, "page": "Reference", "title": shown, "kind": "code",
                            "text": f"{member_kind} {declared}"})
    return entries


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--html", type=Path, required=True, help="the site Doxygen built")
    parser.add_argument("--tagfile", type=Path, required=True, help="Doxygen's tag file of the code")
    parser.add_argument("--pages", nargs="+", required=True, help="the pages to index, by label")
    args = parser.parse_args()
    for page in sorted(args.html.glob("*.html")):
        link_plots(page)
    entries = []
    for label in args.pages:
        page = args.html / f"{label}.html"
        if not page.exists():
            sys.exit(f"finish_site.py: no page {page.name} to index")
        link_sources(page)
        entries += index_page(page)
    for entry in entries:
        entry["kind"] = "section"
        entry["parts"] = word_parts(entry["title"] + " " + entry["text"])
    concepts = concept_rows(entries, args.html / "concept_index.html")
    sections = len(entries)
    entries += code_names(args.tagfile)
    for entry in entries[sections:]:
        entry["parts"] = word_parts(entry["title"])
    (args.html / "ptut_search_index.js").write_text(
        "// The full-text search index of the tutorial's pages, made by docs/finish_site.py.\n"
        "var ptutSections = " + json.dumps(entries, ensure_ascii=False) + ";\n"
        "var ptutConcepts = " + json.dumps(concepts, ensure_ascii=False) + ";\n", encoding="utf-8")
    print(f"finish_site.py: {sections} sections of {len(args.pages)} pages and "
          f"{len(entries) - sections} names in the code indexed")


if __name__ == "__main__":
    main()
