"""``python -m helpers.python_check``: one clear line when this Python cannot run the course.

The README's setup runs it before it makes the virtual environment, so that a learner on an
unsupported Python reads which versions work and where to get one, instead of pip's resolver error
about a TensorFlow or NumPy version it cannot find. It is written for any Python 3, so that it
runs on the very versions it turns away.
"""

import sys

#: The Python versions the course supports: the ones every pinned package has wheels for.
SUPPORTED = ((3, 11), (3, 12), (3, 13))


def problem(version=None):
    """The one-line reason this Python cannot run the course, or ``None`` when it can.

    Args:
        version: A ``(major, minor)`` pair; the running Python's when omitted.

    Returns:
        The message, or ``None``.
    """
    major, minor = tuple(version or sys.version_info[:2])
    if (major, minor) in SUPPORTED:
        return None
    names = ", ".join("%d.%d" % pair for pair in SUPPORTED[:-1]) + " or %d.%d" % SUPPORTED[-1]
    return ("This is Python %d.%d; the course needs Python %s (the pinned TensorFlow 2.21 and Keras "
            "3.15 install on no other). Install one from https://www.python.org/downloads/ (on Windows, "
            "'py -3.12' then runs it), then run the setup again with it." % (major, minor, names))


def main():
    message = problem()
    if message:
        sys.stderr.write(message + "\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
