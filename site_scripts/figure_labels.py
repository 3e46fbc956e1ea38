"""The words drawn inside the chapter's figures, in every language of the site.

One entry per label: ``LABELS[figure][key][language]``. Only words live here;
symbols (x₁, w₁, b, y, σ, Σ) are the same in every language and stay in
``figures.py``. French uses a no-break space (U+00A0) before ":" as French
typography does, and the typographic apostrophe (’).
"""

from __future__ import annotations

LABELS: dict[str, dict[str, dict[str, str]]] = {
    "neuron-anatomy.svg": {
        "dendrites": {
            "en": "Dendrites",
            "fr": "Dendrites",
            "es": "Dendritas",
            "zh": "树突",
        },
        "soma": {
            "en": "Cell body (soma)",
            "fr": "Corps cellulaire (soma)",
            "es": "Cuerpo celular (soma)",
            "zh": "细胞体（胞体）",
        },
        "nucleus": {
            "en": "Nucleus",
            "fr": "Noyau",
            "es": "Núcleo",
            "zh": "细胞核",
        },
        "axon": {
            "en": "Axon",
            "fr": "Axone",
            "es": "Axón",
            "zh": "轴突",
        },
        "myelin": {
            "en": "Myelin sheath",
            "fr": "Gaine de myéline",
            "es": "Vaina de mielina",
            "zh": "髓鞘",
        },
        "ranvier": {
            "en": "Node of Ranvier",
            "fr": "Nœud de Ranvier",
            "es": "Nodo de Ranvier",
            "zh": "郎飞结",
        },
        "terminals": {
            "en": "Axon terminals",
            "fr": "Terminaisons axonales",
            "es": "Terminales axónicas",
            "zh": "轴突末梢",
        },
        "synapse": {
            "en": "Synapse",
            "fr": "Synapse",
            "es": "Sinapsis",
            "zh": "突触",
        },
    },
    "neuron-simple.svg": {
        "inputs": {
            "en": "Inputs from other neurons",
            "fr": "Entrées venant d’autres neurones",
            "es": "Entradas de otras neuronas",
            "zh": "来自其他神经元的输入",
        },
        "synapses": {
            "en": "Synapses (weights)",
            "fr": "Synapses (poids)",
            "es": "Sinapsis (pesos)",
            "zh": "突触（权重）",
        },
        "body": {
            "en": "Cell body: sum, then threshold",
            "fr": "Corps cellulaire\u00a0: somme, puis seuil",
            "es": "Cuerpo celular: suma y umbral",
            "zh": "细胞体：求和，再与阈值比较",
        },
        "output": {
            "en": "Output (axon)",
            "fr": "Sortie (axone)",
            "es": "Salida (axón)",
            "zh": "输出（轴突）",
        },
        "targets": {
            "en": "To other neurons",
            "fr": "Vers d’autres neurones",
            "es": "Hacia otras neuronas",
            "zh": "传向其他神经元",
        },
    },
    "neuron.svg": {
        "inputs": {"en": "Inputs", "fr": "Entrées", "es": "Entradas", "zh": "输入"},
        "weights": {"en": "Weights", "fr": "Poids", "es": "Pesos", "zh": "权重"},
        "bias": {"en": "Bias", "fr": "Biais", "es": "Sesgo", "zh": "偏置"},
        "sum": {
            "en": "Weighted sum",
            "fr": "Somme pondérée",
            "es": "Suma ponderada",
            "zh": "加权和",
        },
        "activation": {
            "en": "Activation",
            "fr": "Activation",
            "es": "Activación",
            "zh": "激活函数",
        },
        "output": {"en": "Output", "fr": "Sortie", "es": "Salida", "zh": "输出"},
    },
    "neural-net.svg": {
        "input": {
            "en": "Input layer",
            "fr": "Couche d’entrée",
            "es": "Capa de entrada",
            "zh": "输入层",
        },
        "hidden": {
            "en": "Hidden layer",
            "fr": "Couche cachée",
            "es": "Capa oculta",
            "zh": "隐藏层",
        },
        "output": {
            "en": "Output layer",
            "fr": "Couche de sortie",
            "es": "Capa de salida",
            "zh": "输出层",
        },
    },
    "mnist-input.svg": {
        "pixels": {
            "en": "28 × 28 = 784 pixels",
            "fr": "28 × 28 = 784 pixels",
            "es": "28 × 28 = 784 píxeles",
            "zh": "28 × 28 = 784 个像素",
        },
        "unroll": {
            "en": "unrolled, row by row",
            "fr": "déroulée ligne par ligne",
            "es": "desplegada fila a fila",
            "zh": "逐行展开",
        },
        "input_layer": {
            "en": "Input layer",
            "fr": "Couche d’entrée",
            "es": "Capa de entrada",
            "zh": "输入层",
        },
        "hidden_layer": {
            "en": "Hidden layer",
            "fr": "Couche cachée",
            "es": "Capa oculta",
            "zh": "隐藏层",
        },
        "output_layer": {
            "en": "Output layer",
            "fr": "Couche de sortie",
            "es": "Capa de salida",
            "zh": "输出层",
        },
        "inputs": {
            "en": "784 neurons",
            "fr": "784 neurones",
            "es": "784 neuronas",
            "zh": "784 个神经元",
        },
        "brightness": {
            "en": "brightness 0 to 1",
            "fr": "luminosité de 0 à 1",
            "es": "brillo de 0 a 1",
            "zh": "亮度 0 到 1",
        },
        "hidden": {
            "en": "256 neurons",
            "fr": "256 neurones",
            "es": "256 neuronas",
            "zh": "256 个神经元",
        },
        "outputs": {
            "en": "10 neurons",
            "fr": "10 neurones",
            "es": "10 neuronas",
            "zh": "10 个神经元",
        },
    },
}

# Decimal separator of numbers drawn on plot axes (French writes 0,5).
DECIMAL_SEPARATOR: dict[str, str] = {"en": ".", "fr": ",", "es": ".", "zh": "."}


def label(figure: str, key: str, lang: str) -> str:
    """The word for ``key`` in ``figure``, in ``lang``.

    >>> label("neuron-anatomy.svg", "axon", "fr")
    'Axone'
    """
    try:
        entry = LABELS[figure][key]
    except KeyError:
        raise KeyError(f"no label {key!r} for figure {figure!r}: add it to LABELS") from None
    if lang not in entry:
        raise KeyError(
            f"label {key!r} of {figure!r} has no {lang!r} text: add "
            f"'{lang}': '...' next to {sorted(entry)}"
        )
    return entry[lang]
