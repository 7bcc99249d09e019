"""What the article's readers write next in Python, measured: the sum of 1..N cut
into chunks, each a task, run by multiprocessing.Pool.map and by
concurrent.futures.ProcessPoolExecutor, K worker processes each. Chapter 10 does
the same with C++ thread pools; this script gives the page Python's figures from
the same machine. Run it yourself:

    python3 chapters/10_tasks/pool_sum.py --n 20000000 --workers 2

It times, after the pools have started (their start is timed apart):
  - the sum, with the chunks of chapter 10's default (about 8 tasks per worker);
  - the cost of one task: --tiny tasks of one element each, handed out one at a
    time (chunksize=1), so that every task is a message to a worker process and
    a message back: Python pickles every argument and every result.
--figures FILE also writes the figures the page quotes, as JSON.
"""
import argparse
import concurrent.futures
import json
import multiprocessing
import os
import platform
import statistics
import sys
import time

LARGEST_N = 6_074_000_999  # n(n+1)/2 fits in 64 bits, as in the C++ chapters


def sum_chunk(chunk):
    """A task: the sum of one chunk, element by element, as the article's sumcalc."""
    first, last = chunk
    total = 0
    for i in range(first, last):
        total += i
    return total


def chunks_of(n, size):
    """1..n as (first, last) pairs of `size` elements, the last one shorter."""
    pairs = [(first, min(first + size, n + 1)) for first in range(1, n + 1, size)]
    return pairs or [(1, 1)]


def median_seconds(run, repeat):
    """The median wall time of `repeat` calls of run(), and what the last returned."""
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def parse_arguments():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    # Bad input ends in one line on stderr, not the usage block, and exit 2.
    parser.error = lambda message: parser.exit(2, f"{parser.prog}: error: {message}\n")
    options = (  # name, default, metavar, (least, most), help
        ("n", 20_000_000, "N", (0, LARGEST_N), "sum 1..N"),
        ("workers", 2, "K", (1, 256), "worker processes"),
        ("tiny", 20_000, "T", (1, 1_000_000), "one-element tasks, for the cost of one"),
        ("repeat", 3, "R", (1, 1000), "timed runs of each"),
    )
    for name, default, metavar, _, text in options:
        parser.add_argument(f"--{name}", type=int, default=default, metavar=metavar,
                            help=f"{text} (default {default:,})")
    parser.add_argument("--figures", metavar="FILE",
                        help="write the figures as JSON to this file")
    args = parser.parse_args()
    for name, _, _, (least, most), _ in options:
        value = getattr(args, name)
        if not least <= value <= most:
            parser.error(f"--{name}: {value:,} is out of range "
                         f"(from {least:,} to {most:,})")
    return parser, args


def main():
    parser, args = parse_arguments()
    print(f"Python {platform.python_version()} ({sys.executable}), "
          f"{len(os.sched_getaffinity(0))} usable cores, "
          f"{args.workers} worker processes")
    # About 8 tasks per worker, as chapter 10's --chunk default.
    size = max(1, -(-args.n // (8 * args.workers)))
    chunks = chunks_of(args.n, size)
    tiny = chunks_of(args.tiny, 1)
    expected = args.n * (args.n + 1) // 2
    figures = {"n": args.n, "workers": args.workers, "tasks": len(chunks),
               "tiny_tasks": args.tiny, "repeat": args.repeat,
               "python": platform.python_version()}
    correct = True

    # fork: the workers start as copies of this process (Linux's default before
    # Python 3.14), and the timing below leaves their start out.
    context = multiprocessing.get_context("fork")
    ways = (
        ("Pool.map", "pool",
         lambda: context.Pool(args.workers),
         lambda pool, tasks: pool.map(sum_chunk, tasks, chunksize=1)),
        ("ProcessPoolExecutor.map", "executor",
         lambda: concurrent.futures.ProcessPoolExecutor(args.workers,
                                                        mp_context=context),
         lambda pool, tasks: list(pool.map(sum_chunk, tasks))),
    )
    for title, key, start_pool, map_tasks in ways:
        start = time.perf_counter()
        pool = start_pool()
        map_tasks(pool, [(1, 1)] * args.workers)  # every worker up and answering
        started_ms = 1e3 * (time.perf_counter() - start)
        try:
            seconds, sums = median_seconds(lambda: map_tasks(pool, chunks),
                                           args.repeat)
            total = sum(sums)
            tiny_seconds, tiny_sums = median_seconds(lambda: map_tasks(pool, tiny),
                                                     args.repeat)
        finally:
            if key == "pool":
                pool.close()
                pool.join()
            else:
                pool.shutdown()
        ok = total == expected and sum(tiny_sums) == args.tiny * (args.tiny + 1) // 2
        correct = correct and ok
        per_task_us = 1e6 * tiny_seconds / args.tiny
        print(f"{title}: {len(chunks):,} tasks of up to {size:,} elements, "
              f"median {1e3 * seconds:.1f} ms; sum {total:,} "
              f"({'correct' if ok else 'WRONG'})")
        print(f"  {args.tiny:,} one-element tasks: {per_task_us:.1f} µs per task; "
              f"the pool started in {started_ms:.0f} ms")
        figures[f"{key}_ms"] = round(1e3 * seconds, 2)
        figures[f"{key}_us_per_task"] = round(per_task_us, 2)
        # as the page's tables print a count
        figures[f"{key}_ns_per_task"] = f"{round(1e3 * per_task_us):,}"
        figures[f"{key}_start_ms"] = round(started_ms, 1)
    figures["correct"] = correct

    if args.figures:
        try:
            with open(args.figures, "w", encoding="utf-8") as out:
                json.dump(figures, out, indent=1)
                out.write("\n")
        except OSError as error:
            parser.error(f"--figures: cannot write {args.figures}: {error.strerror}")
    sys.exit(0 if correct else 1)


if __name__ == "__main__":
    main()
