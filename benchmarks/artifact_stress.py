"""Stress check: can a model be loaded with another save's metrics? Counts it under concurrent saves.

Two writer processes save the same small model under one name, each with weights of its own (every
weight equal to the writer's number) and metrics that name the writer, as fast as they can; a
reader process loads it over and over. A load whose weights belong to one writer and whose metrics
name the other is a mismatch that was accepted; a load refused as stale is fine (the pair was caught
mid-save). Prints, for the reader: loads accepted, loads refused, and mismatches accepted.

Run it from anywhere:  python benchmarks/artifact_stress.py [--seconds 60]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile

from arguments import positive_int

SETUP = """
import sys, time
from helpers import artifacts, runtime
runtime.import_tensorflow()
import keras
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
folder, seconds = sys.argv[1], float(sys.argv[2])
end = time.monotonic() + seconds
"""

WRITER = SETUP + """
writer = int(sys.argv[3])
model.set_weights([weight * 0 + writer for weight in model.get_weights()])
saves = 0
while saves == 0 or time.monotonic() < end:
    artifacts.save_model(model, "stress", {"writer": writer}, folder)
    saves += 1
print(saves)
"""

READER = SETUP + """
accepted = refused = mismatched = 0
while time.monotonic() < end:
    try:
        loaded, record = artifacts.load_model("stress", folder)
    except artifacts.ArtifactError:
        refused += 1
        continue
    accepted += 1
    if int(round(float(loaded.get_weights()[0].flat[0]))) != record["writer"]:
        mismatched += 1
print(accepted, refused, mismatched)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=positive_int, default=60)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        # One save first, so that the reader finds a pair from the start.
        subprocess.run([sys.executable, "-c", WRITER, folder, "0", "1"], check=True, capture_output=True)
        seconds = str(arguments.seconds)
        writers = [subprocess.Popen([sys.executable, "-c", WRITER, folder, seconds, str(number)],
                                    stdout=subprocess.PIPE, text=True) for number in (1, 2)]
        reader = subprocess.Popen([sys.executable, "-c", READER, folder, seconds], stdout=subprocess.PIPE, text=True)
        saves = [int(writer.communicate()[0]) for writer in writers]
        accepted, refused, mismatched = (int(value) for value in reader.communicate()[0].split())
    print(f"saves by the two writers: {saves[0]} and {saves[1]}")
    print(f"loads accepted: {accepted}, refused as stale: {refused}, mismatched pairs accepted: {mismatched}")


if __name__ == "__main__":
    main()
