"""Benchmark: how well the CNN reads digits photographed on paper, through ``to_mnist``.

It builds a set of "photos" from MNIST test digits, each drawn large on a sheet as notebook 13 draws
it and then put through what a phone camera and a desk do to it, one condition at a time:

- ``clean``: the drawing itself, saved as PNG (the reference);
- ``grain``: paper grain, Gaussian noise of sigma 4 (of 255), saved as JPEG;
- ``gradient``: lighting that falls off by 40 levels from one side of the frame to the other;
- ``shadow``: a soft shadow 60 levels deep over a third of the frame;
- ``desk``: the sheet fills 55% of the frame, on a darker, textured desk;
- ``thin pen``: a 1,600-pixel photo with strokes a few pixels wide;
- ``exif``: a JPEG stored turned on its side, with the EXIF tag that says how to turn it back;
- ``noise``: no digit at all, only noise on paper; these should be refused, not read.

Each photo is read as ``python -m helpers.predict`` reads a file (``predict.prepare``: Pillow, then
``to_mnist``) and given to the CNN's float LiteRT file. It prints, per condition, the share read
right (a refused photo counts as wrong) and the share refused; for ``noise``, the share accepted.

It reads the CNN that notebook 14 or ``python -m helpers.export`` exported into ``artifacts/exported/``.

Run it from anywhere:  python benchmarks/photo_set.py [--count 200] [--seed 0]
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
from arguments import positive_int
from PIL import Image

from helpers import data, export, handwriting, paths, predict

SIDE = 560  # the photos' side, in pixels, unless a condition says otherwise


def _sheet(digit: np.ndarray, generator: np.random.Generator, side: int = SIDE, scale: float = 12.0) -> np.ndarray:
    """The digit drawn large, at a random place, dark on white, as float pixels from 0 to 255."""
    size = round(28 * scale)
    top, left = (int(generator.integers(20, side - size - 20)) for _ in range(2))
    return handwriting.sample_drawing(digit, side=side, scale=scale, top=top, left=left).astype(np.float64)


def _jpeg(picture: np.ndarray, exif: Image.Exif | None = None) -> bytes:
    buffer = io.BytesIO()
    image = Image.fromarray(np.clip(np.round(picture), 0, 255).astype(np.uint8))
    image.save(buffer, format="JPEG", quality=90, **({"exif": exif} if exif is not None else {}))
    return buffer.getvalue()


def _png(picture: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(np.clip(np.round(picture), 0, 255).astype(np.uint8)).save(buffer, format="PNG")
    return buffer.getvalue()


def clean(digit, generator):
    return _png(_sheet(digit, generator))


def grain(digit, generator):
    return _jpeg(_sheet(digit, generator) + generator.normal(0, 4, (SIDE, SIDE)))


def gradient(digit, generator):
    falloff = np.linspace(0, 40, SIDE)[np.newaxis, :]
    return _jpeg(_sheet(digit, generator) * (1 - falloff / 255) + generator.normal(0, 2, (SIDE, SIDE)))


def shadow(digit, generator):
    columns = np.arange(SIDE)[np.newaxis, :]
    edge = SIDE * 2 / 3
    depth = 60 / (1 + np.exp(-(columns - edge) / 12))  # a soft edge, 60 levels deep on the right third
    return _jpeg(_sheet(digit, generator) - depth + generator.normal(0, 2, (SIDE, SIDE)))


def desk(digit, generator):
    sheet_side = round(SIDE * np.sqrt(0.55))
    frame = 90 + generator.normal(0, 12, (SIDE, SIDE))
    offset = (SIDE - sheet_side) // 2
    frame[offset:offset + sheet_side, offset:offset + sheet_side] = _sheet(digit, generator, side=sheet_side, scale=8.0)
    return _jpeg(frame)


def thin_pen(digit, generator):
    side, scale = 1600, 40.0
    size = round(28 * scale)
    enlarged = np.asarray(Image.fromarray(digit.astype(np.uint8)).resize((size, size), Image.Resampling.BICUBIC))
    core = np.where(enlarged >= 250, 0.0, 255.0)  # only the strokes' cores: a few pixels wide at this size
    photo = np.full((side, side), 255.0)
    top, left = (int(generator.integers(20, side - size - 20)) for _ in range(2))
    photo[top:top + size, left:left + size] = core
    return _jpeg(photo + generator.normal(0, 2, photo.shape))


def exif(digit, generator):
    turned = np.rot90(_sheet(digit, generator), k=1)  # stored as shot: turned a quarter left
    tag = Image.Exif()
    tag[0x0112] = 6  # "turn 90 degrees clockwise to view"
    return _jpeg(turned, tag)


def noise(digit, generator):
    return _jpeg(255 - np.abs(generator.normal(0, 60, (SIDE, SIDE))))


CONDITIONS: dict[str, Callable[[np.ndarray, np.random.Generator], bytes]] = {
    "clean": clean, "grain": grain, "gradient": gradient, "shadow": shadow, "desk": desk,
    "thin pen": thin_pen, "exif": exif, "noise": noise,
}


def measure(count: int, seed: int, model: Path) -> dict[str, dict[str, float]]:
    """Per condition: the share read right and the share refused, over ``count`` test digits."""
    _, (x_test, y_test) = data.load_mnist()
    reader = predict.Reader(model)
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for name, make in CONDITIONS.items():
            generator = np.random.default_rng(seed)
            right = refused = 0
            for index in range(count):
                path = Path(folder) / f"photo_{index}.jpg"
                path.write_bytes(make(x_test[index], generator))
                try:
                    digit = predict.prepare(path)
                except predict.ImageError:
                    refused += 1
                    continue
                right += int(np.argmax(reader.scores(digit[np.newaxis])[0]) == y_test[index])
            results[name] = {"right": right / count, "refused": refused / count}
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=positive_int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    arguments = parser.parse_args()
    model = export.export_paths("cnn", export.export_folder())["litert_float"]
    if not model.is_file():
        sys.exit(f"benchmarks/photo_set.py: no {paths.display_path(model)}; run notebook 14 or python -m helpers.export.")
    results = measure(arguments.count, arguments.seed, model)
    print(f"{'condition':<12}{'read right':>12}{'refused':>10}   ({arguments.count} test digits each, seed {arguments.seed})")
    for name, result in results.items():
        if name == "noise":
            print(f"{name:<12}{'':>12}{result['refused']:>10.1%}   (no digit: refusing is right; accepted "
                  f"{1 - result['refused']:.1%})")
        else:
            print(f"{name:<12}{result['right']:>12.1%}{result['refused']:>10.1%}")


if __name__ == "__main__":
    main()
