#!/usr/bin/env python3
"""The site's checks must be able to fail: each test breaks a small copy of the
site's layout (pages, sources, built HTML, tests) the way a real change could, and
expects the check to say so; the unbroken copy must pass. Also the figure filter
(docs/figures.py): a figure that the build did not make must fail the build.

    python3 tests/docs/test_check_site.py      (CTest runs it: docs_site_checks_can_fail)
"""
import json
import shutil
import sys
import tempfile
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent.parent / "docs"))

import cards  # noqa: E402
import check_site  # noqa: E402
import figures  # noqa: E402

PAGE_ONE = """# Chapter 1: one {#ch01_one}

It runs in \\fig{measured::--n 20::median}, and pauses 2 ms per element.

\\snippet 01_one/one.cpp used

    build/bin/ch01_one --n 2000000      # a command: 12.5 ms here is not prose

Inline `0.5 s` is code, not prose. \\claim{ch01_speed::1.9× faster}

Next: \\ref ch02_two "Chapter 2".
"""
PAGE_TWO = """# Chapter 2: two {#ch02_two}

Previous: \\ref ch01_one "Chapter 1".
"""
SOURCE = """int main() {
  // [used]
  return 0;
  // [used]
}
"""
TEST_SOURCE = """#include "page_claims.hpp"
TEST(One, Speed) { (void)ptut::testing::page_claim("01_one", "ch01_speed"); }
"""
FACTS = {"ch01_one": {"2 ms": "the pause per element, a constant"}}


def html_page(title, body_links, text=""):
    """A built chapter page: its learner's header, and each link at the top and the bottom."""
    links = "".join(f'<a href="{target}">link</a>' for target in body_links)
    return (f'<html><body><h1>{title}</h1><div class="learner"></div>{links}<p>{text}</p>{links}'
            f"</body></html>")


class SiteCopy(unittest.TestCase):
    """A site of two chapters that passes every check, made afresh for each test."""

    def setUp(self):
        check_site.problems.clear()
        self.root = Path(tempfile.mkdtemp(prefix="ptut_check_site_"))
        self.source = self.root / "source"
        self.html = self.root / "html"
        for folder, page in (("01_one", PAGE_ONE), ("02_two", PAGE_TWO)):
            (self.source / "chapters" / folder).mkdir(parents=True)
            (self.source / "chapters" / folder / "page.md").write_text(page, encoding="utf-8")
        (self.source / "chapters" / "01_one" / "one.cpp").write_text(SOURCE, encoding="utf-8")
        (self.source / "common").mkdir()
        (self.source / "tests" / "ch01").mkdir(parents=True)
        (self.source / "tests" / "ch01" / "test_one.cpp").write_text(TEST_SOURCE, encoding="utf-8")
        self.html.mkdir()
        self.write_html("ch01_one.html", html_page("Chapter 1", ["ch02_two.html"], "return 0;"))
        self.write_html("ch02_two.html", html_page("Chapter 2", ["ch01_one.html"]))

    def tearDown(self):
        shutil.rmtree(self.root)

    def write_html(self, name, text):
        (self.html / name).write_text(text, encoding="utf-8")

    def pages(self):
        return sorted((self.source / "chapters").glob("*/page.md"))

    def restore_pages(self):
        for folder, page in (("01_one", PAGE_ONE), ("02_two", PAGE_TWO)):
            (self.source / "chapters" / folder / "page.md").write_text(page, encoding="utf-8")

    def edit(self, folder, old, new):
        page = self.source / "chapters" / folder / "page.md"
        text = page.read_text(encoding="utf-8")
        self.assertIn(old, text)
        page.write_text(text.replace(old, new), encoding="utf-8")

    def run_checks(self, facts=None):
        check_site.problems.clear()
        check_site.parse.__defaults__[0].clear()  # the HTML cache: pages change between checks
        check_site.check_literal_commands(self.html)
        check_site.check_snippet_markers(self.source, self.pages())
        check_site.check_previous_next(self.html, ["ch01_one", "ch02_two"])
        check_site.check_prose_numbers(self.pages(), FACTS if facts is None else facts, self.source / "tests")
        return list(check_site.problems)

    def assert_one_problem(self, saying, facts=None):
        found = self.run_checks(facts)
        self.assertEqual(len(found), 1, found)
        self.assertIn(saying, found[0])


class TheUnbrokenCopy(SiteCopy):
    def test_passes(self):
        self.assertEqual(self.run_checks(), [])


class LiteralCommands(SiteCopy):
    def test_a_ref_split_by_a_line_break_is_caught_on_the_built_page(self):
        self.write_html("ch02_two.html", html_page("Chapter 2", ["ch01_one.html"],
                                                   'Next: \\ref ch03_three "Chapter 3".'))
        self.assert_one_problem('ch02_two.html: a Doxygen command is shown as text, not run: ')
        self.assertIn('\\ref ch03_three "Chapter 3"', check_site.problems[0])

    def test_a_snippet_or_figure_left_as_text_is_caught(self):
        for text in ("\\snippet 01_one/one.cpp used", "\\verbinclude ch01_one_default.txt", "\\fig{measured::x}"):
            with self.subTest(text=text):
                self.write_html("ch02_two.html", html_page("Chapter 2", ["ch01_one.html"], text))
                self.assert_one_problem("a Doxygen command is shown as text")


    def test_a_command_named_in_code_is_not_a_leftover(self):
        self.write_html("ch02_two.html", html_page("Chapter 2", ["ch01_one.html"],
                                                   "Code comes in by <code>\\snippet</code>."))
        self.assertEqual(self.run_checks(), [])


class SnippetMarkers(SiteCopy):
    def test_a_marker_no_page_uses_is_caught(self):
        (self.source / "chapters" / "01_one" / "one.cpp").write_text(
            SOURCE.replace("  return 0;\n", "  return 0;\n  // [forgotten]\n  (void)0;\n  // [forgotten]\n"),
            encoding="utf-8")
        self.assert_one_problem("01_one/one.cpp: the snippet marker [forgotten] is used by no page")

    def test_python_and_shell_markers_count_too(self):
        (self.source / "common" / "tool.py").write_text("#! [tool]\nx = 1\n#! [tool]\n", encoding="utf-8")
        self.assert_one_problem("tool.py: the snippet marker [tool] is used by no page")


class CoreFirst(SiteCopy):
    def add_core(self, page_text):
        (self.source / "chapters" / "01_one" / "core.cpp").write_text("int main() {}\n", encoding="utf-8")
        self.edit("01_one", "\\snippet 01_one/one.cpp used", page_text)
        check_site.problems.clear()
        check_site.check_core_first(self.source, self.pages())
        return list(check_site.problems)

    def test_a_core_shown_first_with_its_output_passes(self):
        self.assertEqual(self.add_core("\\include{lineno} 01_one/core.cpp\n\n\\verbinclude ch01_one_core.txt\n\n"
                                       "\\snippet 01_one/one.cpp used"), [])

    def test_code_before_the_core_is_caught(self):
        found = self.add_core("\\snippet 01_one/one.cpp used\n\n\\include{lineno} 01_one/core.cpp\n\n"
                              "\\verbinclude ch01_one_core.txt")
        self.assertEqual(len(found), 1, found)
        self.assertIn("shows C++ (\\snippet 01_one/one.cpp) before its core listing", found[0])

    def test_a_core_not_shown_or_without_its_output_is_caught(self):
        found = self.add_core("\\snippet 01_one/one.cpp used")
        self.assertEqual(len(found), 1, found)
        self.assertIn("does not show 01_one/core.cpp whole", found[0])
        found = self.add_core("\\include{lineno} 01_one/core.cpp")
        self.assertIn("does not show core.cpp's output", found[0])


class SnippetsShowTheApproach(SiteCopy):
    def shown(self, region):
        (self.source / "chapters" / "01_one" / "loop.cpp").write_text(
            "// [loop]\n" + region + "// [loop]\n", encoding="utf-8")
        self.restore_pages()
        self.edit("01_one", "\\snippet 01_one/one.cpp used", "\\snippet 01_one/one.cpp used\n\n\\snippet 01_one/loop.cpp loop")
        check_site.problems.clear()
        check_site.check_snippets_show_the_approach(self.source, self.pages())
        return list(check_site.problems)

    def test_a_loop_of_the_approach_passes(self):
        self.assertEqual(self.shown("for (ptut::Slice& slice : slices) {\n  add(slice.part);\n}\n"), [])

    def test_a_fault_or_progress_call_in_the_shown_lines_is_caught(self):
        for plumbing in ("if (fault.due(first)) strike(kind);\n",
                         "slot.done.store(n, std::memory_order_relaxed);\n",
                         "progress.update(done);\n",
                         "if (rank == 2) raise(SIGKILL);\n"):
            found = self.shown("for (auto i : chunk) {\n  " + plumbing + "  add(i);\n}\n")
            self.assertEqual(len(found), 1, (plumbing, found))
            self.assertIn("01_one/loop.cpp [loop], shown by", found[0])


class PreviousNext(SiteCopy):
    def test_a_chapter_without_a_link_to_the_next_is_caught(self):
        self.write_html("ch01_one.html", html_page("Chapter 1", [], "return 0;"))
        self.assert_one_problem("ch01_one.html: no link to the next chapter, ch02_two.html")

    def test_a_chapter_without_a_link_to_the_previous_is_caught(self):
        self.write_html("ch02_two.html", html_page("Chapter 2", ["index.html"]))
        self.assert_one_problem("ch02_two.html: no link to the previous chapter, ch01_one.html")

    def test_a_link_at_the_bottom_only_is_caught(self):
        self.write_html("ch02_two.html", '<html><body><div class="learner"></div><p>text</p>'
                                         '<a href="ch01_one.html">previous</a></body></html>')
        self.assert_one_problem("ch02_two.html: no link to the previous chapter, ch01_one.html, at the top")

    def test_a_chapter_without_its_learners_header_is_caught(self):
        self.write_html("ch02_two.html", html_page("Chapter 2", ["ch01_one.html"]).replace('class="learner"', ""))
        self.assert_one_problem("ch02_two.html: no learner's header")


class SectionAnchors(SiteCopy):
    def test_a_section_without_an_anchor_is_caught(self):
        self.edit("02_two", "Previous:", "## A section\n\nText.\n\n## Another {#ch02_another}\n\nPrevious:")
        check_site.problems.clear()
        check_site.check_section_anchors(self.pages())
        self.assertEqual(len(check_site.problems), 1, check_site.problems)
        self.assertIn("a section without its own anchor ({#chNN_name}): ## A section", check_site.problems[0])


class ProseNumbers(SiteCopy):
    def test_a_typed_time_is_caught(self):
        self.edit("02_two", "Previous:", "Each element took about 6.5 ns here.\n\nPrevious:")
        self.assert_one_problem("'6.5 ns' looks measured but is typed")

    def test_typed_ratios_percentages_and_ranges_are_caught(self):
        for typed, token in (("two workers ran 1.86× faster", "1.86×"), ("it lost 17.7% of the total", "17.7%"),
                             ("each run took 1.6–1.8 s", "1.6–1.8 s"), ("3.2 times faster", "3.2 times faster"),
                             ("| serial | 0.127 s |", "0.127 s")):
            with self.subTest(typed=typed):
                self.restore_pages()
                self.edit("02_two", "Previous:", f"{typed}\n\nPrevious:")
                self.assert_one_problem(f"'{token}' looks measured but is typed")

    def test_a_fact_is_allowed_only_on_its_page_and_only_while_the_page_says_it(self):
        self.edit("02_two", "Previous:", "It pauses 2 ms per element.\n\nPrevious:")
        self.assert_one_problem("02_two/page.md:3: '2 ms' looks measured but is typed")
        self.restore_pages()
        self.edit("01_one", "and pauses 2 ms per element", "and pauses per element")
        self.assert_one_problem("page_facts.py allows '2 ms', which the page no longer says")

    def test_a_constant_fact_must_still_be_in_the_code(self):
        (self.source / "common" / "pause.hpp").write_text("constexpr int kPauseMs = 2;\n", encoding="utf-8")
        constant = check_site.page_facts.Constant("the pause, a constant", "common/pause.hpp", "kPauseMs = 2;")
        self.assertEqual(self.run_checks({"ch01_one": {"2 ms": constant}}), [])
        (self.source / "common" / "pause.hpp").write_text("constexpr int kPauseMs = 3;\n", encoding="utf-8")
        self.assert_one_problem("common/pause.hpp no longer holds 'kPauseMs = 2;'",
                                {"ch01_one": {"2 ms": constant}})

    def test_a_claim_that_no_test_reads_is_caught(self):
        (self.source / "tests" / "ch01" / "test_one.cpp").write_text("// no claims read here\n", encoding="utf-8")
        self.assert_one_problem("\\claim{ch01_speed::…}: no test reads it")

    def test_inserted_figures_claims_and_code_are_not_prose(self):
        self.assertEqual([line for _, line in check_site.prose_lines(PAGE_ONE) if "12.5 ms" in line or "0.5 s" in line],
                         [])


class RatiosChosen(SiteCopy):
    """A paragraph quoting a ratio of a table the reader's build measures must let
    that table choose its words (tests/docs/check_site.py, check_ratios_chosen)."""

    def check(self, paragraph):
        generated = self.root / "generated"
        generated.mkdir(exist_ok=True)
        (generated / "ch02_two_measured.json").write_text('{"runs": "3 runs", "ratio::a / b": "1.9×"}',
                                                         encoding="utf-8")
        (generated / "ch02_two_measured_reference.json").write_text('{"runs": "3 runs"}', encoding="utf-8")
        self.restore_pages()
        self.edit("02_two", "Previous:", f"{paragraph}\n\nPrevious:")
        check_site.problems.clear()
        check_site.check_ratios_chosen(self.pages(), generated)
        return list(check_site.problems)

    def test_a_live_ratio_interpreted_without_a_choice_is_caught(self):
        found = self.check("Two workers were \\fig{measured::ratio::a / b} as fast:\nthe work parallelises.")
        self.assertEqual(len(found), 1, found)
        self.assertIn("02_two/page.md:3: a paragraph quotes a ratio of measured", found[0])

    def test_a_choice_by_the_same_table_or_a_reference_ratio_passes(self):
        self.assertEqual(self.check("Two workers were \\fig{measured::ratio::a / b} as fast\n"
                                    "\\choose{measured::ratio::a / b||1.5||2||: slow.||: it parallelises.||: odd.}"), [])
        self.assertEqual(self.check("On the reference: \\fig{measured_reference::ratio::a / b}."), [])

    def test_a_choice_by_another_table_does_not_count(self):
        found = self.check("Two workers were \\fig{measured::ratio::a / b} as fast\n"
                           "\\choose{other::ratio::c||1||2||x||y||z}.")
        self.assertEqual(len(found), 1, found)


class ReadingTime(SiteCopy):
    def reading(self, body):
        self.edit("02_two", "Previous:", "\\learner{\ntime: 1 minutes to read\n}\n\n" + body + "\n\nPrevious:")
        check_site.problems.clear()
        check_site.check_reading_time(self.pages())
        return list(check_site.problems)

    def test_a_page_longer_than_its_stated_time_is_caught(self):
        found = self.reading("word " * 300)
        self.assertEqual(len(found), 1, found)
        self.assertIn("says 1 minutes to read", found[0])

    def test_folded_parts_and_listings_do_not_count(self):
        self.assertEqual(self.reading("\\fold{more}\n" + "word " * 300 + "\n\\endfold\n\n"
                                      "<details><summary>Answer</summary>" + "word " * 300 + "</details>\n\n"
                                      + "    listing line\n" * 300), [])


class SourcesLinked(SiteCopy):
    def linked(self, text):
        self.write_html("ch01_one.html", html_page("Chapter 1", ["ch02_two.html"], text))
        check_site.problems.clear()
        check_site.check_sources_linked(self.html, ["ch01_one", "ch02_two"])
        return list(check_site.problems)

    def test_a_first_use_linked_to_its_source_passes(self):
        self.assertEqual(self.linked('<a class="ptut-source" href="https://en.cppreference.com/w/cpp/thread/jthread">'
                                     "<code>std::jthread</code></a> and then <code>std::jthread</code> again"), [])

    def test_a_first_use_not_linked_is_caught(self):
        found = self.linked("<code>std::jthread</code>, unlinked")
        self.assertEqual(len(found), 1, found)
        self.assertIn("the first use of std::jthread links nowhere", found[0])

    def test_code_in_a_listing_is_not_a_use(self):
        self.assertEqual(self.linked('</p><div class="fragment"><code>std::jthread</code></div><p>'), [])

    def test_a_link_to_an_unknown_host_or_without_https_is_caught(self):
        for address in ("http://en.cppreference.com/w/cpp/thread/jthread", "https://example.com/x"):
            found = self.linked(f'<a href="{address}">somewhere</a>')
            self.assertEqual(len(found), 1, found)
            self.assertIn("not https to a host", found[0])

    def test_a_link_that_opens_another_tab_is_caught(self):
        found = self.linked('<a href="https://peps.python.org/pep-0703/" target="_blank">PEP 703</a>')
        self.assertEqual(len(found), 1, found)
        self.assertIn("opens another tab", found[0])


class CeilingShares(unittest.TestCase):
    """A share of the ceiling above 1 passes only with a band that reaches 1."""

    def check(self, figures):
        with tempfile.TemporaryDirectory() as folder:
            (Path(folder) / "ch10_tasks_work16.json").write_text(json.dumps(figures), encoding="utf-8")
            check_site.problems.clear()
            check_site.check_ceiling_shares(folder)
            return list(check_site.problems)

    def test_a_share_below_1_or_above_within_its_band_passes(self):
        key = "ratio::two copies side by side / pool (share of the ceiling)"
        self.assertEqual(self.check({key: "0.97×", f"{key}::band": "0.95–0.99× over 3 rounds"}), [])
        self.assertEqual(self.check({key: "1.01×", f"{key}::band": "0.98–1.03× over 3 rounds"}), [])

    def test_a_share_above_1_beyond_its_band_or_without_one_is_caught(self):
        key = "ratio::two copies side by side / pool (share of the ceiling)"
        self.assertEqual(len(self.check({key: "1.31×", f"{key}::band": "1.20–1.40× over 3 rounds"})), 1)
        self.assertEqual(len(self.check({key: "1.31×"})), 1)  # a kept reference: its one value

    def test_a_share_within_what_two_binaries_differ_by_passes(self):
        key = "ratio::two copies side by side / chapter 3's partials (share of the ceiling)"
        self.assertEqual(self.check({key: "1.02×"}), [])
        self.assertEqual(self.check({key: "1.02×", f"{key}::band": "1.01–1.03× over 5 rounds"}), [])


class Folds(unittest.TestCase):
    """docs/figures.py's \\fold: whole blocks in a <details>, and an unclosed one fails."""

    def test_a_fold_becomes_a_details_block(self):
        text, missing = figures.insert("# Page {#p}\n\n\\fold{More, if you like}\n\nText.\n\n\\endfold\n", None)
        self.assertEqual(missing, [])
        self.assertIn('\\htmlonly[block]<details class="ptut-fold"><summary>More, if you like</summary>\\endhtmlonly',
                      text)
        self.assertIn("\\htmlonly[block]</details>\\endhtmlonly", text)

    def test_an_unclosed_fold_fails(self):
        _, missing = figures.insert("# Page {#p}\n\n\\fold{More}\n\nText.\n", None)
        self.assertEqual(len(missing), 1, missing)
        self.assertIn("\\endfold", missing[0])


class Cards(unittest.TestCase):
    """docs/cards.py on a chapter folder with a card, a page and a fake program."""

    def setUp(self):
        self.root = Path(tempfile.mkdtemp(prefix="ptut_cards_"))
        self.folder = self.root / "chapters" / "01_one"
        self.folder.mkdir(parents=True)
        (self.folder / "page.md").write_text(
            "# Chapter 1: one {#ch01_one}\n\n\\learner{\ndifficulty: Easy\ntime: short\nprerequisites: none\n"
            "learn: a\nlearn: b\nlearn: c\nresult: \\fig{measured::x}\n}\n", encoding="utf-8")
        self.bin = self.root / "bin"
        self.bin.mkdir()
        program = self.bin / "ch01_one"
        program.write_text("#!/bin/sh\necho \"worker 1 (pid $$): 1..20, partial sum 210\"\n", encoding="utf-8")
        program.chmod(0o755)
        self.card = self.folder / "README.md"
        self.card.write_text("# Chapter 1\n\n<!-- learner: from page.md -->\n<!-- end learner -->\n\n"
                             "`page.md`, `README.md`\n\n<!-- output: build/bin/ch01_one -->\n```text\n```\n"
                             "<!-- end output -->\n", encoding="utf-8")
        self.assertEqual(cards.check_card(self.card, self.root, self.bin, update=True), [])

    def tearDown(self):
        shutil.rmtree(self.root)

    def check(self):
        return cards.check_card(self.card, self.root, self.bin, update=False)

    def test_an_updated_card_passes_though_process_ids_differ(self):
        self.assertIn("worker 1 (pid", self.card.read_text(encoding="utf-8"))
        self.assertEqual(self.check(), [])

    def test_a_doxygen_command_in_a_card_is_caught(self):
        self.card.write_text(self.card.read_text(encoding="utf-8") + "\nSee \\ref ch02_two.\n", encoding="utf-8")
        self.assertIn("a Doxygen command GitHub would show as text: \\ref", " ".join(self.check()))

    def test_output_the_program_no_longer_prints_is_caught(self):
        self.card.write_text(self.card.read_text(encoding="utf-8").replace("partial sum 210", "partial sum 211"),
                             encoding="utf-8")
        self.assertIn("the output of `build/bin/ch01_one` is not what the card shows", " ".join(self.check()))

    def test_a_learner_part_that_differs_from_the_page_is_caught(self):
        self.card.write_text(self.card.read_text(encoding="utf-8").replace("- a\n", "- z\n"), encoding="utf-8")
        self.assertIn("its learner part differs from page.md", " ".join(self.check()))

    def test_a_file_the_card_does_not_name_is_caught(self):
        (self.folder / "extra.cpp").write_text("int x;\n", encoding="utf-8")
        self.assertIn("does not say what extra.cpp is", " ".join(self.check()))


class FigureFilter(unittest.TestCase):
    def setUp(self):
        self.folder = Path(tempfile.mkdtemp(prefix="ptut_figures_"))
        (self.folder / "ch01_one_measured.json").write_text(json.dumps({"--n 20::median": "1.23 ms"}), encoding="utf-8")

    def tearDown(self):
        shutil.rmtree(self.folder)

    def test_a_figure_is_inserted_with_the_page_s_chapter_prefix(self):
        text, missing = figures.insert(PAGE_ONE, figures.Figures(self.folder))
        self.assertEqual(missing, [])
        self.assertIn("It runs in 1.23 ms, and", text)
        self.assertIn("1.9× faster", text)
        self.assertNotIn("\\claim", text)

    def test_a_figure_the_build_did_not_make_fails_the_build(self):
        for reference, says in (("measured::--n 21::median", "has no figure '--n 21::median'"),
                                ("ch09_nothing::x", "no figure file"), ("no separator", "is not \\fig{FILE::KEY}")):
            with self.subTest(reference=reference):
                text, missing = figures.insert(f"# T {{#ch01_one}}\n\\fig{{{reference}}}\n", figures.Figures(self.folder))
                self.assertEqual(len(missing), 1)
                self.assertIn(says, missing[0])
                self.assertIn("@ref missing_figure", text)  # an unresolved reference: Doxygen fails the build

    def test_a_chapter_page_gets_its_header_and_links_at_the_top_and_the_bottom(self):
        chapters = [("ch01_one", "Chapter 1: one"), ("ch02_two", "Chapter 2: two")]
        page = ("# Chapter 1: one {#ch01_one}\n\n\\learner{\ndifficulty: Easy\ntime: short\nprerequisites: none\n"
                "learn: a\nlearn: b\nlearn: c\nresult: it ran in \\fig{measured::--n 20::median}.\n}\n\nText.\n")
        text, missing = figures.insert(page, figures.Figures(self.folder), "page.md", chapters)
        self.assertEqual(missing, [])
        self.assertIn('<th>Key result</th><td>it ran in 1.23 ms.</td>', text)
        self.assertEqual(text.count('\\ref ch02_two "Chapter 2: two" →'), 2)
        self.assertLess(text.index("chapter-nav"), text.index("Text."))
        self.assertNotIn("\\learner", text)

    def test_a_chapter_page_without_its_header_fails_the_build(self):
        text, missing = figures.insert("# Chapter 1: one {#ch01_one}\n\nText.\n", figures.Figures(self.folder),
                                       "page.md", [("ch01_one", "Chapter 1: one")])
        self.assertIn("without its \\learner", missing[0])
        self.assertIn("@ref missing_learner_header", text)

    def test_a_table_that_could_not_be_measured_says_so(self):
        (self.folder / "ch08_x_across.json").write_text(json.dumps({"skipped": "needs root"}), encoding="utf-8")
        text, missing = figures.insert("\\fig{ch08_x_across::anything}", figures.Figures(self.folder))
        self.assertEqual((text, missing), ("(not measured where this site was built)", []))

    def test_a_choice_follows_this_build_s_number_and_a_contradiction_is_said(self):
        page = ("# T {#ch01_one}\nThe pool reached \\fig{skew::ratio::a / b}: "
                "\\choose{skew::ratio::a / b||0.9||1.1||short of the ceiling||"
                "close to the ceiling||more than the ceiling, which cannot be: "
                "the header above says whether other work disturbed the runs}.\n")
        for shown, says in (("0.5×", "short of the ceiling"), ("1.02×", "close to the ceiling"),
                            ("1.31×", "more than the ceiling, which cannot be: the header above says")):
            with self.subTest(shown=shown):
                (self.folder / "ch01_one_skew.json").write_text(
                    json.dumps({"ratio::a / b": shown}), encoding="utf-8")
                text, missing = figures.insert(page, figures.Figures(self.folder))
                self.assertEqual(missing, [])
                self.assertIn(f"The pool reached {shown}: {says}", text)
                self.assertNotIn("\\choose", text)

    def test_a_choice_without_its_six_parts_or_its_figure_fails_the_build(self):
        for choice, says in (("measured::--n 20::median||1||2||a||b", "is not \\choose"),
                             ("measured::nothing||1||2||a||b||c", "has no figure")):
            with self.subTest(choice=choice):
                text, missing = figures.insert(f"# T {{#ch01_one}}\n\\choose{{{choice}}}\n",
                                               figures.Figures(self.folder))
                self.assertEqual(len(missing), 1)
                self.assertIn(says, missing[0])
                self.assertIn("@ref m", text)

    def test_a_table_keeps_its_columns_and_other_output_does_not(self):
        text, missing = figures.insert("A:\n\n\\verbinclude{table} ch01_one_measured.txt\n\n"
                                       "\\verbinclude ch01_one_default.txt\n", figures.Figures(self.folder))
        self.assertEqual(missing, [])
        self.assertIn('<div class="table-output">\n\\verbinclude ch01_one_measured.txt\n</div>', text)
        self.assertEqual(text.count("table-output"), 1)
        self.assertNotIn("{table}", text)


if __name__ == "__main__":
    unittest.main()
