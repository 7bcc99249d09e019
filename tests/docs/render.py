#!/usr/bin/env python3
"""Renders pages of the built site in headless Chromium, as a reader's browser would.

For each --page FILE=TITLE: a screenshot that must not be blank (many colours, and
a good share of pixels that are not the background), and the DOM after the theme's
scripts ran, which must hold TITLE. Screenshots are kept in --out to look at.
Standard library only (the PNG is decoded here). Exit 0 when every page passes.
"""
import argparse
import ctypes
import html
import re
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import zlib
from collections import Counter
from pathlib import Path

# As root Chromium needs --no-sandbox; the rest keep it off the network (this
# machine has none) and quick to start.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-crash-reporter", "--disable-breakpad", "--no-zygote",
         "--hide-scrollbars", "--window-size=1280,900",
         "--virtual-time-budget=5000"]  # let the theme's scripts run first


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    sys.exit("no Chromium found: install Debian's chromium package (scripts/test does)")


def become_subreaper():
    """Chromium's helpers outlive it; as their subreaper we can reap them, instead
    of leaving zombies for init."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        pass


def reap_helpers():
    """Ends and reaps whatever Chromium left behind under us."""
    for pid in [int(p) for p in os.listdir("/proc") if p.isdigit()]:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if parent == os.getpid():
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass


def browse(url, extra, profile, timeout=90):
    try:
        return subprocess.run([chromium(), *FLAGS, f"--user-data-dir={profile}", *extra, url],
                              capture_output=True, text=True, timeout=timeout)
    finally:
        reap_helpers()


def decode_png(data):
    """Returns (width, height, pixels as a list of RGB(A) tuples) of an 8-bit PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    assert depth == 8 and colour in (2, 6), f"unexpected PNG format {depth}/{colour}"
    channels = 3 if colour == 2 else 4
    stride = width * channels
    raw = zlib.decompress(idat)
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                corner = previous[i - channels] if i >= channels else 0
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        rows.append(line)
        previous = line
    pixels = [bytes(row[x:x + 3]) for row in rows for x in range(0, stride, channels)]
    return width, height, pixels


def check_page(html_dir, out_dir, page, title):
    url = (html_dir / page).resolve().as_uri()
    problems = []
    with tempfile.TemporaryDirectory() as profile:
        shot = out_dir / (Path(page).stem + ".png")
        shot.unlink(missing_ok=True)
        # One start of Chromium for both: its headless mode takes the screenshot and
        # prints the DOM in the same run (a start costs seconds on two cores).
        dom = browse(url, [f"--screenshot={shot}", "--dump-dom"], profile).stdout
        if not shot.exists():
            return [f"{page}: Chromium wrote no screenshot"]
        width, height, pixels = decode_png(shot.read_bytes())
        colours = Counter(pixels)
        background, count = colours.most_common(1)[0]
        drawn = 1 - count / len(pixels)
        print(f"{page}: {width}x{height} screenshot {shot}, {len(colours)} colours, "
              f"{drawn:.0%} of pixels drawn on the background")
        if len(colours) < 32 or drawn < 0.03:
            problems.append(f"{page}: the screenshot is (nearly) blank")
        if not re.search(r'<div class="title">\s*%s\s*<' % re.escape(html.escape(title, quote=False)), dom):
            problems.append(f"{page}: the rendered page has no title {title!r}")
        # Elements only the theme's scripts create: the dark-mode toggle, and a copy
        # button on every code fragment.
        if "<doxygen-awesome-dark-mode-toggle" not in dom:
            problems.append(f"{page}: no dark-mode toggle: the theme's scripts did not run")
        fragments = dom.count('class="fragment"')
        buttons = dom.count("<doxygen-awesome-fragment-copy-button")
        if buttons < fragments:
            problems.append(f"{page}: {fragments} code fragments but {buttons} copy buttons")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--html", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True, help="where screenshots go")
    parser.add_argument("--page", action="append", required=True, help="FILE=TITLE")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    become_subreaper()
    problems = []
    for spec in args.page:
        page, title = spec.split("=", 1)
        problems += check_page(args.html, args.out, page, title)
    for line in problems:
        print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
