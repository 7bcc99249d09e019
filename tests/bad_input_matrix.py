#!/usr/bin/env python3
"""Every program the project builds, given bad input, as a reader might type it.

Runs each executable in the build's bin/ folder (chapters, cores, exercise
programs, benchmarks; not the test suites) with each bad command line below and
checks what the project promises for every one: exit status 2, nothing on stdout,
exactly one line on stderr that starts with the program's name (or, for a Google
Benchmark program, says which flag it did not recognise), and an end within
seconds. One line per program and input says what happened; exit 1 if any broke
the promise.

    tests/bad_input_matrix.py --bin build/bin
"""
import argparse
import os
import signal
import subprocess
import sys
from pathlib import Path

# What a reader mistypes: a word where a number goes, a negative number, one too
# large for 64 bits, an option nobody defined.
BAD_INPUTS = [["abc"], ["-1"], ["99999999999999999999999"], ["--no-such-option"]]
TIMEOUT = 20  # seconds: a refusal takes milliseconds, an MPI singleton's start one


def run(command):
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               stdin=subprocess.DEVNULL, text=True, start_new_session=True)
    try:
        out, err = process.communicate(timeout=TIMEOUT)
        timed_out = False
    except subprocess.TimeoutExpired:
        timed_out = True
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)  # anything it left in its group
        except ProcessLookupError:
            pass
    if timed_out:
        out, err = process.communicate()
    return process.returncode, out, err, timed_out


def judge(program, args):
    status, out, err, timed_out = run([str(program), *args])
    if timed_out:
        return f"ran past {TIMEOUT} s and was killed"
    if status != 2:
        first = (err.strip().splitlines() or [""])[0]
        return f"exit status {status}, not 2 ({first[:100]!r})"
    if out:
        return f"wrote to stdout: {out.splitlines()[0][:100]!r}"
    lines = err.splitlines()
    if len(lines) != 1:
        return f"{len(lines)} lines on stderr, not one: {err[:200]!r}"
    name = program.name
    if not (lines[0].startswith(name + ":") or lines[0].startswith(str(program) + ": error:")):
        return f"the line does not start with the program's name: {lines[0][:100]!r}"
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", required=True, type=Path, help="the build's bin/ folder")
    args = parser.parse_args()
    # The MPI programs run as singletons here; Open MPI refuses root without these.
    os.environ.setdefault("OMPI_ALLOW_RUN_AS_ROOT", "1")
    os.environ.setdefault("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1")
    programs = sorted(p for p in args.bin.iterdir()
                      if p.is_file() and os.access(p, os.X_OK) and not p.name.startswith("test_"))
    if not programs:
        print(f"bad_input_matrix.py: no programs in {args.bin}", file=sys.stderr)
        return 1
    broken = 0
    for program in programs:
        for bad in BAD_INPUTS:
            problem = judge(program, bad)
            shown = " ".join([program.name, *bad])
            print(f"{'ok  ' if problem is None else 'FAIL'} {shown}" +
                  ("" if problem is None else f": {problem}"))
            broken += problem is not None
    print(f"{len(programs)} programs, {len(BAD_INPUTS)} bad inputs each: "
          f"{broken} broke the promise")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
