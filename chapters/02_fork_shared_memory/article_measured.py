"""The article's program measured: its unlocked form three times and its locked
form once, at N = 2,000,000 on this machine's CPython. The site's build runs it for
chapter 2's page (and chapter 7's Python table); run it yourself the same way:

    python3 chapters/02_fork_shared_memory/article_measured.py [--n N]

It prints what it measured, with the interpreter's version and the cores it may
use. --figures FILE also writes the figures the pages quote, as JSON.
"""
import argparse
import json
import os
import platform
import sys
import time

from article_sum import main as article_sum  # the program chapter 2's page shows


def timed(n, locked):
    start = time.perf_counter()
    total = article_sum(n, locked)
    return total, time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=2_000_000)
    parser.add_argument("--runs", type=int, default=3, help="runs of the unlocked form")
    parser.add_argument("--figures", help="write the figures as JSON to this file")
    args = parser.parse_args()

    expected = args.n * (args.n + 1) // 2
    python = f"{platform.python_implementation()} {platform.python_version()}"
    cores = len(os.sched_getaffinity(0))
    print(f"{python} ({sys.executable}), {cores} usable cores; N = {args.n:,}, expected {expected:,}")

    losses, seconds = [], []
    for _ in range(args.runs):
        total, took = timed(args.n, locked=False)
        losses.append((expected - total) / expected if expected else 0.0)
        seconds.append(took)
        print(f"  sumval.value += i                    {total:>20,}  lost {100 * losses[-1]:5.1f}%  {took:.2f} s")
    total, locked_seconds = timed(args.n, locked=True)
    verdict = "exact" if total == expected else f"lost {100 * (expected - total) / expected:.1f}%"
    print(f"  with sumval.get_lock(): += i         {total:>20,}  {verdict:<11} {locked_seconds:.2f} s")

    if args.figures:
        figures = {
            "python": python,
            "cores": str(cores),
            "n": f"{args.n:,}",
            "unlocked::lost": f"{100 * min(losses):.0f}–{100 * max(losses):.0f}%",
            "unlocked::seconds": f"{min(seconds):.2f}–{max(seconds):.2f} s",
            "locked::result": verdict,
            "locked::seconds": f"{locked_seconds:.2f} s",
        }
        with open(args.figures, "w", encoding="utf-8") as out:
            json.dump(figures, out, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
