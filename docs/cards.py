#!/usr/bin/env python3
"""The chapters' README.md cards: what GitHub shows of a chapter folder.

A card is plain Markdown written by hand (what the chapter teaches, its files,
how to build and run it), with two parts this script keeps in step:

    <!-- learner: from page.md -->           the page's \\learner{…} header, as
    …                                        Markdown (the key result stays on the
    <!-- end learner -->                     page: its figures come from the build)

    <!-- output: build/bin/ch02_core -->     what that command prints, run from the
    ```text                                  repository's root with build/bin the
    …                                        build's programs
    ```
    <!-- end output -->

    cards.py --source . --bin build/bin --update   rewrite both parts from the build
    cards.py --source . --bin build/bin            check them (CTest: docs_readme_cards)

The check also fails on any Doxygen command in a card (GitHub would show it as
text), on a picture it shows that is not a committed file in the chapter's folder
(GitHub cannot build one, and shows a missing one as a broken image) and on a file
of the chapter's folder that its card does not name. Program output that changes
from run to run (process IDs, host names, times, which worker took which chunk,
line order) is compared with those masked. Standard library only.
"""
import argparse
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from figures import learner_block  # noqa: E402  the page's header, parsed once for both

LEARNER = re.compile(r"(<!-- learner: from page\.md -->\n)(.*?)(<!-- end learner -->)", re.S)
OUTPUT = re.compile(r"(<!-- output: (.+?) -->\n```text\n)(.*?)(```\n<!-- end output -->)", re.S)
IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")
DOXYGEN = re.compile(r"(?<![\w`])[\\@](ref|snippet|include|verbinclude|fig|claim|choose|learner|dot|msc|image|subpage|page|code)\b")
# What differs between two runs of the same command, masked before comparing.
MASKS = [
    (re.compile(r"\(pid \d+\)"), "(pid #)"),
    (re.compile(r" on \S+ \(pid"), " on HOST (pid"),
    (re.compile(r"\b\d+(\.\d+)? ?(ns|µs|ms|s)\b"), "TIME"),
    (re.compile(r"^worker \d+: "), "worker #: "),  # chapter 5's core: whoever was free
    (re.compile(r"^( *)thread \d+, task "), r"\1thread #, task "),  # chapter 10: which thread took it
    (re.compile(r"(hand-offs of the lock on request:) \d+"), r"\1 #"),
    (re.compile(r"^reader: \d+ so far$"), "reader: # so far"),  # chapter 12: when it read
    (re.compile(r"^(  (compiler|standard library|C\+\+ standard|build|CPU|logical cores|usable cores)) +.*$"),
     r"\1 …"),
]


def markdown_refs(text):
    """\\ref chNN_topic "text" as a link to that chapter's card; other \\refs as their text."""
    def link(match):
        label, shown = match.group(1), match.group(2)
        folder = re.match(r"ch(\d\d_\w+)$", label)
        return f"[{shown}](../{folder.group(1)}/README.md)" if folder else shown
    return re.sub(r'\\ref (\w+) "([^"]*)"', link, text)


def learner_markdown(page):
    _, _, fields = learner_block(page.read_text(encoding="utf-8"))
    lines = [f"**Difficulty:** {fields['difficulty'][0]} · **Time:** {fields['time'][0]}  ",
             f"**Prerequisites:** {markdown_refs(fields['prerequisites'][0])}", "", "You will learn:", ""]
    lines += [f"- {markdown_refs(point)}" for point in fields["learn"]]
    return "\n".join(lines) + "\n"


def run(command, source, bin_dir):
    env = dict(os.environ)
    program = "ch08_core" if "--core" in command else "ch08_mpi"
    env["CH08_PROGRAM"] = str(bin_dir / program)  # chapter 8's run script starts this build's
    done = subprocess.run(["bash", "-c", command.replace("build/bin/", f"{bin_dir}/")], cwd=source, env=env,
                          capture_output=True, text=True, timeout=120)
    if done.returncode != 0 and "| head" not in command:
        raise RuntimeError(f"`{command}` exited {done.returncode}: {done.stderr.strip()}")
    return done.stdout


def masked(text):
    lines = []
    for line in text.splitlines():
        for pattern, replacement in MASKS:
            line = pattern.sub(replacement, line)
        lines.append(line)
    return Counter(lines)


def check_card(card, source, bin_dir, update):
    problems = []
    folder = card.parent
    text = card.read_text(encoding="utf-8")
    prose = re.sub(r"```.*?```|`[^`\n]*`", "", text, flags=re.S)
    for match in DOXYGEN.finditer(prose):
        problems.append(f"{card}: a Doxygen command GitHub would show as text: {match.group(0)}")
    for match in IMAGE.finditer(prose):
        picture = match.group(1)
        if re.match(r"\w+:", picture) or picture.startswith("/") or not (folder / picture).is_file():
            problems.append(f"{card}: shows {picture}, not a file in the chapter's folder (a relative link)")
    expected_learner = learner_markdown(folder / "page.md")
    match = LEARNER.search(text)
    if not match:
        problems.append(f"{card}: no <!-- learner: from page.md --> … <!-- end learner --> part")
    elif match.group(2) != expected_learner:
        if update:
            text = text[:match.start(2)] + expected_learner + text[match.end(2):]
        else:
            problems.append(f"{card}: its learner part differs from page.md's \\learner header "
                            f"(docs/cards.py --update rewrites it)")
    outputs = list(OUTPUT.finditer(text))
    if not outputs:
        problems.append(f"{card}: no <!-- output: COMMAND --> part")
    for match in reversed(outputs):  # from the end, so that offsets stay valid while updating
        command, committed = match.group(2), match.group(3)
        program = re.search(r"build/bin/(\w+)", command)
        needed = program.group(1) if program else ("ch08_core" if "--core" in command else "ch08_mpi")
        if not (bin_dir / needed).exists():  # chapter 8 is left out of a build without MPI
            print(f"{card}: `{command}` not checked: {needed} is not built")
            continue
        try:
            printed = run(command, source, bin_dir)
        except (RuntimeError, subprocess.TimeoutExpired) as error:
            problems.append(f"{card}: {error}")
            continue
        if update:
            text = text[:match.start(3)] + printed + text[match.end(3):]
        elif masked(printed) != masked(committed):
            problems.append(f"{card}: the output of `{command}` is not what the card shows "
                            f"(docs/cards.py --update rewrites it):\n{printed}")
    for path in sorted(folder.iterdir()):
        if path.name == "__pycache__":  # Python's cache of the chapter's scripts, not ours
            continue
        if path.is_file() and path.name != "README.md" and f"`{path.name}`" not in text:
            problems.append(f"{card}: does not say what {path.name} is (name it in `backticks`)")
        if path.is_dir() and f"`{path.name}/`" not in text:
            problems.append(f"{card}: does not say what the folder {path.name}/ holds (name it in `backticks`)")
    if update:
        card.write_text(text, encoding="utf-8")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", type=Path, required=True, help="the repository")
    parser.add_argument("--bin", type=Path, required=True, help="the build's programs (build/bin)")
    parser.add_argument("--update", action="store_true", help="rewrite the generated parts instead of checking")
    args = parser.parse_args()
    problems = []
    cards = sorted((args.source / "chapters").glob("[0-9][0-9]_*/README.md"))
    for card in cards:
        problems += check_card(card, args.source.resolve(), args.bin.resolve(), args.update)
    for line in problems:
        print(line)
    print(f"{len(cards)} cards {'updated' if args.update else 'checked'}, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
