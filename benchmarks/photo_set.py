"""Benchmark: how well the CNN reads digits photographed on paper, through ``to_mnist``.

It builds a set of "photos" from two sources of digits:

- ``MNIST``: MNIST test digits, drawn large on a sheet as notebook 13 draws them;
- ``drawn``: digits written with a pen from stroke templates (two ways of writing each of the ten),
  each slanted, stretched, turned and wobbled at random, and drawn with a pen of random width;

and puts each digit through what a phone camera and a desk do to it, one condition at a time:

- ``clean``: the drawing itself, saved as PNG (the reference);
- ``grain``: paper grain, Gaussian noise of sigma 4 (of 255), saved as JPEG;
- ``paper``: a paper texture (blotches and fibres at three scales, 10 levels deep), JPEG;
- ``gradient``: lighting that falls off by 40 levels from one side of the frame to the other;
- ``shadow``: a soft shadow 60 levels deep over a third of the frame;
- ``desk``: the sheet fills 55% of the frame, on a darker, textured desk;
- ``thin pen``: a 1,600-pixel photo of the digit traced with a pen 6 pixels wide;
- ``exif``: a JPEG stored turned on its side, with the EXIF tag that says how to turn it back;
- ``phone``: all at once, in colour: textured, tinted paper, light falling off in a random direction,
  a shadow, darker corners, a little blur, sensor noise, JPEG at quality 80, stored turned by a random
  EXIF orientation (none, a half turn, or a quarter either way);
- ``noise``: no digit at all, only noise on paper; these should be refused, not read.

Each photo is read as ``python -m helpers.predict`` reads a file (``predict.prepare``: Pillow, then
``to_mnist``) and given to the CNN's float LiteRT file. It prints, per source and condition, the
share read right (a refused photo counts as wrong) and the share refused; for ``noise``, the share
accepted.

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
from scipy import ndimage

from helpers import data, drawing, export, paths, predict

SIDE = 560  # the photos' side, in pixels, unless a condition says otherwise

#: An ink function draws one digit, dark on white, into a square of the side it is given, with the
#: pen width it is given (None: the digit's own strokes); float pixels from 0 to 255.
Ink = Callable[[int, "float | None"], np.ndarray]


# --- The digits -------------------------------------------------------------------------------------

def mnist_ink(digit: np.ndarray) -> Ink:
    """An MNIST image (28 x 28, white on black) as an ink function: enlarged, or traced with a thin pen."""

    def ink(size: int, pen_width: float | None = None) -> np.ndarray:
        enlarged = np.asarray(Image.fromarray(digit.astype(np.uint8)).resize((size, size), Image.Resampling.BICUBIC))
        if pen_width is None:
            return 255.0 - enlarged
        # The middle of a stroke is where the distance to the paper is largest across it (the ridge of the
        # distance transform of the stroke's shape); the trace is every pixel within half a pen's width of it.
        stroke = enlarged >= 128
        distance = ndimage.distance_transform_edt(stroke)
        middle = stroke & (distance > 2) & (distance >= ndimage.maximum_filter(distance, size=7) - 1.5)
        return np.where(ndimage.distance_transform_edt(~middle) <= pen_width / 2, 0.0, 255.0)

    return ink


def _arc(centre_x, centre_y, radius_x, radius_y, start, end, count=24):
    """Points on an ellipse from angle ``start`` to ``end`` in degrees (0 to the right, 90 down)."""
    angles = np.radians(np.linspace(start, end, count))
    return np.stack([centre_x + radius_x * np.cos(angles), centre_y + radius_y * np.sin(angles)], axis=1)


def _line(*points):
    return np.asarray(points, dtype=float)


#: Two ways of writing each digit, each a list of strokes in a 100 x 100 box (x to the right, y down).
TEMPLATES = {
    0: [[_arc(50, 50, 28, 42, -90, 270)], [_arc(50, 50, 24, 40, -100, 255)]],
    1: [[_line((50, 8), (50, 92))], [_line((32, 26), (54, 8), (52, 92))]],
    2: [[np.concatenate([_arc(50, 32, 26, 24, 190, 360, 16), _line((74, 40), (24, 92), (80, 92))])],
        [np.concatenate([_arc(48, 30, 24, 22, 200, 390, 16), _line((28, 90), (78, 88))])]],
    3: [[np.concatenate([_arc(48, 29, 25, 21, 200, 450, 20), _arc(48, 71, 28, 21, 270, 520, 20)])],
        [_line((24, 10), (74, 10), (46, 44)), _arc(48, 68, 28, 24, 270, 520, 20)]],
    4: [[_line((62, 92), (62, 8), (18, 66), (84, 66))], [_line((28, 8), (22, 56), (80, 56)), _line((66, 26), (66, 92))]],
    5: [[_line((76, 8), (32, 8), (28, 44)), _arc(48, 66, 28, 26, 240, 500, 20)],
        [np.concatenate([_line((74, 10), (32, 10), (30, 46)), _arc(50, 66, 26, 24, 235, 510, 20)])]],
    6: [[np.concatenate([_arc(78, 62, 50, 56, 250, 180, 12), _arc(50, 68, 24, 24, 180, 540, 24)])],
        [np.concatenate([_line((66, 8), (38, 40)), _arc(50, 68, 24, 24, 200, 560, 24)])]],
    7: [[_line((20, 10), (80, 10), (42, 92))], [_line((20, 12), (80, 10), (44, 92)), _line((36, 52), (70, 52))]],
    8: [[_arc(50, 28, 20, 20, 0, 360), _arc(50, 71, 25, 22, 0, 360)],
        [np.concatenate([_arc(50, 28, 20, 20, 90, -180, 20), _arc(50, 71, 24, 22, -90, 270, 24),
                         _arc(50, 28, 20, 20, 180, 90, 8)])]],
    9: [[np.concatenate([_arc(48, 30, 22, 22, 0, 360, 24), _line((70, 30), (64, 92))])],
        [np.concatenate([_arc(48, 30, 22, 22, -20, 340, 24), _line((68, 22), (68, 92))])]],
}


def drawn_ink(label: int, generator: np.random.Generator) -> Ink:
    """A digit written from one of its templates, with this writer's slant, proportions and wobble."""
    strokes = TEMPLATES[label][int(generator.integers(len(TEMPLATES[label])))]
    angle = np.radians(generator.uniform(-10, 10))
    slant, width, height = generator.uniform(-0.3, 0.15), generator.uniform(0.7, 1.15), generator.uniform(0.9, 1.1)
    turn = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    shape = turn @ np.array([[width, slant], [0, height]])
    moved = []
    for stroke in strokes:
        wobble = ndimage.gaussian_filter1d(generator.normal(0, 3, stroke.shape), 3, axis=0, mode="nearest")
        moved.append((stroke - 50 + wobble) @ shape.T)
    pen_share = generator.uniform(0.08, 0.14)  # the pen's width as a share of the digit's height

    def ink(size: int, pen_width: float | None = None) -> np.ndarray:
        scale = 0.7 * size / 100  # the digit fills about 70% of the square, as MNIST's 20 of 28 pixels
        points = [stroke * scale + size / 2 for stroke in moved]
        pen = pen_width if pen_width is not None else pen_share * 100 * scale
        return drawing.render_strokes(points, side=size, pen_width=max(1, round(pen))).astype(np.float64)

    return ink


def _as_ink(digit) -> Ink:
    """An ink function as it is, or an MNIST image (28 x 28 array) made into one."""
    return digit if callable(digit) else mnist_ink(np.asarray(digit))


# --- The paper, the light and the camera -----------------------------------------------------------

def _sheet(digit, generator: np.random.Generator, side: int = SIDE, scale: float = 12.0,
           pen_width: float | None = None) -> np.ndarray:
    """The digit drawn large, at a random place on white paper, as float pixels from 0 to 255."""
    size = round(28 * scale)
    top, left = (int(generator.integers(20, side - size - 20)) for _ in range(2))
    sheet = np.full((side, side), 255.0)
    sheet[top:top + size, left:left + size] = _as_ink(digit)(size, pen_width)
    return sheet


def _texture(shape: tuple[int, int], generator: np.random.Generator, depth: float = 10.0) -> np.ndarray:
    """Paper's own unevenness: smoothed noise at three scales (fibres, blotches, cloudiness), about
    ``depth`` levels from its lightest to its darkest; 0 on average."""
    total = np.zeros(shape)
    for sigma, weight in ((1.0, 0.3), (4.0, 0.4), (24.0, 0.3)):
        field = ndimage.gaussian_filter(generator.normal(0, 1, shape), sigma)
        total += weight * field / max(field.std(), 1e-12)
    return total * depth / 4


def _jpeg(picture: np.ndarray, exif: Image.Exif | None = None, quality: int = 90) -> bytes:
    buffer = io.BytesIO()
    image = Image.fromarray(np.clip(np.round(picture), 0, 255).astype(np.uint8))
    image.save(buffer, format="JPEG", quality=quality, **({"exif": exif} if exif is not None else {}))
    return buffer.getvalue()


def _png(picture: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(np.clip(np.round(picture), 0, 255).astype(np.uint8)).save(buffer, format="PNG")
    return buffer.getvalue()


#: EXIF orientation -> how many quarter turns counter-clockwise (np.rot90) the camera stored the
#: upright picture with: 1 upright, 3 upside down, 6 "turn 90 degrees clockwise to view", 8 the other way.
STORED_TURNS = {1: 0, 3: 2, 6: 1, 8: 3}


def _exif_tag(orientation: int) -> Image.Exif:
    tag = Image.Exif()
    tag[0x0112] = orientation
    return tag


# --- The conditions ---------------------------------------------------------------------------------

def clean(digit, generator):
    return _png(_sheet(digit, generator))


def grain(digit, generator):
    return _jpeg(_sheet(digit, generator) + generator.normal(0, 4, (SIDE, SIDE)))


def paper(digit, generator):
    sheet = _sheet(digit, generator)
    return _jpeg(sheet - 5 + _texture(sheet.shape, generator) + generator.normal(0, 2, sheet.shape))


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
    return _jpeg(_sheet(digit, generator, side=1600, scale=40.0, pen_width=6) + generator.normal(0, 2, (1600, 1600)))


def exif(digit, generator):
    turned = np.rot90(_sheet(digit, generator), k=STORED_TURNS[6])  # stored as shot: turned a quarter left
    return _jpeg(turned, _exif_tag(6))


def phone(digit, generator):
    side = 720
    sheet = _sheet(digit, generator, side=side, scale=generator.uniform(8, 14))
    rows, columns = np.indices((side, side)) / side
    direction = generator.uniform(0, 2 * np.pi)
    along = (rows - 0.5) * np.sin(direction) + (columns - 0.5) * np.cos(direction)
    light = generator.uniform(20, 50) * (along + 0.5)  # levels lost, growing across the frame
    shade_direction = generator.uniform(0, 2 * np.pi)
    across = (rows - 0.5) * np.sin(shade_direction) + (columns - 0.5) * np.cos(shade_direction)
    shade = generator.uniform(30, 60) / (1 + np.exp(-(across - generator.uniform(0.15, 0.35)) * 40))
    corners = 25 * ((rows - 0.5) ** 2 + (columns - 0.5) ** 2) * 2  # up to 25 levels darker in the corners
    grey = sheet - 8 + _texture(sheet.shape, generator) - light - shade - corners
    grey = ndimage.gaussian_filter(grey, 1.2)  # the lens a little out of focus
    tint = np.array([1.0, 0.96, 0.88])  # warm paper, a blue-black pen
    ink = np.array([0.85, 0.9, 1.0])
    lightness = np.clip(grey, 0, 255)[..., np.newaxis] / 255
    colour = 255 * (lightness * tint + (1 - lightness) * ink * 0.25) + generator.normal(0, 3, (side, side, 3))
    orientation = int(generator.choice(list(STORED_TURNS)))
    return _jpeg(np.rot90(colour, k=STORED_TURNS[orientation], axes=(0, 1)), _exif_tag(orientation), quality=80)


def noise(digit, generator):
    return _jpeg(255 - np.abs(generator.normal(0, 60, (SIDE, SIDE))))


CONDITIONS: dict[str, Callable[[object, np.random.Generator], bytes]] = {
    "clean": clean, "grain": grain, "paper": paper, "gradient": gradient, "shadow": shadow, "desk": desk,
    "thin pen": thin_pen, "exif": exif, "phone": phone, "noise": noise,
}


# --- The measurement --------------------------------------------------------------------------------

def digits(source: str, count: int, seed: int) -> tuple[list, np.ndarray]:
    """``count`` digits of a source ("MNIST" or "drawn") and their labels."""
    _, (x_test, y_test) = data.load_mnist()
    if source == "MNIST":
        return list(x_test[:count]), y_test[:count]
    generator = np.random.default_rng(seed + 1)
    labels = np.arange(count) % 10
    return [drawn_ink(int(label), generator) for label in labels], labels


def measure(count: int, seed: int, model: Path) -> dict[str, dict[str, dict[str, float]]]:
    """Per source and condition: the share read right and the share refused, over ``count`` digits."""
    reader = predict.Reader(model)
    results: dict[str, dict[str, dict[str, float]]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for source in ("MNIST", "drawn"):
            inks, labels = digits(source, count, seed)
            results[source] = {}
            for name, make in CONDITIONS.items():
                generator = np.random.default_rng(seed)
                right = refused = 0
                for index in range(count):
                    path = Path(folder) / f"photo_{index}.jpg"
                    path.write_bytes(make(inks[index], generator))
                    try:
                        digit = predict.prepare(path)
                    except predict.ImageError:
                        refused += 1
                        continue
                    right += int(np.argmax(reader.scores(digit[np.newaxis])[0]) == labels[index])
                results[source][name] = {"right": right / count, "refused": refused / count}
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
    print(f"{'condition':<12}" + "".join(f"{source + ' read right':>20}{'refused':>10}" for source in results)
          + f"   ({arguments.count} digits of each source, seed {arguments.seed})")
    for name in CONDITIONS:
        cells = [results[source][name] for source in results]
        if name == "noise":
            print(f"{name:<12}" + "".join(f"{'':>20}{cell['refused']:>10.1%}" for cell in cells)
                  + "   (no digit: refusing is right)")
        else:
            print(f"{name:<12}" + "".join(f"{cell['right']:>20.1%}{cell['refused']:>10.1%}" for cell in cells))


if __name__ == "__main__":
    main()
