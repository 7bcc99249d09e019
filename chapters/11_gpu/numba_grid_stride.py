"""Chapter 11's Numba CUDA kernel, and its loop checked exact on the CPU.

The grid-stride loop is one Python function compiled twice: for the GPU by
`cuda.jit(device=True)`, called from the kernel, and for the CPU by `njit`, where
this script checks it against Python's own integers, which never overflow or round.
No GPU and no CUDA toolkit are needed for the check:

    python3 chapters/11_gpu/numba_grid_stride.py [--n N] [--threads T]

Each of T threads adds every T-th element, as in a grid of T threads; the script
checks the first, second and last thread's partial sum. Beside the loop it runs the
same loop written `partial += i + 1`, and shows why that one is not exact: `i`
comes from `range` as an int64, `partial` is a uint64, no integer type holds every
value of both, and Numba types the sum float64, which holds whole numbers exactly
only up to 2**53. A thread's partial sum passes 2**53 when few threads share a
large N (at the default N, with 256 threads).
Exit 0 when the uint64 loop is exact for every thread checked, 1 when not, 2 on
bad input, 77 when Numba is not installed (a test counts that as skipped).
"""
import argparse
import json
import sys

try:
    from numba import cuda, njit, uint64
except ImportError:
    print("numba_grid_stride.py: Numba is not installed for this python3 "
          "(Debian: apt-get install python3-numba)", file=sys.stderr)
    sys.exit(77)

# n(n+1)/2 must fit the uint64 total.
LARGEST_N = 6_074_000_999


# [loop]
def thread_partial(start, n, stride):
    partial = uint64(0)
    for i in range(start, n, stride):
        partial += uint64(i) + uint64(1)  # uint64 + uint64: stays uint64, exact
    return partial
# [loop]


def thread_partial_mixed(start, n, stride):
    partial = uint64(0)
    for i in range(start, n, stride):
        partial += i + 1  # int64 + uint64: Numba makes `partial` a float64
    return partial


# [kernel]
partial_on_device = cuda.jit(device=True)(thread_partial)


@cuda.jit
def grid_stride_sum(n, total):
    # Thread t of T adds t+1, t+1+T, t+1+2T, ...: the grid strides over the range.
    partial = partial_on_device(cuda.grid(1), n, cuda.gridsize(1))
    cuda.atomic.add(total, 0, partial)  # no block tree: one atomic per thread
# [kernel]


def exact_partial(start, n, stride):
    """Thread `start`'s sum in Python's integers: an arithmetic series."""
    count = len(range(start, n, stride))
    if count == 0:
        return 0
    first, last = start + 1, start + 1 + (count - 1) * stride
    return count * (first + last) // 2


class OneLineParser(argparse.ArgumentParser):
    """Bad input ends in one line on stderr, not the usage block, then exit 2."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message}\n")


def count(least, most):
    """An argparse type: a whole number from `least` to `most`."""
    def parse(text):
        if not text.isdigit() or not least <= int(text) <= most:
            raise argparse.ArgumentTypeError(
                f"must be a whole number from {least} to {most}, not '{text}'")
        return int(text)
    return parse


def main():
    parser = OneLineParser(prog="numba_grid_stride.py",
                           description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=count(0, LARGEST_N), default=LARGEST_N,
                        help="the range 1..N (default: the largest whose sum fits "
                             "64 bits)")
    parser.add_argument("--threads", type=count(1, 1 << 20), default=256,
                        help="threads in the grid, the stride (default 256)")
    parser.add_argument("--figures", help=argparse.SUPPRESS)
    args = parser.parse_args()

    exact_loop = njit(thread_partial)
    mixed_loop = njit(thread_partial_mixed)
    threads = sorted({0, min(1, args.threads - 1), args.threads - 1})
    print(f"Chapter 11's grid-stride loop, compiled by Numba for the CPU: "
          f"N = {args.n}, {args.threads} threads")
    all_exact = True
    figures = {"n": args.n, "threads": args.threads, "checked": []}
    for t in threads:
        expected = exact_partial(t, args.n, args.threads)
        exact = int(exact_loop(t, args.n, args.threads))
        mixed = mixed_loop(t, args.n, args.threads)
        off = int(mixed) - expected
        all_exact = all_exact and exact == expected
        print(f"  thread {t}: expected {expected}")
        print(f"    uint64(i) + uint64(1): {exact} "
              f"({'exact' if exact == expected else 'WRONG'})")
        print(f"    i + 1 (typed {type(mixed).__name__}): {mixed!r} "
              f"({'exact' if off == 0 else f'off by {off}'})")
        figures["checked"].append({"thread": t, "expected": str(expected),
                                   "uint64": str(exact), "mixed_off_by": off})
    figures["mixed_type"] = str(mixed_loop.nopython_signatures[0].return_type)
    print(f"Numba typed the loop with i + 1 as returning "
          f"{figures['mixed_type']}: a float64 holds whole numbers exactly up to "
          f"2**53 = {2**53}")
    if args.figures:
        with open(args.figures, "w", encoding="utf-8") as out:
            json.dump(figures, out, indent=1)
    if not all_exact:
        print("numba_grid_stride.py: the uint64 loop was not exact", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
