#!/usr/bin/env python3
"""Every core listing (chapters/NN_topic/core.cpp, and chapter 11's core.cu) taken
away as a reader takes it: copied alone into an empty folder, built and run with
exactly the command written in its first lines, with nothing of the project around
it. Checked:

- it includes no header of the project (no `#include "…"`: Debian's packages only);
- it keeps to its length: 80 lines, chapter 4's 100, core.cu 60;
- its problem (reading N and K, cutting 1..N, showing a chunk, checking the sum) is
  the same, letter for letter, as every other core's that defines those pieces: the
  listings repeat it so that each can be taken away alone, and this keeps it one;
- the command builds it and its run prints the right sum, "sum = S (expected S)"
  with S = N(N + 1)/2 for the N the command gives, and exits 0. Where the machine
  has no GPU, core.cu must instead end with exit 1 and one line that says why.

A core whose compiler this machine lacks (mpicxx, nvcc) is skipped with the reason;
the test fails only on what it could try. (Chapter 11's core.cpp needs no GPU
and no offload compiler: without them GCC builds its loop for the host alone.)

  tests/cores/standalone.py --source .      (exit 0: all good, 1: a core failed)
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

LIMITS = {"04_pipes/core.cpp": 100, "11_gpu/core.cu": 60}
DEFAULT_LIMIT = 80
COMMAND_START = re.compile(r"^//   ((?:g\+\+|mpicxx|nvcc) .*)$")


def build_and_run_command(lines):
    """The shell commands in a core's first lines: the first comment line that starts
    with a compiler, and the commands on the comment lines right after it indented
    the same way (`//   ./core 2000000`), joined with &&: a reader types them one
    after another."""
    for index, line in enumerate(lines[:15]):
        found = COMMAND_START.match(line)
        if not found:
            continue
        commands = [found.group(1)]
        for following in lines[index + 1:]:
            more = re.match(r"^//   (\S.*)$", following)
            if not more:
                break
            commands.append(more.group(1))
        return " && ".join(commands)
    return None


def expected_sum(n):
    return n * (n + 1) // 2


def run_n(command):
    """N of the run: the first number after the program (./core N K)."""
    found = re.search(r"\./core\w* (\d+)", command)
    return int(found.group(1)) if found else 20


def environment_for(command):
    env = dict(os.environ)
    if command.startswith("mpicxx") and os.geteuid() == 0:
        # Open MPI refuses root unless told twice; CI and containers run as root.
        env.update(OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
    cuda_bin = "/usr/local/cuda/bin"
    if command.startswith("nvcc") and os.path.isdir(cuda_bin):
        env["PATH"] = env.get("PATH", "") + os.pathsep + cuda_bin
    return env


def missing_tool(command, env):
    """Why this machine cannot build the command, or None."""
    compiler = command.split()[0]
    if shutil.which(compiler, path=env.get("PATH")) is None:
        return f"{compiler} is not installed"
    return None


PROBLEM_PIECES = {
    "argument": re.compile(r"^std::uint64_t argument\("),
    "Chunk": re.compile(r"^struct Chunk \{"),
    "describe": re.compile(r"^std::string describe\("),
    "report_sum": re.compile(r"^int report_sum\("),
}


def problem_pieces(lines):
    """{name: its definition's lines} for the problem's pieces a core defines."""
    pieces = {}
    for index, line in enumerate(lines):
        for name, start in PROBLEM_PIECES.items():
            if start.match(line):
                end = next(i for i in range(index, len(lines)) if lines[i] in ("}", "};"))
                pieces[name] = lines[index:end + 1]
    return pieces


def has_gpu():
    return any(Path("/dev").glob("nvidia[0-9]*"))


def check(core, source_dir):
    """Returns (problems, skipped reason or None)."""
    relative = core.relative_to(source_dir / "chapters").as_posix()
    text = core.read_text(encoding="utf-8")
    lines = text.splitlines()
    problems = []
    limit = LIMITS.get(relative, DEFAULT_LIMIT)
    if len(lines) > limit:
        problems.append(f"{relative}: {len(lines)} lines, more than its {limit}")
    for number, line in enumerate(lines, 1):
        if re.match(r'\s*#\s*include\s*"', line):
            problems.append(f"{relative}:{number}: includes a project header: {line.strip()}")
    command = build_and_run_command(lines)
    if command is None:
        problems.append(f"{relative}: no build command in its first lines "
                        "('//   g++ …', 'mpicxx …' or 'nvcc …')")
        return problems, None
    env = environment_for(command)
    reason = missing_tool(command, env)
    if reason:
        return problems, f"{relative}: skipped, {reason}"
    with tempfile.TemporaryDirectory() as folder:
        shutil.copy(core, Path(folder) / core.name)
        try:
            done = subprocess.run(["bash", "-c", command], cwd=folder, env=env,
                                  capture_output=True, text=True, timeout=240)
        except subprocess.TimeoutExpired:
            problems.append(f"{relative}: `{command}` took more than 240 s")
            return problems, None
    n = run_n(command)
    sum_line = f"sum = {expected_sum(n)} (expected {expected_sum(n)})"
    shown = f"`{command}` in an empty folder: exit {done.returncode}\n{done.stdout}{done.stderr}"
    if core.suffix == ".cu" and not has_gpu():
        err_lines = done.stderr.strip().splitlines()
        if done.returncode != 1 or len(err_lines) != 1 or "CUDA" not in err_lines[0]:
            problems.append(f"{relative}: without a GPU, expected exit 1 and one line "
                            f"naming CUDA's error; got {shown}")
    elif done.returncode != 0 or sum_line not in done.stdout.splitlines():
        problems.append(f"{relative}: expected exit 0 and '{sum_line}'; got {shown}")
    return problems, None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, required=True, help="the project's root")
    args = parser.parse_args()
    source_dir = args.source.resolve()
    cores = sorted((source_dir / "chapters").glob("*/core.cpp")) + \
        sorted((source_dir / "chapters").glob("*/core.cu"))
    if not cores:
        print(f"no core listings under {source_dir}/chapters", file=sys.stderr)
        return 1
    failed = False
    first_seen = {}
    for core in cores:
        relative = core.relative_to(source_dir / "chapters").as_posix()
        for name, text in problem_pieces(core.read_text(encoding="utf-8").splitlines()).items():
            seen = first_seen.setdefault(name, (relative, text))
            if text != seen[1]:
                print(f"{relative}: its {name} differs from {seen[0]}'s: keep the problem "
                      "the same in every core")
                failed = True
    for core in cores:
        problems, skipped = check(core, source_dir)
        for problem in problems:
            print(problem)
        if skipped:
            print(skipped)
        elif not problems:
            print(f"{core.relative_to(source_dir / 'chapters').as_posix()}: builds and runs alone")
        failed = failed or bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
