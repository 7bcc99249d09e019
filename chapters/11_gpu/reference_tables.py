#!/usr/bin/env python3
"""Chapter 11's page tables and figures, made from the committed device check.

    reference_tables.py --data chapters/11_gpu/reference/device_check.json \\
                        --out-dir build/docs/generated

Writes ch11_gpu_core_on_gpu.txt (what the core printed there), ch11_gpu_steps.txt (Harris's steps, with the speedup of each over the one
before), ch11_gpu_bandwidth.txt (the array against the card's copy), ch11_gpu_cpu.txt
(the GPU beside the same machine's CPU cores) and ch11_gpu_reference.json, the
figures the page quotes (\\fig{reference::KEY}). Every number comes from the data:
medians of the timed runs, their spread, and ratios of medians.
"""
import argparse
import json
import statistics
from pathlib import Path

STEPS = ["interleaved", "sequential", "first_add", "warp_shuffle", "grid_stride", "cub"]
LARGEST_N = 6_074_000_999


def load(path):
    data = json.loads(Path(path).read_text())
    runs = [r for r in data["runs"] if isinstance(r.get("result"), dict) and "n" in r["result"]]
    return data, runs


def timed(runs, what, n, work):
    """The result of the run called `what` at (n, work), or None."""
    for r in runs:
        res = r["result"]
        if r["what"] == what and int(res["n"]) == n and res["work"] == work:
            return res
    return None


def spread(res):
    times = res.get("kernel_seconds") or res.get("run_seconds") or [res["seconds"]]
    return min(times), max(times)


def ms(seconds):
    if seconds >= 1:
        return f"{seconds:.3g} s"
    return f"{seconds * 1e3:.3g} ms" if seconds >= 1e-3 else f"{seconds * 1e6:.3g} µs"


def rate(n, seconds):
    return f"{n / seconds / 1e9:,.0f}" if n / seconds >= 1e10 else f"{n / seconds / 1e9:.3g}"


def n_text(n):
    return {2**30: "2^30", 2**28: "2^28", LARGEST_N: "6,074,000,999"}.get(n, f"{n:,}")


def header(data):
    gpu = data["machine"]["gpu"].split(",")[0]
    return (f"measured {data['measured_at']} on an {gpu} with "
            f"{data['machine']['cpu_cores']} CPU cores\n(chapters/11_gpu/device_check)")


def steps_table(data, runs, figures):
    lines = [header(data), ""]
    for work in (0, 16):
        lines.append(f"N = {n_text(LARGEST_N)}, --work {work}, median of 10 launches:")
        lines.append(f"  {'variant':14} {'median':>10} {'spread':>21} {'Gelements/s':>12} "
                     f"{'× previous':>11}")
        previous = None
        for variant in STEPS:
            res = timed(runs, f"step {variant}", LARGEST_N, work)
            if res is None:
                continue
            low, high = spread(res)
            step = f"{previous / res['seconds']:.2f}" if previous else "–"
            lines.append(f"  {variant:14} {ms(res['seconds']):>10} {ms(low) + '–' + ms(high):>21} "
                         f"{rate(LARGEST_N, res['seconds']):>12} {step:>11}")
            figures[f"{variant} work {work}::median"] = ms(res["seconds"])
            figures[f"{variant} work {work}::Gelements/s"] = rate(LARGEST_N, res["seconds"])
            if previous:
                figures[f"{variant} work {work}::× previous"] = step
            previous = res["seconds"]
        first = timed(runs, f"step {STEPS[0]}", LARGEST_N, work)
        best = timed(runs, "step grid_stride", LARGEST_N, work)
        if first and best:
            figures[f"grid_stride / interleaved work {work}"] = f"{first['seconds'] / best['seconds']:.1f}×"
        atomic = timed(runs, "step grid_stride", LARGEST_N, work)
        second = timed(runs, "step grid_stride pass", LARGEST_N, work)
        if atomic and second:
            lines.append(f"  {'grid_stride, --combine pass':27} {ms(second['seconds']):>10} "
                         f"(atomic: {ms(atomic['seconds'])})")
            figures[f"pass / atomic work {work}"] = f"{second['seconds'] / atomic['seconds']:.3f}"
        lines.append("")
    return "\n".join(lines)


def bandwidth_table(data, runs, figures):
    copy = data["ceiling"]["median_bytes_per_second"]
    figures["copy TB/s"] = f"{copy / 1e12:.2f}"
    lines = [header(data), "",
             f"device-to-device copy of 2 GiB: {copy / 1e12:.2f} TB/s, bytes read + written "
             "(median of 20)",
             f"  {'run':22} {'N':>14} {'median':>10} {'GB/s read':>10} {'of the copy':>12}"]
    for what in ("array", "array pass"):
        for n in (2**28, 2**30):
            res = timed(runs, what, n, 0)
            if res is None:
                continue
            share = res["bytes_per_second"] / copy
            lines.append(f"  {what:22} {n_text(n):>14} {ms(res['seconds']):>10} "
                         f"{res['bytes_per_second'] / 1e9:10,.0f} {share:11.0%}")
            figures[f"{what} {n_text(n)}::GB/s"] = f"{res['bytes_per_second'] / 1e9:,.0f}"
            figures[f"{what} {n_text(n)}::share of the copy"] = f"{share:.0%}"
    return "\n".join(lines) + "\n"


def cpu_table(data, runs, figures):
    cores = data["machine"]["cpu_cores"]
    lines = [header(data), "",
             f"  {'work':>4} {'CPU: omp_for':>24} {'omp_for_simd':>13} {'grid_stride':>12} {'cub':>8} "
             f"{'omp_target':>11} {'omp_target_simd':>16} {'cub / CPU':>10}"]
    unmeasured = False
    for work in (0, 16):
        def cpu_times(loop):
            return [r["result"]["seconds"] for r in runs if r["what"] == f"cpu {loop}"
                    and int(r["result"]["n"]) == LARGEST_N and r["result"]["work"] == work]
        cpu, cpu_simd = cpu_times("omp_for"), cpu_times("omp_for_simd")
        if not cpu:
            continue
        cpu_median = statistics.median(cpu)
        grid = timed(runs, "step grid_stride", LARGEST_N, work)
        cub = timed(runs, "step cub", LARGEST_N, work)
        omp = timed(runs, "omp_target", LARGEST_N, work)
        # omp_target_simd and omp_for_simd came after the committed reference run:
        # a data set without them says so rather than leave a gap to guess at
        omp_simd = timed(runs, "omp_target_simd", LARGEST_N, work)
        unmeasured = unmeasured or not omp_simd or not cpu_simd
        ratio = cpu_median / cub["seconds"]
        lines.append(f"  {work:>4} {ms(cpu_median) + ' (' + ms(min(cpu)) + '–' + ms(max(cpu)) + ')':>24} "
                     f"{ms(statistics.median(cpu_simd)) if cpu_simd else 'not yet':>13} "
                     f"{ms(grid['seconds']):>12} {ms(cub['seconds']):>8} "
                     f"{ms(omp['seconds']) if omp else '–':>11} "
                     f"{ms(omp_simd['seconds']) if omp_simd else 'not yet':>16} {ratio:9.0f}×")
        figures[f"cpu work {work}::median"] = ms(cpu_median)
        figures[f"cub / cpu work {work}"] = f"{ratio:.0f}×"
        if omp:
            figures[f"omp_target work {work}::median"] = ms(omp["seconds"])
            figures[f"grid_stride / omp_target work {work}"] = f"{omp['seconds'] / grid['seconds']:.0f}×"
        if omp_simd:
            figures[f"omp_target_simd work {work}::median"] = ms(omp_simd["seconds"])
            figures[f"omp_target / omp_target_simd work {work}"] = f"{omp['seconds'] / omp_simd['seconds']:.1f}×"
    lines.append(f"  (N = {n_text(LARGEST_N)}; CPU: chapter 9's omp_for on {cores} threads,")
    lines.append("   median of 3 runs, fastest–slowest; GPU: medians of the timed launches)")
    if unmeasured:
        lines.append("  not yet: not yet measured on a GPU machine (this data predates the variant;")
        lines.append("   chapters/11_gpu/device_check measures it)")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--out-dir", required=True)
    args = parser.parse_args()
    data, runs = load(args.data)
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    figures = {"measured_at": data["measured_at"],
               "gpu": data["machine"]["gpu"].split(",")[0],
               "cpu cores": str(data["machine"]["cpu_cores"])}
    figures["check seconds"] = f"{data['seconds']:.0f}"
    devices = [r["result"] for r in runs if "multiprocessors" in r["result"]]
    if devices:
        figures["multiprocessors"] = str(devices[0]["multiprocessors"])
    grid = timed(runs, "step grid_stride", LARGEST_N, 0)
    if grid:
        figures["grid_stride blocks"] = f"{grid['blocks']:,}"
        figures["grid_stride threads"] = str(grid["threads_per_block"])
    (out / "ch11_gpu_core_on_gpu.txt").write_text(data["core"]["stdout"])
    (out / "ch11_gpu_steps.txt").write_text(steps_table(data, runs, figures))
    (out / "ch11_gpu_bandwidth.txt").write_text(bandwidth_table(data, runs, figures))
    (out / "ch11_gpu_cpu.txt").write_text(cpu_table(data, runs, figures))
    (out / "ch11_gpu_reference.json").write_text(json.dumps(figures, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
