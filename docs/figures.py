#!/usr/bin/env python3
"""Doxygen input filter for the tutorial pages: puts figures the build measured
into the prose, so that a sentence cannot quote a number its table does not show.

    \\fig{FILE::KEY}     the figure KEY of docs/generated/FILE.json, written by the
                        step that measured it in this build (docs/measure_table.py
                        for a page's measured tables: KEY is "RUN::median",
                        "RUN::per element", "ratio::TEXT", …). A FILE without the
                        chNN_ prefix is the page's own chapter's.
    \\claim{ID::TEXT}    TEXT, a statement about committed data (chapter 7's
                        reference) that a test reads from the page by its ID and
                        checks against that data (tests/docs/check_site.py makes
                        sure some test names every ID).
    \\choose{FILE::KEY||LOW||HIGH||BELOW||WITHIN||ABOVE}
                        words chosen by a figure of this build: BELOW when the
                        number in \\fig{FILE::KEY} is under LOW, WITHIN when it is
                        from LOW to HIGH, ABOVE when it is over HIGH. A sentence
                        that interprets a table measured on the reader's machine
                        says what that table shows there, not what it showed on
                        ours; where the number contradicts the page's explanation,
                        the words say so (a visible note), instead of silence.

On a chapter's page (chapters/NN_topic/page.md) it also adds what every chapter
page has, so that no page types it by hand:

    \learner{                 the learner's header, under the title: a box with
    difficulty: …              these lines (learn: once per point, three of them;
    time: …                    result: one sentence, its numbers from \fig)
    prerequisites: …
    learn: …
    result: …
    }

and links to the previous and the next chapter, at the top and at the bottom,
from the order of the chapter folders and the titles on their pages' first lines.

    \fold{SUMMARY}            on a line of its own, up to \endfold on a line of
    …                          its own: a part of a section a first reading may
    \endfold                   skip, folded under SUMMARY until opened (an HTML
                              <details>, so it works without JavaScript); the
                              section's heading stays in the contents

Doxygen runs it on every Markdown page (FILTER_PATTERNS) with the file's path as
its only argument, and reads the page from its output. A figure that does not
exist becomes a reference to a label that does not exist either, so the build
fails with Doxygen's warning, after this script has said which figure it missed.
"""
import html
import json
import re
import sys
from pathlib import Path

FIGURE = re.compile(r"\\fig\{([^{}]*)\}")
CHOOSE = re.compile(r"\\choose\{([^{}]*)\}")
NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")
CLAIM = re.compile(r"\\claim\{([^{}]*)\}")
TABLE = re.compile(r"^\\verbinclude\{table\}[ \t]+(\S+)[ \t]*$", re.M)
FOLD = re.compile(r"^\\fold\{([^{}\n]+)\}[ \t]*$", re.M)
END_FOLD = re.compile(r"^\\endfold[ \t]*$", re.M)


LEARNER_KEYS = {"difficulty": "Difficulty", "time": "Time", "prerequisites": "Prerequisites",
                "learn": "You will learn", "result": "Key result"}


def learner_block(text):
    """(start, end, {key: [values]}) of the page's \\learner{…} block, or None."""
    match = re.search(r"^\\learner\{\n(.*?)^\}\n", text, re.S | re.M)
    if not match:
        return None
    fields = {}
    for line in match.group(1).splitlines():
        key, separator, value = line.partition(":")
        if not separator or key.strip() not in LEARNER_KEYS:
            raise LookupError(f"\\learner: '{line}' is not 'KEY: value' with KEY one of {', '.join(LEARNER_KEYS)}")
        fields.setdefault(key.strip(), []).append(value.strip())
    missing = [key for key in LEARNER_KEYS if key not in fields]
    if missing:
        raise LookupError(f"\\learner: no {', '.join(missing)}")
    return match.start(), match.end(), fields


def learner_html(fields):
    """The learner's header as an HTML table, which Doxygen keeps whole and whose
    cells may hold \\ref and `code`."""
    rows = []
    for key, title in LEARNER_KEYS.items():
        values = fields[key]
        cell = "<ul>" + "".join(f"<li>{v}</li>" for v in values) + "</ul>" if key == "learn" else " ".join(values)
        rows.append(f"<tr><th>{title}</th><td>{cell}</td></tr>")
    return '<div class="learner"><table class="learner">\n' + "\n".join(rows) + "\n</table></div>\n"


def chapter_titles(chapters_dir):
    """(label, title) of every chapter page, in the order of their folders."""
    found = []
    for page in sorted(Path(chapters_dir).glob("[0-9][0-9]_*/page.md")):
        match = re.match(r"#\s+(.*?)\s*\{#(\w+)\}", page.read_text(encoding="utf-8"))
        if match:
            found.append((match.group(2), match.group(1)))
    return found


def chapter_nav(label, chapters):
    """Links to the previous chapter, the index and the next chapter."""
    labels = [known for known, _ in chapters]
    k = labels.index(label)
    parts = []
    if k > 0:
        parts.append(f'<span class="previous">← \\ref {chapters[k - 1][0]} "{chapters[k - 1][1]}"</span>')
    parts.append('<span class="index">\\ref chapters "All chapters"</span>')
    if k + 1 < len(chapters):
        parts.append(f'<span class="next">\\ref {chapters[k + 1][0]} "{chapters[k + 1][1]}" →</span>')
    return '<div class="chapter-nav">' + " ".join(parts) + "</div>\n"


def page_chapter(text):
    """The page's label ({#ch02_fork_shared_memory}) when it is a chapter's page."""
    match = re.match(r"#[^\n]*\{#(ch\d\d_[a-z0-9_]+)\}", text)
    return match.group(1) if match else None


class Figures:
    """The figure files of one build, read once each."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.files = {}

    def lookup(self, reference, chapter):
        """The text of a figure, or raise LookupError saying what is missing."""
        name, separator, key = reference.partition("::")
        if not separator:
            raise LookupError(f"\\fig{{{reference}}} is not \\fig{{FILE::KEY}}")
        name = name.strip()
        if not re.match(r"ch\d\d_", name) and chapter:
            name = f"{chapter}_{name}"
        if name not in self.files:
            path = self.folder / f"{name}.json"
            if not path.exists():
                raise LookupError(f"no figure file {path} (which step of the build writes it?)")
            self.files[name] = json.loads(path.read_text(encoding="utf-8"))
        figures = self.files[name]
        if "skipped" in figures:  # a table that could not be measured here (chapter 8's hosts need root)
            return "(not measured where this site was built)"
        key = key.strip()
        if key not in figures:
            raise LookupError(f"{name}.json has no figure '{key}'")
        value = figures[key]
        if isinstance(value, float):  # a figure a script wrote as a number: 3 digits
            return format(value, ".3g")
        return str(value)


def chapter_furniture(text, chapters, missing, where):
    """A chapter page with its learner's header and its previous/next links."""
    chapter = page_chapter(text)
    if chapter is None or chapter not in [label for label, _ in chapters]:
        return text
    nav = chapter_nav(chapter, chapters)
    try:
        block = learner_block(text)
    except LookupError as error:
        missing.append(f"{where}: {error}")
        block = None
    header = ""
    if block:
        start, end, fields = block
        header = learner_html(fields)
        text = text[:start] + text[end:]
    else:
        missing.append(f"{where}: a chapter page without its \\learner{{…}} header")
        header = "@ref missing_learner_header_see_the_build_log\n"
    title_end = text.index("\n") + 1
    return text[:title_end] + "\n" + nav + "\n" + header + text[title_end:].rstrip("\n") + "\n\n" + nav


def insert(text, figures, where="page", chapters=()):
    """The page with every \\fig and \\claim replaced, and on a chapter page its
    header and previous/next links; a list of what was missing."""
    chapter = page_chapter(text)
    missing = []
    text = chapter_furniture(text, chapters, missing, where)

    def figure(match):
        try:
            return figures.lookup(match.group(1), chapter)
        except LookupError as error:
            missing.append(f"{where}: {error}")
            return "@ref missing_figure_see_the_build_log"

    def claim(match):
        claim_id, separator, said = match.group(1).partition("::")
        if not separator:
            missing.append(f"{where}: \\claim{{{match.group(1)}}} is not \\claim{{ID::TEXT}}")
            return "@ref malformed_claim_see_the_build_log"
        return said

    def choose(match):
        parts = match.group(1).split("||")
        if len(parts) != 6:
            missing.append(f"{where}: \\choose{{{match.group(1)}}} is not "
                           "\\choose{FILE::KEY||LOW||HIGH||BELOW||WITHIN||ABOVE}")
            return "@ref malformed_choice_see_the_build_log"
        reference, low, high, below, within, above = parts
        try:
            shown = figures.lookup(reference, chapter)
        except LookupError as error:
            missing.append(f"{where}: {error}")
            return "@ref missing_figure_see_the_build_log"
        number = NUMBER.search(shown)
        if number is None:  # a table that could not be measured here: nothing to interpret
            return ""
        value = float(number.group().replace(",", ""))
        if value < float(low):
            return below
        return within if value <= float(high) else above

    text = TABLE.sub(lambda match: f'<div class="table-output">\n\\verbinclude {match.group(1)}\n</div>', text)
    if len(FOLD.findall(text)) != len(END_FOLD.findall(text)):
        missing.append(f"{where}: {len(FOLD.findall(text))} \\fold{{…}} but {len(END_FOLD.findall(text))} \\endfold")
    # [block]: Doxygen ends the paragraph before and starts one after, so that the
    # <details> holds whole paragraphs, tables and listings.
    text = FOLD.sub(lambda match: '\\htmlonly[block]<details class="ptut-fold"><summary>'
                    + html.escape(match.group(1)) + "</summary>\\endhtmlonly", text)
    text = END_FOLD.sub(lambda match: "\\htmlonly[block]</details>\\endhtmlonly", text)
    text = FIGURE.sub(figure, text)  # first: a choice's words may hold figures
    return CLAIM.sub(claim, CHOOSE.sub(choose, text)), missing


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: figures.py GENERATED_FOLDER PAGE.md")
    page = Path(sys.argv[2])
    chapters = chapter_titles(page.resolve().parent.parent) if page.name == "page.md" else ()
    text, missing = insert(page.read_text(encoding="utf-8"), Figures(sys.argv[1]), str(page), chapters)
    for line in missing:
        print(f"figures.py: error: {line}", file=sys.stderr)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
