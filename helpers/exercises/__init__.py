"""Self-checking exercises: one module per notebook, and the machinery they share.

A notebook imports its own module and checks an answer in one line::

    from helpers.exercises.notebook_01 import exercise_1, exercise_2, exercise_3
    exercise_1.check(rarest_digit, rarest_share, labels=y_train)

Each exercise also offers ``.hint()`` and ``.solution()``. :mod:`helpers.exercises.core` holds the
machinery; ``notebook_00`` to ``notebook_13`` hold the checks. Importing this package imports none
of them, and none imports TensorFlow.
"""

#: The modules that hold each notebook's exercises, by notebook number.
MODULES = {f"{number:02d}": f"helpers.exercises.notebook_{number:02d}" for number in range(0, 15)}
