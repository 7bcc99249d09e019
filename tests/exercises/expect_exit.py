#!/usr/bin/env python3
"""Runs a command and checks how it ended: its exit status, and a text its output
must hold. For the exercise grader's own tests: a starter must FAIL (exit 1),
a solution PASS (exit 0), bad input be refused (exit 2), each with the words
that say so.

    expect_exit.py --status 1 --says "FAIL: " -- scripts/check-exercise hunt_1

--attempts N runs the command again, up to N times in all, until it ends as
expected: for a speed target's grading, where another program busy on one of two
cores can take away the very effect being measured (false sharing needs both
threads running at once). A slow or wrong solution still fails every attempt.
"""
import argparse
import subprocess
import sys


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--status", type=int, required=True, help="the exit status it must end with")
    parser.add_argument("--says", action="append", default=[], help="text its stdout or stderr must hold")
    parser.add_argument("--attempts", type=int, default=1, help="runs at most, until one ends as expected")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    for attempt in range(1, args.attempts + 1):
        done = subprocess.run(command, capture_output=True, text=True)
        said = done.stdout + done.stderr
        print(said, end="")
        problems = []
        if done.returncode != args.status:
            problems.append(f"exit status {done.returncode}, expected {args.status}")
        problems += [f"the output does not say {text!r}" for text in args.says if text not in said]
        for problem in problems:
            print(f"expect_exit.py: attempt {attempt} of {args.attempts}: {problem}", file=sys.stderr)
        if not problems:
            return 0
    return 1


if __name__ == "__main__":
    sys.exit(main())
