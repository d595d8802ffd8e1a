"""A drawing pad for the capstone notebook: draw a digit with the mouse or a finger.

:class:`DrawingPad` is an anywidget widget. Its JavaScript (below, shipped inside this module, so
nothing is fetched from the internet) draws on an HTML canvas as the pointer moves and, when a
stroke ends, sends the stroke's points to Python in the ``strokes`` trait. Python renders the
strokes with Pillow (:meth:`DrawingPad.image`), so what the models read does not depend on the
browser. :func:`digit_reader` wires a pad, a Clear button, an upload button and the models'
answers together for the notebook; :func:`uploaded_files` reads the upload button's value in both
ipywidgets 7 (which Google Colab has shipped) and ipywidgets 8.

Without a front end (nbval, papermill, the series runner) the widgets are still made and displayed
as text; nothing fails, and nothing is drawn.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

#: The pad's side in pixels, and the pen's width: about 1.5 px once the digit is shrunk to MNIST's size.
PAD_SIDE, PEN_WIDTH = 280, 20

_ESM = """
function render({ model, el }) {
  const side = model.get("side");
  const canvas = document.createElement("canvas");
  canvas.width = side;
  canvas.height = side;
  canvas.className = "mnist-pad";
  canvas.style.cssText = "border: 1px solid #888; touch-action: none; cursor: crosshair; background: white;";
  el.appendChild(canvas);
  const context = canvas.getContext("2d");
  let current = null;

  function pen() {
    context.strokeStyle = "black";
    context.lineWidth = model.get("pen_width");
    context.lineCap = "round";
    context.lineJoin = "round";
  }
  function drawStroke(points) {
    if (points.length === 0) return;
    pen();
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
  }
  function point(event) {
    const box = canvas.getBoundingClientRect();
    return [Math.round((event.clientX - box.left) * side / box.width),
            Math.round((event.clientY - box.top) * side / box.height)];
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
  function finish() {
    if (current === null) return;
    model.set("strokes", [...model.get("strokes"), current]);
    model.save_changes();
    current = null;
  }
  canvas.addEventListener("pointerup", finish);
  canvas.addEventListener("pointercancel", finish);
  model.on("change:strokes", redraw);
  redraw();
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


def read_image(data: bytes | str) -> np.ndarray:
    """A PNG or JPEG, from a path or from its bytes, as an array (greyscale, RGB or RGBA).

    Raises:
        ValueError: The file is missing, or is not an image that Pillow can read.
    """
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data) if isinstance(data, (bytes, bytearray)) else data) as picture:
            picture.load()
            if picture.mode not in ("L", "RGB", "RGBA"):
                picture = picture.convert("RGBA" if "A" in picture.getbands() else "RGB")
            return np.asarray(picture)
    except FileNotFoundError:
        raise ValueError(f"image_path {data!r}: no such file.") from None
    except (UnidentifiedImageError, OSError) as error:
        name = "the uploaded file" if isinstance(data, (bytes, bytearray)) else repr(data)
        raise ValueError(f"{name} is not a PNG or JPEG image that can be read ({error}).") from None


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


def digit_reader(read: Callable[[np.ndarray], tuple[str, Any]]) -> Any:
    """The capstone's interactive panel: a pad, Clear and Upload buttons, and the models' answer.

    Args:
        read: Turns an image (black ink on white, any size) into a line of text saying what the
            models read and a figure to show beside the pad (the digit and the models' scores),
            reading it once for both; it may raise ValueError (a blank pad), whose message is
            shown instead.

    Returns:
        An ipywidgets box to display.
    """
    import ipywidgets
    from IPython.display import display

    class DigitReader(ipywidgets.HBox):
        def __repr__(self) -> str:  # What a run without a front end shows instead of the panel.
            return "Digit reader: a drawing pad, Clear and Upload buttons, and the models' answers (in JupyterLab)"

    pad = drawing_pad()
    clear = ipywidgets.Button(description="Clear", icon="eraser")
    upload = ipywidgets.FileUpload(accept="image/png,image/jpeg", multiple=False, description="Upload a photo")
    answer = ipywidgets.HTML("<b>Draw a digit in the box.</b>")
    answer.add_class("mnist-prediction")
    figures = ipywidgets.Output()

    def update(image: np.ndarray) -> None:
        figures.clear_output(wait=True)
        try:
            text, figure = read(image)
        except ValueError as error:
            answer.value = f"<b>{error}</b>"
            return
        answer.value = f"<b>{text}</b>"
        with figures:
            display(figure)

    def on_strokes(change: dict) -> None:
        if change["new"]:
            update(pad.image())
        else:
            figures.clear_output()
            answer.value = "<b>Draw a digit in the box.</b>"

    def on_upload(change: dict) -> None:
        try:
            files = uploaded_files(change["new"])
            if files:
                update(read_image(files[-1][1]))  # The newest file.
        except ValueError as error:
            answer.value = f"<b>{error}</b>"

    pad.observe(on_strokes, names="strokes")
    upload.observe(on_upload, names="value")
    clear.on_click(lambda _: pad.clear())
    # The column keeps the pad's full width; the figures take the rest of the row.
    controls = ipywidgets.VBox([pad, ipywidgets.HBox([clear, upload]), answer],
                               layout=ipywidgets.Layout(min_width=f"{PAD_SIDE + 24}px"))
    return DigitReader([controls, figures])
