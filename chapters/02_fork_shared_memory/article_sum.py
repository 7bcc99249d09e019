"""The article's program, in Python: two processes add their half of 1..N into one
shared multiprocessing.Value. Our rewrite, for the side-by-side on chapter 2's page.

    python3 article_sum.py [N] [--locked]

With N = 20 it prints 210. With N = 2000000 the unlocked form loses updates.
"""
import sys
from multiprocessing import Process, Value


#! [article]
def sumcalc(sumval, myrange, locked):
    for i in myrange:
        if locked:
            with sumval.get_lock():     # the fix: one process at a time
                sumval.value += i
        else:
            sumval.value += i           # a read, then a write: not one step


def main(n, locked):
    sumval = Value('d', 0.0)            # a double in shared memory, with a lock
    half = n // 2 + 1
    workers = [Process(target=sumcalc, args=(sumval, range(1, half), locked)),
               Process(target=sumcalc, args=(sumval, range(half, n + 1), locked))]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return int(sumval.value)
#! [article]


if __name__ == "__main__":
    n = int(next((a for a in sys.argv[1:] if not a.startswith("--")), "20"))
    print(f"sum = {main(n, '--locked' in sys.argv)}, expected {n * (n + 1) // 2}")
