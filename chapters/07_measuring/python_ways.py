"""The sum of 1..N done the usual Python ways, for chapter 7's comparison with C++:
a serial loop, multiprocessing.Pool(2) with each process summing its own range,
and two threads (which take turns under CPython's GIL). Each is timed --repeat
times at each N, interleaved, and the median kept. The site's build runs it on this
machine's CPython; run it yourself the same way:

    python3 chapters/07_measuring/python_ways.py

--figures FILE also writes the figures the page quotes, as JSON.
"""
import argparse
import json
import multiprocessing
import os
import platform
import statistics
import sys
import threading
import time


def sum_range(bounds):
    first, last = bounds
    total = 0
    for i in range(first, last):
        total += i
    return total


def halves(n):
    half = n // 2 + 1
    return [(1, half), (half, n + 1)]


def serial(n, _pool):
    return sum_range((1, n + 1))


def pool_of_two(n, pool):
    return sum(pool.map(sum_range, halves(n)))


def two_threads(n, _pool):
    slots = [0, 0]

    def work(index, bounds):
        slots[index] = sum_range(bounds)

    threads = [threading.Thread(target=work, args=(k, bounds)) for k, bounds in enumerate(halves(n))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(slots)


WAYS = [("serial loop", serial), ("Pool(2)", pool_of_two), ("2 threads", two_threads)]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, nargs="+", default=[2_000_000, 20_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--figures", help="write the figures as JSON to this file")
    args = parser.parse_args()

    python = f"{platform.python_implementation()} {platform.python_version()}"
    cores = len(os.sched_getaffinity(0))
    print(f"{python} ({sys.executable}), {cores} usable cores; median of {args.repeat} runs, "
          f"the ways interleaved; the pool is started before it is timed")
    figures = {"python": python, "cores": str(cores)}
    with multiprocessing.Pool(2) as pool:
        for n in args.n:
            times = {name: [] for name, _ in WAYS}
            for _ in range(args.repeat):
                for name, way in WAYS:
                    start = time.perf_counter()
                    total = way(n, pool)
                    times[name].append(time.perf_counter() - start)
                    assert total == n * (n + 1) // 2, f"{name} at N = {n}: {total}"
            loop = statistics.median(times["serial loop"])
            for name, _ in WAYS:
                median = statistics.median(times[name])
                print(f"  N = {n:>11,}  {name:<12} {median:8.3f} s  (loop ÷ this: {loop / median:.2f}×)")
                figures[f"{n}::{name}"] = f"{median:.3f} s"
                figures[f"{n}::{name}::vs loop"] = f"{loop / median:.2f}×"
            figures[f"{n}::per element"] = f"{loop / n * 1e9:.0f} ns"

    if args.figures:
        with open(args.figures, "w", encoding="utf-8") as out:
            json.dump(figures, out, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
