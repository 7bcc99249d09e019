#!/usr/bin/env python3
"""Runs a command and checks how it ended: its exit status, and a text its output
must hold. For the exercise grader's own tests: a starter must FAIL (exit 1),
a solution PASS (exit 0), bad input be refused (exit 2), each with the words
that say so.

    expect_exit.py --status 1 --says "FAIL: " -- scripts/check-exercise hunt_1
"""
import argparse
import subprocess
import sys


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--status", type=int, required=True, help="the exit status it must end with")
    parser.add_argument("--says", action="append", default=[], help="text its stdout or stderr must hold")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    done = subprocess.run(command, capture_output=True, text=True)
    said = done.stdout + done.stderr
    print(said, end="")
    problems = []
    if done.returncode != args.status:
        problems.append(f"exit status {done.returncode}, expected {args.status}")
    problems += [f"the output does not say {text!r}" for text in args.says if text not in said]
    for problem in problems:
        print(f"expect_exit.py: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
