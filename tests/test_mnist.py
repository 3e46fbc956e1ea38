"""nnbook.mnist: IDX files, the bundled network and digits, input checks, center_digit."""
from __future__ import annotations

import gzip
import hashlib
import json
import time

import numpy as np
import pytest

from nnbook import mnist
from nnbook.mnist import center_digit, load_digits, load_model, predict, probabilities, read_idx, to_input


def idx_bytes(type_byte: int, shape: tuple[int, ...], data: bytes) -> bytes:
    """An IDX file built by hand from the format description (not with the code under test)."""
    header = bytes([0, 0, type_byte, len(shape)]) + b"".join(n.to_bytes(4, "big") for n in shape)
    return header + data


@pytest.fixture(scope="module")
def digits():
    return load_digits()


@pytest.fixture(scope="module")
def raw_params():
    with np.load(mnist.WEIGHTS_FILE) as npz:
        return {k: npz[k].astype(np.float64) for k in ("w1", "b1", "w2", "b2")}


def plain_forward(p, x):
    """An independent forward pass written from the formulas: z = w x + b, relu, softmax."""
    out = []
    for xi in x:
        h = [max(0.0, float(z)) for z in p["w1"] @ xi + p["b1"]]
        z = p["w2"] @ np.array(h) + p["b2"]
        e = np.exp(z - z.max())
        out.append(e / e.sum())
    return np.array(out)


# ----------------------------------------------------------------- read_idx
def test_read_idx_uint8_images(tmp_path):
    data = bytes(range(2 * 3 * 4))
    path = tmp_path / "tiny-images-idx3-ubyte"
    path.write_bytes(idx_bytes(0x08, (2, 3, 4), data))
    a = read_idx(path)
    assert a.dtype == np.uint8 and a.shape == (2, 3, 4)
    assert a[1, 2, 3] == 23 and a[0, 1, 0] == 4


def test_read_idx_gz_labels(tmp_path):
    path = tmp_path / "tiny-labels-idx1-ubyte.gz"
    path.write_bytes(gzip.compress(idx_bytes(0x08, (5,), bytes([7, 2, 1, 0, 4]))))
    assert read_idx(path).tolist() == [7, 2, 1, 0, 4]


def test_read_idx_big_endian_int32(tmp_path):
    path = tmp_path / "ints-idx1"
    values = [1, -2, 70000]
    path.write_bytes(idx_bytes(0x0C, (3,), b"".join(v.to_bytes(4, "big", signed=True) for v in values)))
    assert read_idx(path).tolist() == values


@pytest.mark.parametrize(
    "content, words",
    [
        (b"\x01\x02\x08\x01", "not an IDX file"),
        (b"\x00\x00\x42\x01", "not an IDX file"),
        (idx_bytes(0x08, (4,), bytes(3)), "needs 4 data bytes, the file has 3"),
        (b"\x00\x00\x08\x03\x00\x00", "ends early"),
        (b"\x1f\x8b\x08garbage", "cannot be decompressed"),
        (b"", "not an IDX file"),
    ],
)
def test_read_idx_bad_files(tmp_path, content, words):
    path = tmp_path / "bad"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=words):
        read_idx(path)


def test_read_idx_missing_file(tmp_path):
    with pytest.raises(ValueError, match="cannot read IDX file"):
        read_idx(tmp_path / "nope")


# ----------------------------------------------------------------- bundled data and model
def test_bundled_files_match_model_json():
    info = json.loads((mnist.DATA_DIR / "model.json").read_text())
    total = 0
    for name, entry in info["files"].items():
        data = (mnist.DATA_DIR / name).read_bytes()
        total += len(data)
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], name
    assert total <= 2_000_000
    assert info["architecture"]["sizes"] == load_model().sizes
    assert info["n_heldout"] == len(load_digits()[1])


def test_digits(digits):
    images, labels = digits
    assert images.dtype == np.uint8 and images.shape == (2000, 28, 28)
    assert labels.shape == (2000,) and set(labels.tolist()) == set(range(10))
    assert np.bincount(labels).min() > 150  # every digit is well represented


def test_model(digits):
    net = load_model()
    assert net.sizes == [784, 256, 10]
    assert [layer.activation for layer in net.layers] == ["relu", "softmax"]
    assert load_model() is net  # loaded once


def test_heldout_accuracy(digits):
    images, labels = digits
    accuracy = float(np.mean(predict(images) == labels))
    info = json.loads((mnist.DATA_DIR / "model.json").read_text())
    assert accuracy >= 0.96
    assert accuracy == pytest.approx(info["heldout_accuracy"], abs=1e-4)


def test_predict_matches_plain_forward_pass(digits, raw_params):
    images, _ = digits
    x = images[:200].reshape(200, 784) / 255.0
    expected = plain_forward(raw_params, x)
    np.testing.assert_allclose(probabilities(images[:200]), expected, rtol=1e-9, atol=1e-12)
    assert predict(images[:200]).tolist() == np.argmax(expected, axis=1).tolist()


def test_predict_shapes_and_dtypes(digits):
    images, _ = digits
    one = images[3]
    expected = predict(images[:4]).tolist()
    assert isinstance(predict(one), int) and predict(one) == expected[3]
    assert predict(one.reshape(784)) == expected[3]
    assert predict(one / 255.0) == expected[3]
    assert predict(one.astype(np.float32) / 255) == expected[3]
    assert predict(one.astype(np.int64)) == expected[3]
    assert predict(one.tolist()) == expected[3]
    assert predict(images[:4].reshape(4, 784)).tolist() == expected
    assert predict(images[:4] / 255.0).tolist() == expected
    batch = predict(images[:1])
    assert isinstance(batch, np.ndarray) and batch.shape == (1,)
    assert probabilities(one).shape == (10,) and probabilities(images[:4]).shape == (4, 10)
    assert abs(float(probabilities(one).sum()) - 1) < 1e-12


def test_to_input_scales():
    x = to_input(np.array([[0, 51, 255] + [0] * 781], dtype=np.uint8))
    assert x.shape == (1, 784) and x.dtype == np.float64
    assert x[0, :3].tolist() == [0.0, 0.2, 1.0]


@pytest.mark.parametrize(
    "bad, error, words",
    [
        (np.zeros((3, 28, 28, 1)), ValueError, r"expected one image of shape \(28, 28\).*got shape \(3, 28, 28, 1\)"),
        (np.zeros((27, 28)), ValueError, r"got shape \(27, 28\)"),
        (np.zeros(783), ValueError, r"got shape \(783,\)"),
        (np.zeros((0, 28, 28)), ValueError, "expected at least one image"),
        (np.zeros((0, 784)), ValueError, "expected at least one image"),
        (np.zeros(0), ValueError, r"got shape \(0,\)"),
        (np.full((28, 28), np.nan), ValueError, "expected finite pixel values, got NaN or inf"),
        (np.full((28, 28), np.inf), ValueError, "expected finite pixel values"),
        (np.full((28, 28), -1, dtype=np.int16), ValueError, "expected int16 pixel values in 0..255, got values from -1"),
        (np.full((28, 28), 256, dtype=np.int32), ValueError, "in 0..255, got values from 256 to 256"),
        (np.full((28, 28), 255.0), ValueError, r"in 0..1.0, got values from 255.0 to 255.0 \(divide by 255"),
        (np.full((28, 28), -0.5), ValueError, "in 0..1.0, got values from -0.5"),
        (np.zeros((28, 28), dtype=bool), TypeError, "expected digit images as uint8 0..255 or floats 0..1, got dtype bool"),
        (np.full((28, 28), "a"), TypeError, "got dtype <U1"),
        (np.zeros((28, 28), dtype=complex), TypeError, "got dtype complex128"),
        ([[1, 2], [3]], ValueError, "rectangular"),
    ],
)
def test_bad_images(bad, error, words):
    with pytest.raises(error, match=words):
        to_input(bad)
    with pytest.raises(error, match=words):
        predict(bad)


# ----------------------------------------------------------------- bad data files
def write_npz(path, **arrays):
    np.savez_compressed(path, **arrays)
    return path


def good_params():
    rng = np.random.default_rng(1)
    return {"w1": rng.standard_normal((8, 784)), "b1": np.zeros(8), "w2": rng.standard_normal((10, 8)), "b2": np.zeros(10)}


def test_load_model_from_path(tmp_path, digits):
    path = write_npz(tmp_path / "w.npz", **good_params())
    net = load_model(path)
    assert net.sizes == [784, 8, 10] and net is not load_model()
    x = digits[0][:5].reshape(5, 784) / 255
    np.testing.assert_allclose(net.forward(x), plain_forward(good_params(), x), rtol=1e-9)


def test_load_model_bad_files(tmp_path):
    garbage = tmp_path / "garbage.npz"
    garbage.write_bytes(b"this is not a zip file at all")
    truncated = tmp_path / "truncated.npz"
    truncated.write_bytes(mnist.WEIGHTS_FILE.read_bytes()[:5000])
    params = good_params()
    cases = {
        tmp_path / "missing.npz": "no such file",
        garbage: "unreadable or corrupt",
        truncated: "unreadable or corrupt",
        write_npz(tmp_path / "nokeys.npz", w1=params["w1"]): r"missing \['b1', 'w2', 'b2'\]",
        write_npz(tmp_path / "shape.npz", **{**params, "w2": np.zeros((9, 8))}): r"expected w2 as floats of shape \(10, 8\).*got float64 \(9, 8\)",
        write_npz(tmp_path / "nan.npz", **{**params, "b1": np.full(8, np.nan)}): "expected finite numbers in b1",
        write_npz(tmp_path / "ints.npz", **{**params, "b2": np.zeros(10, dtype=int)}): "expected b2 as floats",
    }
    for path, words in cases.items():
        with pytest.raises(ValueError, match=words) as error:
            load_model(path)
        assert str(error.value).startswith("expected ") and str(path) in str(error.value)


def test_load_digits_bad_files(tmp_path):
    cases = {
        tmp_path / "missing.npz": "no such file",
        write_npz(tmp_path / "floats.npz", images=np.zeros((3, 28, 28)), labels=np.zeros(3, int)): r"uint8 \(n, 28, 28\).*got float64",
        write_npz(tmp_path / "labels.npz", images=np.zeros((3, 28, 28), np.uint8), labels=np.zeros(2, int)): "expected 3 integer labels",
        write_npz(tmp_path / "keys.npz", x=np.zeros(3)): r"missing \['images', 'labels'\]",
    }
    for path, words in cases.items():
        with pytest.raises(ValueError, match=words):
            load_digits(path)


# ----------------------------------------------------------------- center_digit
def centre_of_mass(d):
    r = np.arange(28)
    total = d.sum(dtype=np.float64)
    return float(d.sum(axis=1) @ r / total), float(d.sum(axis=0) @ r / total)


def ink_box(d):
    rows, cols = np.nonzero(d.any(axis=1))[0], np.nonzero(d.any(axis=0))[0]
    return rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1


def stroke_canvas(shape=(280, 280), seed=0):
    """A random scribble: thick line segments between random points, as a mouse would draw."""
    rng = np.random.default_rng(seed)
    canvas = np.zeros(shape)
    yy, xx = np.mgrid[: shape[0], : shape[1]]
    points = rng.uniform([0.1 * shape[0], 0.1 * shape[1]], [0.9 * shape[0], 0.6 * shape[1]], size=(4, 2))
    for (y0, x0), (y1, x1) in zip(points[:-1], points[1:]):
        for t in np.linspace(0, 1, 30):
            y, x = y0 + t * (y1 - y0), x0 + t * (x1 - x0)
            canvas[(yy - y) ** 2 + (xx - x) ** 2 <= 100] = 1.0
    return canvas


@pytest.mark.parametrize("seed", range(6))
def test_center_digit_properties(seed):
    d = center_digit(stroke_canvas(seed=seed))
    assert d.dtype == np.uint8 and d.shape == (28, 28)
    assert int(d.max()) == 255
    cy, cx = centre_of_mass(d)
    assert abs(cy - 14) <= 1 and abs(cx - 14) <= 1
    h, w = ink_box(d)
    assert max(h, w) == 20 and min(h, w) <= 20


def test_center_digit_keeps_aspect_ratio():
    canvas = np.zeros((100, 300), dtype=np.uint8)
    canvas[20:70, 10:210] = 200  # a 50 x 200 rectangle -> 5 x 20
    assert ink_box(center_digit(canvas)) == (5, 20)


def test_center_digit_small_drawing_is_scaled_up():
    canvas = np.zeros((50, 50))
    canvas[10:15, 20:22] = 0.5  # 5 x 2 -> 20 x 8
    d = center_digit(canvas)
    assert ink_box(d) == (20, 8) and int(d.max()) == 255


def test_center_digit_recovers_mnist_digits(digits):
    # An MNIST digit drawn large and off-centre on a canvas comes back as the same digit.
    images, labels = digits
    n = 200
    back = np.empty((n, 28, 28), np.uint8)
    for i in range(n):
        canvas = np.zeros((300, 280))
        canvas[40:292, 5:257] = np.kron(images[i] / 255.0, np.ones((9, 9)))
        back[i] = center_digit(canvas)
    assert np.mean(np.abs(back.astype(int) - images[:n])) < 2
    assert np.mean(predict(back) == predict(images[:n])) >= 0.97


def test_center_digit_blank():
    assert not center_digit(np.zeros((280, 280))).any()


def test_center_digit_is_fast():
    canvas = stroke_canvas()
    times = []
    for _ in range(21):
        start = time.perf_counter()
        center_digit(canvas)
        times.append(time.perf_counter() - start)
    assert np.median(times) < 0.010


@pytest.mark.parametrize(
    "bad, error, words",
    [
        (np.zeros((28, 28, 3)), ValueError, r"expected a non-empty 2-D grayscale drawing \(H, W\), got shape \(28, 28, 3\)"),
        (np.zeros((0, 5)), ValueError, r"got shape \(0, 5\)"),
        (np.zeros(10), ValueError, r"got shape \(10,\)"),
        (np.full((5, 5), np.nan), ValueError, "expected finite pixel values in the drawing"),
        (np.full((5, 5), -np.inf), ValueError, "expected finite pixel values"),
        (np.full((5, 5), -1.0), ValueError, "expected non-negative pixel values"),
        (np.full((5, 5), "x"), TypeError, "expected a grayscale drawing of numbers, got dtype <U1"),
    ],
)
def test_center_digit_bad_input(bad, error, words):
    with pytest.raises(error, match=words):
        center_digit(bad)
