"""Regenerates every golden fixture in tests/fixtures/golden from the reference implementations.

Reference versions (Debian bookworm): numpy 1.24.2, scipy 1.10.1, scikit-learn 1.2.1
(apt-get install -y python3-sklearn python3-scipy). Run with Debian's interpreter:

    /usr/bin/python3 tests/scripts/generate_golden.py      # or: npm run golden

Each golden_<area>.py writes tests/fixtures/golden/<area>.json and can also be run alone.
"""
import pathlib
import runpy

HERE = pathlib.Path(__file__).resolve().parent

if __name__ == "__main__":
    for script in sorted(HERE.glob("golden_*.py")):
        print(f"== {script.name}")
        runpy.run_path(str(script), run_name="__main__")
