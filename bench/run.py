"""`make bench`: run every bench/bench_*.py in its own process, print and collect figures.

Writes all figures to bench/results.json. Exits non-zero if a script fails or a figure
misses its target, so a regression is visible.
"""

import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(selected: list[str]) -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    if selected:
        scripts = [s for s in scripts if any(key in s.stem for key in selected)]
    results, failed = [], []
    for script in scripts:
        print(f"# {script.name}", file=sys.stderr, flush=True)
        proc = subprocess.run(
            [sys.executable, str(script)], capture_output=True, text=True, cwd=HERE.parent
        )
        for line in proc.stdout.splitlines():
            line = line.strip()
            if line.startswith("{"):
                record = json.loads(line)
                record["script"] = script.name
                results.append(record)
                print(json.dumps(record, ensure_ascii=False), flush=True)
        if proc.returncode != 0:
            failed.append(script.name)
            print(proc.stderr[-4000:], file=sys.stderr)
    (HERE / "results.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    missed = [r["name"] for r in results if r.get("meets_target") is False]
    if failed:
        print(f"# failed scripts: {', '.join(failed)}", file=sys.stderr)
    if missed:
        print(f"# figures missing their target: {', '.join(missed)}", file=sys.stderr)
    return 1 if failed or missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
