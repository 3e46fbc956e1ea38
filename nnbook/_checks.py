"""Input checks shared by the nnbook modules (private).

Every public function turns its inputs into float arrays here, so that a
wrong shape, a string or a NaN is reported in the reader's terms ("expected
x of shape (3,)") instead of as a numpy broadcasting error from deep inside.
"""
from __future__ import annotations

import numbers

import numpy as np


def describe(value: object) -> str:
    """A short description of a value for error messages."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    return f"{type(value).__name__} {value!r:.60}"


def as_floats(value: object, name: str) -> np.ndarray:
    """Convert numbers, lists or arrays of numbers to a finite float array."""
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be a number or an array of numbers; got {describe(value)}")
    try:
        arr = np.asarray(value)
    except ValueError as exc:  # ragged nested lists
        raise ValueError(f"{name} must be a rectangular array of numbers; got {value!r:.60}") from exc
    if arr.dtype == bool or not (np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)):
        raise TypeError(f"{name} must contain real numbers; got {describe(arr)}")
    arr = arr.astype(float)
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty; got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain finite numbers (no NaN or inf); got {value!r:.60}")
    return arr


def as_float(value: object, name: str) -> float:
    """Convert one real number to a finite Python float."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number; got {describe(value)}")
    out = float(value)
    if not np.isfinite(out):
        raise ValueError(f"{name} must be a finite number; got {out}")
    return out


def fmt(values: np.ndarray, limit: int = 6) -> str:
    """Floats as a short list for reprs: [0.5, -1.0, 2.0] or [0.5, ..., 2.0] (784 values)."""
    flat = [round(float(v), 4) for v in np.ravel(values)]
    if len(flat) <= limit:
        return str(flat)
    return f"[{flat[0]}, {flat[1]}, ..., {flat[-1]}] ({len(flat)} values)"
