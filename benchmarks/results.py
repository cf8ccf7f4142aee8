"""What every benchmark script shares: the machine it ran on and its block in RESULTS.md."""

from __future__ import annotations

import platform
import re
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "RESULTS.md"
_MARK = re.compile(r"<!-- bench:([\w-]+) -->")


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True
        )
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def write_section(section: str, path: Path = RESULTS) -> None:
    """Replace the block the section opens with (``<!-- bench:NAME -->``) in place, or append it;
    the other benchmarks' blocks survive."""
    name = _MARK.match(section.lstrip())
    if name is None:
        raise ValueError("a benchmark section starts with <!-- bench:NAME -->")
    begin, end = f"<!-- bench:{name.group(1)} -->", f"<!-- /bench:{name.group(1)} -->"
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.DOTALL)
    if pattern.search(old):
        new = pattern.sub(lambda _: section, old, count=1)
    else:
        new = old.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(new, encoding="utf-8")
