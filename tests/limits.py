#!/usr/bin/env python3
"""Runs the worker chapters and their cores when the machine says no: as a user
whose process limit (RLIMIT_NPROC, which counts threads too) or file-descriptor
limit (RLIMIT_NOFILE) is far below what --workers 64 asks for, as a container's
pids.max or a shared server's `ulimit -u` would be.

The promise checked for each run: it ends within five seconds, either exact (exit
0, the sum correct: a library that makes do with fewer threads, as oneTBB does)
or with exit 1 and one line on stderr; it leaves nothing in /dev/shm and no
process behind.

Root ignores RLIMIT_NPROC, so as root the runs under a process limit are made as
the user nobody (uid 65534), who runs nothing else here; as another user they are
skipped, with the reason. Standard library only. Exit 0 when every run keeps the
promise, 77 when nothing could be run.

  tests/limits.py --bin build/bin
"""
import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

NOBODY = 65534
WORKERS = "64"
N = "2000000"
SECONDS = 5.0
# What a run is allowed when it asks for 64 workers: a few threads or processes,
# and the three standard descriptors with a handful more.
PROCESS_LIMIT = 12
DESCRIPTOR_LIMIT = 12

# (program, arguments): every program whose workers are threads or processes.
CHAPTERS = [
    ("ch02_fork_shared_memory", ["--variant", "atomic"]),
    ("ch03_threads_atomics", ["--variant", "partials"]),
    ("ch04_pipes", []),
    ("ch05_message_queues", []),
    ("ch06_gil_contrast", []),
    ("ch09_parallel_loops", ["--variant", "omp_for"]),
    ("ch09_parallel_loops", ["--variant", "std_par"]),
    ("ch09_parallel_loops", ["--variant", "tbb"]),
    ("ch10_tasks", ["--variant", "pool"]),
    ("ch10_tasks", ["--variant", "packaged"]),
    ("ch10_tasks", ["--variant", "async"]),
    ("ch10_tasks", ["--variant", "static"]),
    ("ch10_tasks", ["--variant", "stealing"]),
    ("ch12_atomics", ["--variant", "statistical"]),
    ("ch12_atomics", ["--variant", "ttas"]),
    ("ch12_atomics", ["--variant", "barrier"]),
    ("ch12_atomics", ["--variant", "semaphore"]),
]
CORES = ["ch02_core", "ch03_core", "ch04_core", "ch05_core", "ch06_core", "ch09_core",
         "ch10_core", "ch12_core"]
# The exercises' solutions that start threads or processes, which take `N K` as the
# cores do: the hunts' fixed programs and the speed exercises' fast ones, not the
# broken or slow programs the reader starts from. (Chapter 12's ticket lock, the
# variant and the exercise's solution, refuses more threads than cores up front.)
SOLUTIONS = ["ch02_ex6_raw_mmap", "ch02_ex7_atomic_ref", "ch03_ex5_exception_ptr",
             "ch03_ex6_progress", "ch03_hunt_1_total_fixed", "ch03_hunt_2_done_flag_fixed",
             "ch03_hunt_3_publish_fixed", "ch03_hunt_5_early_return_fixed",
             "ch03_speed_1_false_sharing_fast", "ch04_ex5_text", "ch04_ex6_one_pipe",
             "ch04_speed_3_batching_fast", "ch05_ex3_survive", "ch05_ex6_posix_mq",
             "ch05_speed_2_chunks_fast", "ch06_ex6_release_for_io", "ch06_ex7_own_gil",
             "ch06_hunt_4_wakeup_fixed", "ch09_ex1_counting_iterator", "ch09_ex2_atomic_once",
             "ch10_ex1_async_window", "ch12_hunt_6_relaxed_unlock_fixed",
             "ch12_hunt_7_relaxed_count_fixed"]
# Programs whose stderr carries progress lines while they run: those lines are
# their output, not an error, and are left out when the error lines are counted.
PROGRESS_ON_STDERR = {"ch03_hunt_2_done_flag_fixed": "so far: "}


def runs(bin_dir):
    for program, args in CHAPTERS:
        path = bin_dir / program
        if path.exists():
            yield [str(path), *args, "--n", N, "--workers", WORKERS, "--json"]
    for core in CORES + SOLUTIONS:
        path = bin_dir / core
        if path.exists():
            yield [str(path), N, WORKERS]


def uses_onetbb(command):
    """Whether the run's work is done by oneTBB's threads."""
    program = Path(command[0]).name
    variant = command[command.index("--variant") + 1] if "--variant" in command else ""
    return (program == "ch09_ex1_counting_iterator" or
            (program == "ch09_parallel_loops" and variant in ("std_par", "tbb")) or
            (program == "ch10_tasks" and variant == "stealing"))


def exact_sum(command, out):
    """Whether a run's stdout shows the right sum: a chapter's --json says
    "correct", a core's last line is "sum = S (expected S)"."""
    if "--json" in command:
        try:
            return json.loads(out).get("correct") is True
        except ValueError:
            return False
    last = (out.strip().splitlines() or [""])[-1]
    return last.startswith("sum = ") and "wrong" not in last


def shm(uid):
    """The names in /dev/shm owned by `uid`: other tests running beside this one
    (ctest -j) make and remove objects there too, as another user when this runs
    its programs as nobody."""
    found = set()
    for name in os.listdir("/dev/shm"):
        try:
            if os.stat(f"/dev/shm/{name}").st_uid == uid:
                found.add(name)
        except FileNotFoundError:
            pass
    return found


def processes_of(uid):
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if os.stat(f"/proc/{entry}").st_uid == uid:
                found.append(int(entry))
        except FileNotFoundError:
            pass
    return found


def limited(kind, value):
    def apply():
        os.setpgid(0, 0)  # its own group: whatever it starts can be stopped with it
        resource.setrlimit(kind, (value, value))
    return apply


def check(command, kind, value, as_user):
    """Runs `command` under the limit; returns what broke the promise ([] if nothing)."""
    name = " ".join(Path(command[0]).name if i == 0 else a for i, a in enumerate(command))
    label = f"{name} ({'processes' if kind == resource.RLIMIT_NPROC else 'descriptors'} " \
            f"limited to {value})"
    uid = as_user if as_user is not None else os.geteuid()
    before = shm(uid)
    started = time.monotonic()
    extra = {"user": as_user, "group": as_user, "extra_groups": []} if as_user else {}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, preexec_fn=limited(kind, value), **extra)
    try:
        out, err = process.communicate(timeout=4 * SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        out, err = process.communicate()
        return [f"{label}: still running after {4 * SECONDS:.0f} s (a hang), killed"]
    took = time.monotonic() - started
    problems = []
    # Blank lines aside: GCC's OpenMP runtime starts its message with a newline
    # ("\nlibgomp: Thread creation failed: …"), and exits 1 itself.
    progress = PROGRESS_ON_STDERR.get(Path(command[0]).name)
    lines = [line for line in err.splitlines()
             if line.strip() and not (progress and line.startswith(progress))]
    if process.returncode == 0:
        exact = exact_sum(command, out)
        verdict = "exact" if exact else "NOT exact"
        if not exact:
            problems.append(f"{label}: exit 0 but the sum is not shown correct: {out!r}")
    elif process.returncode == 1:
        verdict = f"exit 1: {lines[0] if lines else '(nothing on stderr)'}"
        if len(lines) != 1:
            problems.append(f"{label}: exit 1 must come with one line on stderr, got "
                            f"{len(lines)}: {err!r}")
    else:
        verdict = f"exit {process.returncode}"
        problems.append(f"{label}: exit status {process.returncode} (0 or 1 expected); "
                        f"stderr: {err!r}")
    print(f"{label}: {verdict}, in {took:.2f} s")
    if took > SECONDS:
        problems.append(f"{label}: took {took:.1f} s, more than {SECONDS:.0f}")
    # What it started must be gone: its group, and (as nobody) every process.
    time.sleep(0.05)
    left = processes_of(as_user) if as_user else []
    try:
        os.killpg(process.pid, 0)
        left.append(process.pid)
    except (ProcessLookupError, PermissionError):
        pass
    if left:
        problems.append(f"{label}: processes left behind: {sorted(set(left))}")
        for pid in set(left):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    added = shm(uid) - before
    if as_user is None:  # our own uid is every other test's too: only names with its pid
        added = {name for name in added if str(process.pid) in name}
    if added:
        problems.append(f"{label}: left in /dev/shm: {sorted(added)}")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", type=Path, required=True, help="the build's bin folder")
    parser.add_argument("--sanitizer", choices=["none", "address", "undefined", "thread"],
                        default="none", help="what the programs were built with")
    args = parser.parse_args()
    commands = list(runs(args.bin))
    if not commands:
        print(f"no chapter program in {args.bin}")
        return 77
    as_user = NOBODY if os.geteuid() == 0 else None
    if as_user is not None and processes_of(NOBODY):
        print(f"skipped: the user nobody (uid {NOBODY}) runs processes here already, so "
              "a process limit for it would count them too")
        return 77
    if as_user is not None:
        try:
            subprocess.run([commands[0][0], "--help"], capture_output=True, timeout=30,
                           user=as_user, group=as_user, extra_groups=[], check=False)
        except PermissionError:
            print(f"skipped: the user nobody may not run {commands[0][0]} (a folder on "
                  "the way is closed to other users, as /root is): build elsewhere")
            return 77
    # UBSan's vptr check, the first time it meets an object's dynamic type, asks
    # whether the vtable's memory is readable by writing it into a pipe it opens
    # there and then. With every descriptor taken the pipe cannot be opened, and it
    # reports a valid object (std::cout, a std::error_category) as having an
    # invalid vptr; strace shows pipe2() failing with EMFILE just before. Its
    # runtime cannot be told to skip the check, so under UBSan the runs under a
    # descriptor limit are left out; the runs under a process limit are made.
    descriptors = args.sanitizer != "undefined"
    if not descriptors:
        print("the runs under a descriptor limit were skipped: UBSan's vptr check needs a "
              "free descriptor of its own (a pipe it opens to probe memory)")
    # ThreadSanitizer cannot see what oneTBB's library (not instrumented) orders,
    # and reports its work stealing as races: the TSan suite leaves oneTBB out,
    # and so does this. The OpenMP runtime under TSan is LLVM's with Archer, which
    # asks for its own accesses to be left out, as the chapter 9 tests do.
    if args.sanitizer == "thread":
        on_tbb = [c for c in commands if uses_onetbb(c)]
        commands = [c for c in commands if not uses_onetbb(c)]
        print(f"left out under ThreadSanitizer ({len(on_tbb)}): the runs on oneTBB, "
              "which is not instrumented")
        os.environ["TSAN_OPTIONS"] = (os.environ.get("TSAN_OPTIONS", "") +
                                      ":ignore_noninstrumented_modules=1")
    problems = []
    ran = 0
    for command in commands:
        if as_user is not None:
            problems += check(command, resource.RLIMIT_NPROC, PROCESS_LIMIT, as_user)
            ran += 1
        if descriptors:
            problems += check(command, resource.RLIMIT_NOFILE, DESCRIPTOR_LIMIT, as_user)
            ran += 1
    if as_user is None:
        print("the runs under a process limit were skipped: root ignores RLIMIT_NPROC, "
              "and another user's limit would count everything else it runs; "
              "run this as root to make them as the user nobody")
    print(f"{ran} runs, {len(problems)} problems")
    for line in problems:
        print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
