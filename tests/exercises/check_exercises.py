#!/usr/bin/env python3
"""Checks that the exercises, the grader's list and the pages agree:

- every file scripts/exercises.json names exists, and every program under a
  chapter's exercises/ folder is in the list (a program nobody checks would rot);
- docs/exercises.md shows exactly what `scripts/check-exercise --list --markdown`
  prints (with --update, rewrites it);
- every chapter page shows its exercises' solutions folded (an \\include of the file
  inside <details>), names its hunts' and speed targets' starters, and ends with
  at least three quick questions, each with a folded answer.

Standard library only. Exit 0 when all holds.
"""
import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

BLOCK = re.compile(r"(<!-- exercises: scripts/check-exercise --list --markdown -->\n)(.*?)(<!-- end exercises -->)",
                   re.S)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", type=Path, required=True, help="the repository")
    parser.add_argument("--update", action="store_true", help="rewrite docs/exercises.md's table")
    args = parser.parse_args()
    root = args.source.resolve()
    problems = []
    registry = json.loads((root / "scripts" / "exercises.json").read_text(encoding="utf-8"))["exercises"]

    named = set()
    for e in registry:
        for role in ("starter", "solution"):
            if role in e:
                path = root / "chapters" / e["chapter"] / e[role]
                named.add(path)
                if not path.is_file():
                    problems.append(f"scripts/exercises.json: {e['name']}'s {role} {path} does not exist")
    for program in sorted(root.glob("chapters/*/exercises/*.cpp")):
        if program not in named:
            problems.append(f"{program.relative_to(root)}: not in scripts/exercises.json")

    listed = subprocess.run([sys.executable, str(root / "scripts" / "check-exercise"), "--list", "--markdown"],
                            capture_output=True, text=True, check=True).stdout
    page = root / "docs" / "exercises.md"
    text = page.read_text(encoding="utf-8")
    block = BLOCK.search(text)
    if not block:
        problems.append(f"{page}: no '<!-- exercises: … -->' block")
    elif block.group(2) != listed:
        if args.update:
            page.write_text(text[:block.start(2)] + listed + text[block.end(2):], encoding="utf-8")
            print(f"{page}: table updated")
        else:
            problems.append(f"{page}: the table differs from scripts/check-exercise --list --markdown "
                            f"(tests/exercises/check_exercises.py --update rewrites it)")

    for chapter_page in sorted(root.glob("chapters/[0-9][0-9]_*/page.md")):
        folder = chapter_page.parent.name
        body = chapter_page.read_text(encoding="utf-8")
        folded = [m.group(1) for m in re.finditer(r"<details>(.*?)</details>", body, re.S)]
        for e in (e for e in registry if e["chapter"] == folder):
            solution = f"\\include{{lineno}} {folder}/{e['solution']}"
            if not any(solution in part for part in folded):
                problems.append(f"{chapter_page}: {e['name']}'s solution is not shown folded ({solution})")
            if "starter" in e and Path(e["starter"]).name not in body:
                problems.append(f"{chapter_page}: {e['name']}'s starter {e['starter']} is not named")
        quiz = re.search(r"^## Quick questions \{#ch\d\d_quiz\}\n(.*?)(?=^## )", body, re.S | re.M)
        if not quiz:
            problems.append(f"{chapter_page}: no '## Quick questions {{#chNN_quiz}}' section before the next one")
            continue
        questions = re.findall(r"^\d+\. .*?<details><summary>Answer</summary>.+?</details>", quiz.group(1),
                               re.S | re.M)
        if len(questions) < 3:
            problems.append(f"{chapter_page}: {len(questions)} quick questions with a folded answer, not 3")

    for line in problems:
        print(line)
    print(f"{len(registry)} exercises, {len(list(root.glob('chapters/[0-9][0-9]_*/page.md')))} pages checked, "
          f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
