#!/usr/bin/env python3
"""Figures for the pages from a Google Benchmark JSON file (chapter 7's committed
reference overheads): each benchmark's name is a key, its time per iteration (as
"47.1 µs") the value; "machine" names the machine that measured them, from the
dataset given with --machine-from. Pages quote them with
\\fig{ch07_measuring_reference_overheads::NAME} (docs/figures.py).

    benchmark_figures.py --benchmarks overheads.json --machine-from full.json --out figures.json
"""
import argparse
import json

from measure_table import duration

SECONDS_PER = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--benchmarks", required=True, help="Google Benchmark's --benchmark_out JSON")
    parser.add_argument("--machine-from", required=True, help="a chapter 7 dataset measured on the same machine")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    with open(args.benchmarks, encoding="utf-8") as file:
        benchmarks = json.load(file)["benchmarks"]
    with open(args.machine_from, encoding="utf-8") as file:
        machine = json.load(file)["machine"]
    figures = {"machine": f"{machine['cpu_model']}, {machine['usable_cores']} usable cores"}
    for benchmark in benchmarks:
        if benchmark.get("run_type", "iteration") == "iteration":
            figures[benchmark["name"]] = duration(benchmark["real_time"] * SECONDS_PER[benchmark["time_unit"]])
    with open(args.out, "w", encoding="utf-8") as out:
        json.dump(figures, out, ensure_ascii=False, indent=1, sort_keys=True)
        out.write("\n")


if __name__ == "__main__":
    main()
