"""A drawing pad for the capstone notebook: draw a digit with the mouse or a finger.

:class:`DrawingPad` is an anywidget widget. Its JavaScript (below, shipped inside this module, so
nothing is fetched from the internet) draws on an HTML canvas as the pointer moves and, when a
stroke ends, sends the stroke's points to Python in the ``strokes`` trait. Python renders the
strokes with Pillow (:meth:`DrawingPad.image`), so what the models read does not depend on the
browser. :func:`digit_reader` wires a pad, a Clear button, an upload button, a list of sample
digits and the models' answers together for the notebook; :func:`uploaded_files` reads the upload
button's value in both ipywidgets 7 (which Google Colab has shipped) and ipywidgets 8.

The pad works without a mouse too: it takes the keyboard's focus (Tab), the arrow keys move a pen
(drawn as a ring), Space puts the pen down and lifts it, and Delete clears. The pad has an
accessible name and instructions, and the line under it, which says what the models read, is a
live region (``role="status"``), so a screen reader announces each new answer. The sample list is
an ordinary drop-down, so a learner who cannot draw at all picks a digit and hears the answer.

Without a front end (nbval, papermill, the series runner) the widgets are still made and displayed
as text; nothing fails, and nothing is drawn.
"""

from __future__ import annotations

import io
import pathlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

#: The pad's side in pixels, and the pen's width: about 1.5 px once the digit is shrunk to MNIST's size.
PAD_SIDE, PEN_WIDTH = 280, 20

_ESM = """
function render({ model, el }) {
  const side = model.get("side");
  const box = document.createElement("div");
  box.setAttribute("role", "group");
  box.setAttribute("aria-label", "Drawing pad");
  box.style.cssText = `position: relative; width: ${side}px;`;
  const canvas = document.createElement("canvas");
  canvas.width = side;
  canvas.height = side;
  canvas.className = "mnist-pad";
  canvas.tabIndex = 0;
  canvas.setAttribute("role", "application");
  canvas.setAttribute("aria-roledescription", "drawing pad");
  canvas.setAttribute("aria-label", "Drawing pad: draw a digit with the mouse or a finger.");
  const helpId = `mnist-pad-help-${Math.random().toString(36).slice(2)}`;
  canvas.setAttribute("aria-describedby", helpId);
  canvas.style.cssText = "border: 1px solid #595959; touch-action: none; cursor: crosshair; background: white;";
  const pen = document.createElement("div");  // Where the keyboard's pen is, while the pad has focus.
  pen.style.cssText = "position: absolute; width: 12px; height: 12px; margin: -7px 0 0 -7px; border: 2px solid #D55E00; " +
    "border-radius: 50%; pointer-events: none; display: none;";
  const help = document.createElement("p");
  help.id = helpId;
  help.className = "mnist-pad-help";
  help.style.cssText = "margin: 4px 0; font-size: 0.9em; color: #333;";
  help.textContent = "Keyboard: arrow keys move the pen (with Shift, in small steps), Space puts it down " +
    "or lifts it, and each lift reads the digit; Delete clears the pad.";
  const status = document.createElement("p");
  status.className = "mnist-prediction";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  status.style.cssText = "font-weight: bold; margin: 4px 0;";
  box.append(canvas, pen, help, status);
  const names = model.get("samples");
  if (names.length > 0) {
    // A list of sample digits, for a learner who does not draw: its keys stay with it, so that
    // JupyterLab's command mode does not take the arrow keys to move between cells.
    const label = document.createElement("label");
    const list = document.createElement("select");
    list.id = `mnist-pad-samples-${Math.random().toString(36).slice(2)}`;
    list.className = "mnist-samples";
    label.htmlFor = list.id;
    label.textContent = "Sample digit: ";
    label.style.cssText = "display: block; margin: 4px 0;";
    for (const name of ["(none)", ...names]) {
      const option = document.createElement("option");
      option.value = name === "(none)" ? "" : name;
      option.textContent = name;
      list.appendChild(option);
    }
    list.addEventListener("keydown", (event) => event.stopPropagation());
    list.addEventListener("change", () => {
      model.set("chosen", list.value);
      model.save_changes();
    });
    model.on("change:chosen", () => { list.value = model.get("chosen"); });
    label.appendChild(list);
    box.appendChild(label);
  }
  el.appendChild(box);
  const context = canvas.getContext("2d");
  let current = null;
  let keyboardPen = [Math.round(side / 2), Math.round(side / 5)];

  function ink() {
    context.strokeStyle = "black";
    context.lineWidth = model.get("pen_width");
    context.lineCap = "round";
    context.lineJoin = "round";
  }
  function drawStroke(points) {
    if (points.length === 0) return;
    ink();
    context.beginPath();
    context.moveTo(points[0][0], points[0][1]);
    for (const [x, y] of points.slice(1)) context.lineTo(x, y);
    if (points.length === 1) context.lineTo(points[0][0] + 0.1, points[0][1]);
    context.stroke();
  }
  function redraw() {
    context.fillStyle = "white";
    context.fillRect(0, 0, side, side);
    for (const stroke of model.get("strokes")) drawStroke(stroke);
    if (current !== null) drawStroke(current);
  }
  function showPen() {
    pen.style.left = `${keyboardPen[0] + 1}px`;
    pen.style.top = `${keyboardPen[1] + 1}px`;
    pen.style.background = current === null ? "transparent" : "#D55E00";
  }
  function point(event) {
    const area = canvas.getBoundingClientRect();
    return [Math.round((event.clientX - area.left) * side / area.width),
            Math.round((event.clientY - area.top) * side / area.height)];
  }
  function finish() {
    if (current === null) return;
    model.set("strokes", [...model.get("strokes"), current]);
    model.save_changes();
    current = null;
  }
  canvas.addEventListener("pointerdown", (event) => {
    canvas.setPointerCapture(event.pointerId);
    current = [point(event)];
    drawStroke(current);
  });
  canvas.addEventListener("pointermove", (event) => {
    if (current === null) return;
    const next = point(event);
    drawStroke([current[current.length - 1], next]);
    current.push(next);
  });
  canvas.addEventListener("pointerup", finish);
  canvas.addEventListener("pointercancel", finish);
  canvas.addEventListener("focus", () => { pen.style.display = "block"; showPen(); });
  canvas.addEventListener("blur", () => { finish(); pen.style.display = "none"; showPen(); });
  const moves = { ArrowUp: [0, -1], ArrowDown: [0, 1], ArrowLeft: [-1, 0], ArrowRight: [1, 0] };
  canvas.addEventListener("keydown", (event) => {
    if (event.key in moves) {
      const step = event.shiftKey ? 4 : 14;
      const [dx, dy] = moves[event.key];
      keyboardPen = [Math.min(side - 1, Math.max(0, keyboardPen[0] + dx * step)),
                     Math.min(side - 1, Math.max(0, keyboardPen[1] + dy * step))];
      if (current !== null) {
        drawStroke([current[current.length - 1], keyboardPen]);
        current.push([...keyboardPen]);
      }
      showPen();
    } else if (event.key === " " || event.key === "Spacebar") {
      if (current === null) {
        current = [[...keyboardPen]];
        drawStroke(current);
      } else {
        finish();
      }
      showPen();
    } else if (event.key === "Delete" || event.key === "Backspace") {
      current = null;
      model.set("strokes", []);
      model.save_changes();
      showPen();
    } else {
      return;
    }
    event.preventDefault();  // The keys draw; they do not scroll the notebook.
  });
  function showStatus() { status.textContent = model.get("status"); }
  model.on("change:strokes", redraw);
  model.on("change:status", showStatus);
  redraw();
  showStatus();
}
export default { render };
"""


def _widget_class() -> type:
    """The DrawingPad class, made on first use so that importing this module imports no widget library."""
    global _DrawingPad
    if _DrawingPad is None:
        import anywidget
        import traitlets

        class DrawingPad(anywidget.AnyWidget):
            """A square canvas that records the strokes drawn on it, as lists of (x, y) points."""

            _esm = _ESM
            side = traitlets.Int(PAD_SIDE).tag(sync=True)
            pen_width = traitlets.Int(PEN_WIDTH).tag(sync=True)
            strokes = traitlets.List([]).tag(sync=True)
            #: The line under the pad, a live region that screen readers announce when it changes.
            status = traitlets.Unicode("").tag(sync=True)
            #: The names of the sample digits the pad offers in a list, and the one picked ("" for none).
            samples = traitlets.List(traitlets.Unicode(), []).tag(sync=True)
            chosen = traitlets.Unicode("").tag(sync=True)

            def __repr__(self) -> str:
                return f"DrawingPad({len(self.strokes)} strokes)"

            def clear(self) -> None:
                """Removes every stroke (the canvas follows)."""
                self.strokes = []

            def image(self) -> np.ndarray:
                """The drawing as a (side, side) uint8 image: black ink on white paper."""
                return render_strokes(self.strokes, self.side, self.pen_width)

        _DrawingPad = DrawingPad
    return _DrawingPad


_DrawingPad: type | None = None


def drawing_pad(**traits: Any) -> Any:
    """A new :class:`DrawingPad` widget (``side``, ``pen_width`` and ``strokes`` may be given)."""
    return _widget_class()(**traits)


def render_strokes(strokes: Sequence[Sequence[Sequence[float]]], side: int = PAD_SIDE,
                   pen_width: int = PEN_WIDTH) -> np.ndarray:
    """Draws strokes as the pad does: round black lines on white, with Pillow.

    Args:
        strokes: Each stroke a list of (x, y) points in pixels, from the top-left corner.
        side: The square image's side in pixels.
        pen_width: The lines' width in pixels.

    Returns:
        A (side, side) uint8 array, 255 for paper and 0 for ink.

    Raises:
        ValueError: A stroke is not a list of (x, y) pairs.
    """
    from PIL import Image, ImageDraw

    picture = Image.new("L", (side, side), 255)
    pen = ImageDraw.Draw(picture)
    radius = pen_width / 2
    for stroke in strokes:
        points = np.asarray(stroke, dtype=float)
        if points.ndim != 2 or points.shape[1] != 2 or len(points) == 0:
            raise ValueError(f"each stroke must be a list of (x, y) points; got one of shape {points.shape}.")
        coordinates = [tuple(point) for point in points]
        if len(coordinates) > 1:
            pen.line(coordinates, fill=0, width=pen_width, joint="curve")
        for x, y in coordinates:  # Round ends and joints, as the canvas draws them.
            pen.ellipse((x - radius, y - radius, x + radius, y + radius), fill=0)
    return np.asarray(picture)


#: The longest side an image is shrunk to as it is read: far more than the 20 pixels a digit ends up with,
#: and small enough that a 12,000 x 12,000 photo never becomes gigabytes of floating-point pixels.
MAXIMUM_SIDE = 2000


def read_image(data: bytes | str | pathlib.Path) -> np.ndarray:
    """A PNG or JPEG, from a path or from its bytes, as an array (greyscale, RGB or RGBA, uint8).

    It is read the way a photo viewer shows it: turned as its EXIF orientation says (a phone stores a
    photo taken sideways as it was shot, with a tag saying how to turn it); a palette image keeps its
    transparency; 16-bit greyscale is brought to 0-255 by its range, not clipped; and an image larger
    than :data:`MAXIMUM_SIDE` pixels a side is shrunk, keeping its proportions, before it becomes an
    array.

    Raises:
        ValueError: The file is missing, is not an image that Pillow can read, or has more pixels
            than Pillow opens safely (its decompression-bomb limit); one line that names the file.
    """
    import warnings

    from PIL import Image, ImageOps, UnidentifiedImageError

    from_bytes = isinstance(data, (bytes, bytearray))
    name = "the uploaded file" if from_bytes else f"image_path {str(data)!r}"
    source = io.BytesIO(data) if from_bytes else pathlib.Path(data).expanduser()
    try:
        with warnings.catch_warnings():
            # Images between Pillow's limit and twice it only warn; they are shrunk below anyway.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(source) as opened:
                if opened.format == "JPEG":
                    opened.draft("RGB", (MAXIMUM_SIDE, MAXIMUM_SIDE))  # decode a large JPEG at a fraction of its size
                picture = ImageOps.exif_transpose(opened)
                picture.load()
        return _as_array(picture)
    except FileNotFoundError:
        raise ValueError(f"{name}: no such file.") from None
    except IsADirectoryError:
        raise ValueError(f"{name} is a folder, not an image file.") from None
    except Image.DecompressionBombError:
        raise ValueError(f"{name} has more pixels than the image library opens safely (over "
                         f"{2 * Image.MAX_IMAGE_PIXELS:,}); shrink it to a few thousand pixels a side.") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        # Pillow's own message names a memory address for bytes ("<_io.BytesIO object at 0x...>").
        raise ValueError(f"{name} is not a PNG or JPEG image that can be read.") from None


def _as_array(picture: Any) -> np.ndarray:
    """A Pillow image as a uint8 array of greyscale, RGB or RGBA, no larger than MAXIMUM_SIDE a side."""
    from PIL import Image

    if picture.mode.startswith("I"):  # 16-bit greyscale ("I;16"; some Pillow releases open it as "I")
        values = np.asarray(picture, dtype=np.float64)
        full = 65535.0 if picture.mode.startswith("I;16") or values.max() > 255 else 255.0
        picture = Image.fromarray(np.clip(np.round(values / full * 255), 0, 255).astype(np.uint8), mode="L")
    elif picture.mode == "P" and "transparency" in picture.info or picture.mode in ("PA", "LA"):
        picture = picture.convert("RGBA")
    elif picture.mode not in ("L", "RGB", "RGBA"):
        picture = picture.convert("RGBA" if "A" in picture.getbands() else "RGB")
    if max(picture.size) > MAXIMUM_SIDE:
        picture.thumbnail((MAXIMUM_SIDE, MAXIMUM_SIDE), Image.Resampling.BOX)
    return np.asarray(picture)


def uploaded_files(value: Any) -> list[tuple[str, bytes]]:
    """The files in an ``ipywidgets.FileUpload``'s value, as (name, content) pairs, oldest first.

    ipywidgets 8 gives a tuple of dicts, each with ``"name"`` and ``"content"`` (a memoryview);
    ipywidgets 7 gives a dict from each file's name to ``{"metadata": {...}, "content": bytes}``.

    Args:
        value: The widget's ``value``, in either shape; empty when nothing was uploaded.

    Returns:
        Each file's name and bytes; an empty list for an empty value.

    Raises:
        ValueError: The value has neither shape.
    """
    try:
        if isinstance(value, Mapping):  # ipywidgets 7
            return [(str(name), bytes(entry["content"])) for name, entry in value.items()]
        if isinstance(value, (list, tuple)):  # ipywidgets 8
            return [(str(entry.get("name", "")), bytes(entry["content"])) for entry in value]
    except (KeyError, TypeError, AttributeError):
        pass
    raise ValueError("the upload button's value is neither ipywidgets 8's tuple of files nor ipywidgets 7's "
                     f"dict of them; got {type(value).__name__}.")


def digit_reader(read: Callable[[np.ndarray], tuple[str, Any]],
                 samples: Mapping[str, np.ndarray] | None = None) -> Any:
    """The capstone's interactive panel: a pad, Clear and Upload buttons, samples, and the models' answer.

    Args:
        read: Turns an image (black ink on white, any size) into a line of text saying what the
            models read and a figure to show beside the pad (the digit and the models' scores),
            reading it once for both; it may raise ValueError (a blank pad), whose message is
            shown instead.
        samples: Names to images (black ink on white) that a learner can pick from a drop-down
            list to have them read, without drawing.

    Returns:
        An ipywidgets box to display.
    """
    import ipywidgets
    from IPython.display import display

    class DigitReader(ipywidgets.HBox):
        def __repr__(self) -> str:  # What a run without a front end shows instead of the panel.
            return ("Digit reader: a drawing pad, Clear and Upload buttons, a list of sample digits, and the "
                    "models' answers (in JupyterLab)")

    samples = dict(samples or {})
    prompt = "Draw a digit in the box" + (", or pick a sample digit below." if samples else ".")
    pad = drawing_pad(status=prompt, samples=list(samples))
    clear = ipywidgets.Button(description="Clear", icon="eraser", tooltip="Clear the drawing pad")
    upload = ipywidgets.FileUpload(accept="image/png,image/jpeg", multiple=False, description="Upload a photo")
    figures = ipywidgets.Output()

    def update(image: np.ndarray) -> None:
        figures.clear_output(wait=True)
        try:
            text, figure = read(image)
        except ValueError as error:
            pad.status = str(error)
            return
        pad.status = text
        with figures:
            display(figure)

    def on_strokes(change: dict) -> None:
        if change["new"]:
            update(pad.image())
        else:
            figures.clear_output()
            pad.status = prompt

    def on_upload(change: dict) -> None:
        try:
            files = uploaded_files(change["new"])
            if files:
                update(read_image(files[-1][1]))  # The newest file.
        except ValueError as error:
            pad.status = str(error)

    def on_choice(change: dict) -> None:
        if change["new"] in samples:
            update(np.asarray(samples[change["new"]]))

    pad.observe(on_strokes, names="strokes")
    pad.observe(on_choice, names="chosen")
    upload.observe(on_upload, names="value")
    clear.on_click(lambda _: pad.clear())
    # The column keeps the pad's full width; the figures take the rest of the row.
    controls = ipywidgets.VBox([pad, ipywidgets.HBox([clear, upload])],
                               layout=ipywidgets.Layout(min_width=f"{PAD_SIDE + 24}px"))
    return DigitReader([controls, figures])
