"""The article's remark about JIT compilers, measured: Numba's @njit(parallel=True)
with prange sums 1..N on several threads, the way chapter 9's OpenMP,
std::execution::par and TBB loops do in C++. It times the compilation apart from
the runs, reports the median of the runs, how many cores were busy (process CPU
time over wall time), and that the time grows with N, so the loop really ran.
Run it yourself:

    python3 chapters/09_parallel_loops/numba_sum.py --n 200000000 --workers 2

Each element costs what the C++ SIMD variant's does: --work rounds of a 64-bit
LCG step on i, then i + (state & zero) with zero == 0 only known at run time.
--figures FILE also writes the figures the page quotes, as JSON.
"""
import argparse
import json
import os
import platform
import statistics
import sys
import time

import numba
import numpy as np
from numba import njit, prange

MULTIPLIER = np.uint64(6364136223846793005)
INCREMENT = np.uint64(1442695040888963407)
# n(n+1)/2 must fit the uint64 accumulator.
LARGEST_N = 6_074_000_999


@njit(parallel=True)
def parallel_sum(n, work, zero):
    # Numba types every value in the loop as uint64 only if each operand already
    # is one: a plain Python int beside a uint64 would turn the sum into float64.
    total = np.uint64(0)
    for k in prange(n):
        i = np.uint64(k + 1)
        state = i
        # LLVM merges 8 of these rounds into one multiply-add by A**8 (its
        # assembly shows the constants), and does not vectorise the loop over k
        # once this inner loop is there: --work 8 costs about what --work 1 does.
        for _ in range(work):
            state = state * MULTIPLIER + INCREMENT
        # `zero` is an argument, so LLVM cannot drop `state` or replace the
        # loop by n(n+1)/2, which it does for a bare `total += i`.
        total += i + (state & zero)
    return total


class OneLineParser(argparse.ArgumentParser):
    """Bad input ends in one line on stderr, not the usage block, then exit 2."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message}\n")


def count(least, most=None):
    """An argparse type: a whole number from `least` to `most`."""

    def parse(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < least or (most is not None and value > most):
            bound = f"from {least:,} to {most:,}" if most is not None else f"≥ {least}"
            raise argparse.ArgumentTypeError(f"{value:,} is out of range ({bound})")
        return value

    return parse


def rounded(value, digits):
    return None if value is None else round(value, digits)


def timed_runs(sizes, work, repeat):
    """For each N in `sizes`, (the wall times of `repeat` calls, their process CPU
    time in all, the sum). The sizes take turns, so that other programs starting
    halfway through slow each of them alike."""
    walls = [[] for _ in sizes]
    cpu = [0.0 for _ in sizes]
    totals = [0 for _ in sizes]
    for _ in range(repeat):
        for k, n in enumerate(sizes):
            cpu_start = time.process_time()
            start = time.perf_counter()
            totals[k] = int(parallel_sum(n, work, np.uint64(0)))
            walls[k].append(time.perf_counter() - start)
            cpu[k] += time.process_time() - cpu_start
    return list(zip(walls, cpu, totals))


def main():
    parser = OneLineParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=count(0, LARGEST_N), default=20, metavar="N",
                        help="sum 1..N (default 20)")
    parser.add_argument("--workers", type=count(1), default=2, metavar="K",
                        help="Numba's threads (default 2)")
    parser.add_argument("--work", type=count(0), default=0, metavar="W",
                        help="LCG rounds per element (default 0)")
    parser.add_argument("--repeat", type=count(1), default=3, metavar="R",
                        help="timed runs after the compiling one (default 3)")
    parser.add_argument("--figures", metavar="FILE",
                        help="write the figures as JSON to this file")
    args = parser.parse_args()

    # Numba starts its pool at NUMBA_NUM_THREADS and can only use fewer.
    if args.workers > numba.config.NUMBA_NUM_THREADS:
        parser.error(
            f"--workers {args.workers} is more than Numba's "
            f"NUMBA_NUM_THREADS = {numba.config.NUMBA_NUM_THREADS}"
        )
    numba.set_num_threads(args.workers)

    python = platform.python_version()
    cores = len(os.sched_getaffinity(0))
    print(
        f"Python {python}, Numba {numba.__version__} ({sys.executable}), "
        f"{cores} usable cores"
    )

    # The first call compiles for these argument types (and starts the threading
    # layer's threads); at N = 1 the run itself costs next to nothing, which the
    # calls after it show.
    start = time.perf_counter()
    parallel_sum(1, args.work, np.uint64(0))
    compile_ms = 1e3 * (time.perf_counter() - start)
    [(empty_walls, _, _)] = timed_runs([1], args.work, args.repeat)
    empty = statistics.median(empty_walls)
    print(
        f"JIT compile: {compile_ms:.0f} ms (the first call, at N = 1; "
        f"the calls after it: {1e3 * empty:.3f} ms)"
    )
    layer = numba.threading_layer()
    print(
        f"threading layer {layer}, {args.workers} workers "
        f"(NUMBA_NUM_THREADS = {numba.config.NUMBA_NUM_THREADS})"
    )

    tenth = args.n // 10
    (walls, cpu, total), (tenth_walls, _, _) = timed_runs(
        [args.n, tenth], args.work, args.repeat
    )
    median = statistics.median(walls)
    cpu_per_wall = cpu / sum(walls)
    ns_per_element = 1e9 * median / args.n if args.n else None
    per_element = f"{ns_per_element:.3f} ns/element" if args.n else "no elements"
    print(f"sum 1..{args.n:,} = {total:,}")
    runs = f"{args.repeat} runs" if args.repeat > 1 else "1 run"
    print(f"  work {args.work}: median of {runs} {1e3 * median:.3f} ms, {per_element}")
    # Near the worker count, every thread computed all along; near 1, one core
    # did the work while the other threads waited or were not scheduled.
    print(f"  CPU time / wall time over those runs: {cpu_per_wall:.2f}")

    # ~10 when every element is computed; ~1 if the loop had been folded into
    # n(n+1)/2, or if starting the threads costs more than the elements.
    tenth_median = statistics.median(tenth_walls)
    linear_ratio = median / tenth_median if tenth_median > 0 else None
    ratio = f"{linear_ratio:.1f}" if linear_ratio is not None else "n/a"
    print(
        f"  N/10 = {tenth:,}: {1e3 * tenth_median:.3f} ms; "
        f"N over N/10: {ratio} (10 if linear)"
    )
    if tenth_median < 2 * empty:
        print("  (at N/10 a call takes about what it takes at N = 1: try a larger N)")

    expected = args.n * (args.n + 1) // 2
    correct = total == expected
    print("correct" if correct else f"WRONG: expected {expected:,}")

    if args.figures:
        figures = {
            "n": args.n,
            "workers": args.workers,
            "work": args.work,
            "repeat": args.repeat,
            "jit_compile_ms": round(compile_ms, 1),
            "empty_call_ms": round(1e3 * empty, 3),
            "median_ms": round(1e3 * median, 3),
            "ns_per_element": rounded(ns_per_element, 4),
            "cpu_per_wall": round(cpu_per_wall, 2),
            "tenth_median_ms": round(1e3 * tenth_median, 3),
            "linear_ratio": rounded(linear_ratio, 2),
            "sum": str(total),
            "correct": correct,
            "python": python,
            "numba": numba.__version__,
            "threading_layer": layer,
        }
        try:
            with open(args.figures, "w", encoding="utf-8") as out:
                json.dump(figures, out, indent=1)
                out.write("\n")
        except OSError as error:
            parser.error(f"--figures: cannot write {args.figures}: {error.strerror}")

    sys.exit(0 if correct else 1)


if __name__ == "__main__":
    main()
