"""CPython's GIL, measured in the shapes chapter 6's C++ lock imitates: CPU-bound
threads that take turns, threads that overlap while they wait, and the convoy of
an I/O thread beside a CPU-bound one. The site's build runs it for chapter 6's page
on this machine's CPython; run it yourself the same way:

    python3 chapters/06_gil_contrast/gil_python.py

It prints what it measured, with the interpreter's version and the cores it may
use. --figures FILE also writes the figures the page quotes, as JSON.
"""
import argparse
import json
import os
import platform
import socket
import sys
import threading
import time


def countdown(steps):
    while steps > 0:
        steps -= 1


def sum_into(slots, index, first, last):
    total = 0
    for i in range(first, last):
        total += i
    slots[index] = total


def in_threads(targets):
    """Seconds to run every (function, args) in a thread of its own, all at once."""
    threads = [threading.Thread(target=function, args=args) for function, args in targets]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start


def echo_server(connection, delay):
    """Another process, so that answering needs no GIL of ours: echoes each byte
    after `delay` seconds, as a server across a network would (chapter 6's C++
    server waits 0.1 ms too). An answer faster than a thread wakes up would come
    back before the computing thread could take the GIL: no convoy to see."""
    while True:
        data = connection.recv(1)
        if not data:
            os._exit(0)
        time.sleep(delay)
        connection.sendall(data)


def round_trips(connection, count):
    """Mean seconds of `count` one-byte round trips to the echo server."""
    start = time.perf_counter()
    for _ in range(count):
        connection.sendall(b"x")
        connection.recv(1)
    return (time.perf_counter() - start) / count


def beside_a_spinning_thread(connection, count, interval):
    """Mean round trip while another thread of ours computes, at a switch interval."""
    sys.setswitchinterval(interval)
    stop = threading.Event()

    def spin():
        while not stop.is_set():
            pass

    spinner = threading.Thread(target=spin)
    spinner.start()
    try:
        return round_trips(connection, count)
    finally:
        stop.set()
        spinner.join()
        sys.setswitchinterval(0.005)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=20_000_000, help="the countdown's length")
    parser.add_argument("--n", type=int, default=20_000_000, help="the sum's N")
    parser.add_argument("--round-trips", type=int, default=200)
    parser.add_argument("--server-delay-ms", type=float, default=0.1, help="how long the server waits to answer")
    parser.add_argument("--figures", help="write the figures as JSON to this file")
    args = parser.parse_args()

    python = f"{platform.python_implementation()} {platform.python_version()}"
    cores = len(os.sched_getaffinity(0))
    default_interval = sys.getswitchinterval()
    print(f"{python} ({sys.executable}), {cores} usable cores, switch interval {1e3 * default_interval:g} ms")
    figures = {"python": python, "cores": str(cores)}

    one = in_threads([(countdown, (args.steps,))])
    two = in_threads([(countdown, (args.steps // 2,)), (countdown, (args.steps - args.steps // 2,))])
    print(f"  countdown of {args.steps:,} steps: 1 thread {one:.2f} s, split over 2 threads {two:.2f} s "
          f"(1 thread ÷ 2 threads: {one / two:.2f}×)")
    figures.update({"countdown::1 thread": f"{one:.2f} s", "countdown::2 threads": f"{two:.2f} s",
                    "countdown::speedup": f"{one / two:.2f}×", "countdown::steps": f"{args.steps:,}"})

    slots = [0, 0]
    half = args.n // 2 + 1
    serial = in_threads([(sum_into, (slots, 0, 1, args.n + 1))])
    threaded = in_threads([(sum_into, (slots, 0, 1, half)), (sum_into, (slots, 1, half, args.n + 1))])
    assert sum(slots) == args.n * (args.n + 1) // 2
    print(f"  the article's sum to {args.n:,}: 1 thread {serial:.2f} s, 2 threads {threaded:.2f} s "
          f"(1 thread ÷ 2 threads: {serial / threaded:.2f}×)")
    figures.update({"sum::1 thread": f"{serial:.2f} s", "sum::2 threads": f"{threaded:.2f} s",
                    "sum::speedup": f"{serial / threaded:.2f}×", "sum::n": f"{args.n:,}"})

    sleeping = in_threads([(time.sleep, (0.5,))] * 4)
    print(f"  4 threads, each blocked 0.5 s in time.sleep: {sleeping:.2f} s in all")
    figures["sleep::4 threads"] = f"{sleeping:.2f} s"

    ours, theirs = socket.socketpair()
    server = os.fork()
    if server == 0:
        ours.close()
        echo_server(theirs, args.server_delay_ms / 1e3)
    theirs.close()
    try:
        alone = round_trips(ours, args.round_trips)
        convoy = beside_a_spinning_thread(ours, args.round_trips, default_interval)
        short = beside_a_spinning_thread(ours, args.round_trips, default_interval / 10)
    finally:
        ours.close()
        os.waitpid(server, 0)
    print(f"  {args.round_trips} round trips to a server that answers after {args.server_delay_ms:g} ms: "
          f"alone {1e3 * alone:.3f} ms each; "
          f"beside a spinning thread {1e3 * convoy:.2f} ms each, and at a switch interval of "
          f"{1e3 * default_interval / 10:g} ms {1e3 * short:.2f} ms each")
    figures.update({"convoy::alone": f"{1e3 * alone:.3f} ms", "convoy::beside": f"{1e3 * convoy:.2f} ms",
                    "convoy::short interval": f"{1e3 * short:.2f} ms",
                    "convoy::interval": f"{1e3 * default_interval:g} ms",
                    "convoy::short": f"{1e3 * default_interval / 10:g} ms"})

    if args.figures:
        with open(args.figures, "w", encoding="utf-8") as out:
            json.dump(figures, out, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
