"""Benchmark: how long ``python -m helpers.predict`` takes to start and read one digit, per model form.

Each measurement runs the command in a fresh interpreter of this environment on one picture (test
digit 0 drawn large, as notebook 13 draws it), so it counts everything a user waits for: starting
Python, importing the course, loading the model, preparing the picture and reading it. It times the
CNN's float LiteRT file (the command's default, run without TensorFlow), its int8 LiteRT file and
its SavedModel folder (both LiteRT files need no TensorFlow; the SavedModel imports it), against an
empty interpreter. Prints the best of ``--repeats`` runs of each and the ratio of LiteRT to SavedModel.

It reads the exports that notebook 14 or ``python -m helpers.export`` writes into
``artifacts/exported/``.

Run it from anywhere:  python benchmarks/predict.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from arguments import positive_int
from PIL import Image

from helpers import data, export, handwriting, paths


def best_seconds(arguments: list[str], repeats: int, cwd: Path) -> float:
    """The fastest wall-clock time of ``repeats`` fresh interpreters run with ``arguments``."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run([sys.executable, *arguments], check=True, capture_output=True, cwd=cwd)
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=positive_int, default=5)
    arguments = parser.parse_args()
    files = export.export_paths("cnn", export.export_folder())
    missing = [path for path in files.values() if not path.exists()]
    if missing:
        sys.exit(f"benchmarks/predict.py: no {paths.display_path(missing[0])}; run notebook 14 or python -m "
                 "helpers.export first.")
    _, (x_test, _) = data.load_mnist()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        Image.fromarray(handwriting.sample_drawing(x_test[0])).save(folder / "seven.png")
        empty = best_seconds(["-c", "pass"], arguments.repeats, folder)
        timed = {form: best_seconds(["-m", "helpers.predict", "seven.png", "--model", str(files[form])],
                                    arguments.repeats, folder) for form in ("litert_float", "litert_int8", "saved_model")}
    rows = {"empty interpreter": empty,
            **{f"python -m helpers.predict, {export.FORM_NAMES[form]}": seconds for form, seconds in timed.items()}}
    for label, seconds in rows.items():
        print(f"{label:<52}{seconds:5.2f} s")
    print(f"ratio (LiteRT float32 / SavedModel): {timed['litert_float'] / timed['saved_model']:.2f}")


if __name__ == "__main__":
    main()
