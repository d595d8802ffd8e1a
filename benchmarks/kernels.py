"""The Jupyter kernels a benchmarked process starts, and their memory (for benchmarks/notebooks.py and sweep.py)."""

from __future__ import annotations

import psutil


def kernel_memory(parent: psutil.Process) -> dict[int, tuple[int, int]] | None:
    """Every ipykernel below ``parent``, by process id: (resident bytes, its parent's process id).

    Returns None once ``parent`` has ended. A kernel that ends while it is read is left out.
    """
    try:
        children = parent.children(recursive=True)
    except psutil.NoSuchProcess:
        return None
    kernels = {}
    for child in children:
        try:
            if "ipykernel" in " ".join(child.cmdline()):
                kernels[child.pid] = (child.memory_info().rss, child.ppid())
        except psutil.Error:
            continue
    return kernels
