"""Helpers for the MNIST course notebooks.

The notebooks keep the lesson's code (building, compiling, fitting and evaluating Keras models) in
their cells. This package holds what a learner need not read, one concern per module:

- ``helpers.paths``: where the repository's data and artifacts live, and whether a folder is writable.
- ``helpers.data``: loading MNIST (bundled copy, any ``.npz`` of the same layout, Keras fallback).
- ``helpers.preprocessing``: scaling pixels to [0, 1] and flattening images, with checks.
- ``helpers.runtime``: importing TensorFlow without its start-up log, seeding, and a stopwatch.
- ``helpers.models``: the model definitions that more than one notebook needs.
- ``helpers.evaluation``: predicted labels, the confusion matrix and per-class metrics.
- ``helpers.plots``: every figure of the course, returned as a matplotlib ``Figure``.
- ``helpers.diagrams``: the course's ideas drawn: the network, the training loop, a slope, a convolution.
- ``helpers.artifacts``: saving and loading trained models with their metrics, atomically.
- ``helpers.reuse``: one call that loads an earlier notebook's model, or trains the same model.
- ``helpers.transforms``: deterministic shifts and rotations of digit images.
- ``helpers.experiments``: grids of papermill runs, and the choice of a setting on validation.
- ``helpers.params``: the notebooks' parameters, their rules and their validation.
- ``helpers.series``: ``python -m helpers.series`` runs the whole course with papermill.
- ``helpers.exercises``: each notebook's exercises: checks that say what is wrong, hints, solutions.
- ``helpers.edition``: ``python -m helpers.edition`` writes the student, teacher's and Colab editions.
- ``helpers.colab``: the Colab edition's set-up: the course's clone on the path, only missing packages installed.
- ``helpers.python_check``: ``python -m helpers.python_check``, one line when this Python cannot run the course.
- ``helpers.handwriting``: MNIST's preparation (fit into 20 x 20, centre by mass) for any image.
- ``helpers.drawing``: the capstone's drawing pad widget, its panel, and reading photos.

Importing the package imports none of its modules, so ``import helpers`` is instant and never
imports TensorFlow. Import the module you need: ``from helpers import data``.
"""

__version__ = "1.0.0"
