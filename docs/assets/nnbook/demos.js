/*
 * The chapter's interactive demos, driven by the page's Python (window.nnbook, cells.js).
 *
 * The chapter marks where a demo goes with
 *   <div class="nnbook-demo" data-nnbook-demo="stepper|mnist|draw"></div>
 * and this script fills it:
 *   stepper  a forward pass through the `network` cell's net, one step at a time;
 *   mnist    the bundled held-out digits, classified by the bundled network;
 *   draw     a digit drawn by the reader, classified as it is drawn.
 * The numbers and pictures come from python/demos.py (loaded into the page's Python as
 * the module `nnbook_demos`) and from the nnbook package; this file only shows them.
 *
 * Stable hooks (for tests and styles): the demo's data-nnbook-demo and data-state=
 * "loading|ready|error"; buttons data-nnbook-action="prev|next|new|random|clear"; the
 * stepper's data-step (0-based), data-steps and data-nnbook-origin="book|cell|example";
 * data-nnbook-prediction and data-nnbook-label; the drawing's data-nnbook-canvas; the
 * text of a step or an answer, for assistive technology, in data-nnbook-narration; the
 * loading or error message in data-nnbook-status.
 *
 * Not for: running Python or the code cells (cells.js, worker.js).
 */
(function () {
  "use strict";

  const STRINGS = {
    en: {
      join: ". ", // between sentences joined for screen readers
      loading: "Python is loading…",
      loadingProgress: "Python is loading… {progress}",
      waitingPython: "Waiting for Python…",
      failed: "This demo needs Python, which could not be started: {message}",
      demoError: "The demo stopped on an error: {message}",
      previous: "Previous",
      next: "Next",
      newExample: "New example",
      newExampleTitle: "Draw new random weights, input and target",
      random: "Random",
      clear: "Clear",
      stepOf: "Step {n} of {total}",
      stepperLabel: "Forward pass, step by step",
      stepperKeys: "Use the Previous and Next buttons, or the ← and → keys.",
      originBook: "Numbers: net, x and target from the book’s code above.",
      originCell: "Numbers: net, x and target from the cell above, as you last ran it.",
      originExample: "Numbers: random example {k}. Run the cell above to go back to its network.",
      cellRejected: "The demo could not use net, x and target from the cell above ({message}); it shows the previous numbers.",
      hiddenLayer: "the hidden layer",
      hiddenLayerN: "hidden layer {l}",
      outputLayer: "the output layer",
      stepData: "The data point: the input {x} and the target {t}, the output we would like the network to give for it.",
      stepDataNoTarget: "The data point: the input {x}. The cell defines no target.",
      stepParams: "The weights and biases of {layer}: one row of weights and one bias per neuron.",
      stepInputs: "The input values are placed in the input neurons: {values}.",
      stepNeuron: "{neuron}: each incoming value is multiplied by its weight, the products and the bias are added up:",
      stepActivation: "then the activation function gives the neuron’s output:",
      hiddenNeuron: "Neuron {n} of the hidden layer",
      hiddenNeuronL: "Neuron {n} of hidden layer {l}",
      outputNeuron: "The output neuron",
      outputNeuronN: "Output neuron {n}",
      stepOutput: "The network’s output: {y}.",
      stepError: "Compared with the target {t}: the error is {e} and the squared error is {s}.",
      netTitle: "Diagram of the {sizes} network, inputs on the left, output on the right",
      valuesTitle: "Diagram of the {sizes} network, each neuron showing its output y and its weighted sum z",
      neuronTitle: "Diagram of the {sizes} network, each neuron showing its output; neuron {index} of layer {layer} and its incoming connections are highlighted",
      mnistLabel: "Classifying held-out MNIST digits",
      digitNumber: "Digit number",
      ofCount: "of {count}",
      mnistKeys: "Use the buttons, the number field, or the ← and → keys.",
      mnistNetTitle: "Sketch of the 784-{hidden}-10 network: 784 pixels in, {hidden} hidden neurons, 10 outputs, one per digit",
      digitTitle: "Handwritten digit number {index} of the held-out set, 28 × 28 pixels",
      barsTitle: "The ten output probabilities, one per digit; the highest is for {prediction}",
      barsAlt: "The ten output probabilities, one per digit: {list}",
      predicted: "Predicted: {p}",
      trueLabel: "True label: {l}",
      right: "✓ right",
      wrong: "✗ wrong",
      accuracy: "{right} of {seen} right among the digits seen so far",
      drawLabel: "Draw a digit",
      canvasLabel: "Drawing area, a black square: draw a digit from 0 to 9 with the mouse, a pen or a finger. The network’s answer is announced below. Delete clears it.",
      drawPrompt: "Draw a digit from 0 to 9 in the black square.",
      drawInputTitle: "Your drawing as the network sees it: 28 × 28 pixels, centred like the MNIST digits",
      drawAnswer: "The network reads: {p} ({pct})",
      drawBlank: "Nothing drawn yet.",
      drawBarsTitle: "The ten output probabilities for your drawing; the highest is for {prediction}",
      inputCaption: "Network input (28 × 28)",
      outputCaption: "Output probabilities",
    },
    fr: {
      join: ". ",
      loading: "Python se charge…",
      loadingProgress: "Python se charge… {progress}",
      waitingPython: "En attente de Python…",
      failed: "Cette démonstration a besoin de Python, qui n’a pas pu démarrer : {message}",
      demoError: "La démonstration s’est arrêtée sur une erreur : {message}",
      previous: "Précédent",
      next: "Suivant",
      newExample: "Nouvel exemple",
      newExampleTitle: "Tirer au hasard de nouveaux poids, une nouvelle entrée et une nouvelle cible",
      random: "Au hasard",
      clear: "Effacer",
      stepOf: "Étape {n} sur {total}",
      stepperLabel: "La propagation avant, étape par étape",
      stepperKeys: "Utilisez les boutons Précédent et Suivant, ou les touches ← et →.",
      originBook: "Valeurs : net, x et target du code du livre ci-dessus.",
      originCell: "Valeurs : net, x et target de la cellule ci-dessus, telle que vous l’avez exécutée.",
      originExample: "Valeurs : exemple aléatoire n° {k}. Exécutez la cellule ci-dessus pour revenir à son réseau.",
      cellRejected: "La démonstration n’a pas pu utiliser net, x et target de la cellule ci-dessus ({message}) ; elle garde les valeurs précédentes.",
      hiddenLayer: "la couche cachée",
      hiddenLayerN: "la couche cachée {l}",
      outputLayer: "la couche de sortie",
      stepData: "La donnée : l’entrée {x} et la cible {t}, la sortie que l’on voudrait obtenir du réseau pour cette entrée.",
      stepDataNoTarget: "La donnée : l’entrée {x}. La cellule ne définit pas de cible.",
      stepParams: "Les poids et les biais de {layer} : une ligne de poids et un biais par neurone.",
      stepInputs: "Les valeurs d’entrée sont placées dans les neurones d’entrée : {values}.",
      stepNeuron: "{neuron} : chaque valeur reçue est multipliée par son poids, puis les produits et le biais sont additionnés :",
      stepActivation: "puis la fonction d’activation donne la sortie du neurone :",
      hiddenNeuron: "Neurone {n} de la couche cachée",
      hiddenNeuronL: "Neurone {n} de la couche cachée {l}",
      outputNeuron: "Le neurone de sortie",
      outputNeuronN: "Neurone de sortie {n}",
      stepOutput: "La sortie du réseau : {y}.",
      stepError: "Comparée à la cible {t} : l’erreur vaut {e} et l’erreur quadratique {s}.",
      netTitle: "Schéma du réseau {sizes}, les entrées à gauche, la sortie à droite",
      valuesTitle: "Schéma du réseau {sizes}, chaque neurone avec sa sortie y et sa somme pondérée z",
      neuronTitle: "Schéma du réseau {sizes}, chaque neurone avec sa sortie ; le neurone {index} de la couche {layer} et ses connexions entrantes sont mis en évidence",
      mnistLabel: "Classification de chiffres MNIST mis de côté",
      digitNumber: "Chiffre n°",
      ofCount: "sur {count}",
      mnistKeys: "Utilisez les boutons, le champ numérique ou les touches ← et →.",
      mnistNetTitle: "Esquisse du réseau 784-{hidden}-10 : 784 pixels en entrée, {hidden} neurones cachés, 10 sorties, une par chiffre",
      digitTitle: "Chiffre manuscrit n° {index} de l’ensemble mis de côté, 28 × 28 pixels",
      barsTitle: "Les dix probabilités de sortie, une par chiffre ; la plus haute est celle de {prediction}",
      barsAlt: "Les dix probabilités de sortie, une par chiffre : {list}",
      predicted: "Prédiction : {p}",
      trueLabel: "Vraie étiquette : {l}",
      right: "✓ juste",
      wrong: "✗ faux",
      accuracy: "Justes : {right} sur {seen} parmi les chiffres vus jusqu’ici",
      drawLabel: "Dessinez un chiffre",
      canvasLabel: "Zone de dessin, un carré noir : dessinez un chiffre de 0 à 9 à la souris, au stylet ou au doigt. La réponse du réseau est annoncée en dessous. La touche Suppr efface.",
      drawPrompt: "Dessinez un chiffre de 0 à 9 dans le carré noir.",
      drawInputTitle: "Votre dessin tel que le réseau le voit : 28 × 28 pixels, centré comme les chiffres MNIST",
      drawAnswer: "Le réseau lit : {p} ({pct})",
      drawBlank: "Rien n’est encore dessiné.",
      drawBarsTitle: "Les dix probabilités de sortie pour votre dessin ; la plus haute est celle de {prediction}",
      inputCaption: "Entrée du réseau (28 × 28)",
      outputCaption: "Probabilités de sortie",
    },
    es: {
      join: ". ",
      loading: "Python se está cargando…",
      loadingProgress: "Python se está cargando… {progress}",
      waitingPython: "Esperando a Python…",
      failed: "Esta demostración necesita Python, que no se pudo iniciar: {message}",
      demoError: "La demostración se detuvo por un error: {message}",
      previous: "Anterior",
      next: "Siguiente",
      newExample: "Nuevo ejemplo",
      newExampleTitle: "Elegir al azar nuevos pesos, una nueva entrada y un nuevo objetivo",
      random: "Al azar",
      clear: "Borrar",
      stepOf: "Paso {n} de {total}",
      stepperLabel: "La propagación hacia delante, paso a paso",
      stepperKeys: "Usa los botones Anterior y Siguiente, o las teclas ← y →.",
      originBook: "Valores: net, x y target del código del libro de arriba.",
      originCell: "Valores: net, x y target de la celda de arriba, tal como la ejecutaste por última vez.",
      originExample: "Valores: ejemplo aleatorio n.º {k}. Ejecuta la celda de arriba para volver a su red.",
      cellRejected: "La demostración no pudo usar net, x y target de la celda de arriba ({message}); muestra los valores anteriores.",
      hiddenLayer: "la capa oculta",
      hiddenLayerN: "la capa oculta {l}",
      outputLayer: "la capa de salida",
      stepData: "El dato: la entrada {x} y el objetivo {t}, la salida que quisiéramos que la red diera para ella.",
      stepDataNoTarget: "El dato: la entrada {x}. La celda no define ningún objetivo.",
      stepParams: "Los pesos y sesgos de {layer}: una fila de pesos y un sesgo por neurona.",
      stepInputs: "Los valores de entrada se colocan en las neuronas de entrada: {values}.",
      stepNeuron: "{neuron}: cada valor que recibe se multiplica por su peso, y los productos y el sesgo se suman:",
      stepActivation: "luego la función de activación da la salida de la neurona:",
      hiddenNeuron: "Neurona {n} de la capa oculta",
      hiddenNeuronL: "Neurona {n} de la capa oculta {l}",
      outputNeuron: "La neurona de salida",
      outputNeuronN: "Neurona de salida {n}",
      stepOutput: "La salida de la red: {y}.",
      stepError: "Comparada con el objetivo {t}: el error es {e} y el error cuadrático es {s}.",
      netTitle: "Diagrama de la red {sizes}, las entradas a la izquierda, la salida a la derecha",
      valuesTitle: "Diagrama de la red {sizes}, cada neurona con su salida y y su suma ponderada z",
      neuronTitle: "Diagrama de la red {sizes}, cada neurona con su salida; la neurona {index} de la capa {layer} y sus conexiones de entrada están resaltadas",
      mnistLabel: "Clasificación de dígitos MNIST reservados",
      digitNumber: "Dígito n.º",
      ofCount: "de {count}",
      mnistKeys: "Usa los botones, el campo numérico o las teclas ← y →.",
      mnistNetTitle: "Esquema de la red 784-{hidden}-10: 784 píxeles de entrada, {hidden} neuronas ocultas, 10 salidas, una por dígito",
      digitTitle: "Dígito manuscrito n.º {index} del conjunto reservado, 28 × 28 píxeles",
      barsTitle: "Las diez probabilidades de salida, una por dígito; la más alta es la del {prediction}",
      barsAlt: "Las diez probabilidades de salida, una por dígito: {list}",
      predicted: "Predicción: {p}",
      trueLabel: "Etiqueta real: {l}",
      right: "✓ acierto",
      wrong: "✗ error",
      accuracy: "Aciertos: {right} de {seen} entre los dígitos vistos hasta ahora",
      drawLabel: "Dibuja un dígito",
      canvasLabel: "Zona de dibujo, un cuadrado negro: dibuja un dígito del 0 al 9 con el ratón, un lápiz o el dedo. La respuesta de la red se anuncia debajo. La tecla Supr borra.",
      drawPrompt: "Dibuja un dígito del 0 al 9 en el cuadrado negro.",
      drawInputTitle: "Tu dibujo tal como lo ve la red: 28 × 28 píxeles, centrado como los dígitos MNIST",
      drawAnswer: "La red lee: {p} ({pct})",
      drawBlank: "Todavía no hay nada dibujado.",
      drawBarsTitle: "Las diez probabilidades de salida para tu dibujo; la más alta es la del {prediction}",
      inputCaption: "Entrada de la red (28 × 28)",
      outputCaption: "Probabilidades de salida",
    },
    zh: {
      join: "。",
      loading: "Python 正在加载…",
      loadingProgress: "Python 正在加载… {progress}",
      waitingPython: "正在等待 Python…",
      failed: "这个演示需要 Python，但 Python 无法启动：{message}",
      demoError: "演示因错误而停止：{message}",
      previous: "上一步",
      next: "下一步",
      newExample: "新例子",
      newExampleTitle: "随机生成新的权重、输入和目标值",
      random: "随机",
      clear: "清除",
      stepOf: "第 {n} 步，共 {total} 步",
      stepperLabel: "前向传播，逐步演示",
      stepperKeys: "使用“上一步”和“下一步”按钮，或 ← 和 → 键。",
      originBook: "数值：来自上方书中代码的 net、x 和 target。",
      originCell: "数值：来自上方单元（按你最后一次运行的版本）的 net、x 和 target。",
      originExample: "数值：随机例子 {k}。运行上方的单元即可回到它的网络。",
      cellRejected: "演示无法使用上方单元中的 net、x 和 target（{message}），仍显示之前的数值。",
      hiddenLayer: "隐藏层",
      hiddenLayerN: "第 {l} 个隐藏层",
      outputLayer: "输出层",
      stepData: "数据点：输入 {x}，以及目标值 {t}，即我们希望网络对这个输入给出的输出。",
      stepDataNoTarget: "数据点：输入 {x}。该单元没有定义目标值。",
      stepParams: "{layer}的权重和偏置：每个神经元一行权重和一个偏置。",
      stepInputs: "把输入值放进输入神经元：{values}。",
      stepNeuron: "{neuron}：每个传入的值乘以它的权重，再把这些乘积与偏置相加：",
      stepActivation: "然后激活函数给出该神经元的输出：",
      hiddenNeuron: "隐藏层的第 {n} 个神经元",
      hiddenNeuronL: "第 {l} 个隐藏层的第 {n} 个神经元",
      outputNeuron: "输出神经元",
      outputNeuronN: "第 {n} 个输出神经元",
      stepOutput: "网络的输出：{y}。",
      stepError: "与目标值 {t} 相比：误差为 {e}，平方误差为 {s}。",
      netTitle: "{sizes} 网络示意图，输入在左，输出在右",
      valuesTitle: "{sizes} 网络示意图，每个神经元标出其输出 y 和加权和 z",
      neuronTitle: "{sizes} 网络示意图，每个神经元标出其输出；第 {layer} 层的第 {index} 个神经元及其输入连接被突出显示",
      mnistLabel: "对留出的 MNIST 数字进行分类",
      digitNumber: "数字编号",
      ofCount: "共 {count} 个",
      mnistKeys: "使用按钮、编号输入框，或 ← 和 → 键。",
      mnistNetTitle: "784-{hidden}-10 网络简图：784 个像素输入，{hidden} 个隐藏神经元，10 个输出，每个数字一个",
      digitTitle: "留出集中编号为 {index} 的手写数字，28 × 28 像素",
      barsTitle: "十个输出概率，每个数字一个；最高的是 {prediction}",
      barsAlt: "十个输出概率，每个数字一个：{list}",
      predicted: "预测：{p}",
      trueLabel: "真实标签：{l}",
      right: "✓ 正确",
      wrong: "✗ 错误",
      accuracy: "目前看过的数字中，{seen} 个里有 {right} 个正确",
      drawLabel: "手写一个数字",
      canvasLabel: "绘图区，一个黑色方块：用鼠标、触控笔或手指画一个 0 到 9 的数字。网络的答案会在下方播报。按 Delete 键清除。",
      drawPrompt: "在黑色方块中画一个 0 到 9 的数字。",
      drawInputTitle: "网络看到的你的画：28 × 28 像素，像 MNIST 数字一样居中",
      drawAnswer: "网络认为是：{p}（{pct}）",
      drawBlank: "还没有画任何东西。",
      drawBarsTitle: "你的画对应的十个输出概率；最高的是 {prediction}",
      inputCaption: "网络输入（28 × 28）",
      outputCaption: "输出概率",
    },
  };

  const lang = (document.documentElement.lang || "en").toLowerCase().split("-")[0];
  const here = document.currentScript.src;
  const HELPERS_URL = new URL("python/demos.py", here).href;
  const NETWORK_CELL = "network"; // the cell that defines the stepper's net, x and target

  function t(key, vars = {}) {
    const text = (STRINGS[lang] && STRINGS[lang][key]) ?? STRINGS.en[key] ?? key;
    return text.replace(/\{(\w+)\}/g, (match, name) => (name in vars ? String(vars[name]) : match));
  }

  // A template whose {names} are filled with parts that may be math (see Narration).
  function parts(key, vars) {
    const text = (STRINGS[lang] && STRINGS[lang][key]) ?? STRINGS.en[key];
    return text.split(/(\{\w+\})/).filter(Boolean).map((piece) => {
      const name = /^\{(\w+)\}$/.exec(piece)?.[1];
      return name && name in vars ? vars[name] : piece;
    });
  }

  const percent = new Intl.NumberFormat(lang, { style: "percent", maximumFractionDigits: 0 });

  function element(tag, attributes = {}, text = "") {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    if (text) node.textContent = text;
    return node;
  }

  function button(action, label, icon, { iconAfter = false, title = "" } = {}) {
    const node = element("button", { type: "button", class: "nnbook-demo-button", "data-nnbook-action": action });
    if (title) node.title = title;
    const mark = element("span", { "aria-hidden": "true" }, icon);
    const text = element("span", {}, label);
    if (icon) node.append(...(iconAfter ? [text, mark] : [mark, text]));
    else node.append(text);
    return node;
  }

  // --- Python: the demos' helpers, loaded once into the page's Python -------------------

  // A JS value as a Python expression (through JSON, so strings are never code).
  const py = (value) => `__import__("json").loads(${JSON.stringify(JSON.stringify(value))})`;
  const helper = (call) => `__import__("nnbook_demos").${call}`;

  let helpersLoaded = null;

  function loadHelpers() {
    helpersLoaded ??= (async () => {
      if (!window.nnbook) throw new Error("cells.js");
      const [source] = await Promise.all([
        fetch(HELPERS_URL).then((r) => {
          if (!r.ok) throw new Error(`demos.py: HTTP ${r.status}`);
          return r.text();
        }),
        window.nnbook.ready,
      ]);
      // worker.js installs only the cells' helpers, so the demos' module is made here,
      // as `nnbook_demos` in sys.modules; the names used to make it are deleted.
      await window.nnbook.call([
        "import sys as _demo_sys, types as _demo_types, linecache as _demo_lines",
        `_demo_source = ${py(source)}`,
        '_demo_module = _demo_types.ModuleType("nnbook_demos")',
        '_demo_module.__file__ = "nnbook_demos.py"',
        '_demo_lines.cache["nnbook_demos.py"] = (len(_demo_source), None, _demo_source.splitlines(True), "nnbook_demos.py")',
        '_demo_sys.modules["nnbook_demos"] = _demo_module',
        'exec(compile(_demo_source, "nnbook_demos.py", "exec"), _demo_module.__dict__)',
        "del _demo_sys, _demo_types, _demo_lines, _demo_source, _demo_module",
      ].join("\n"));
    })();
    helpersLoaded.catch(() => { helpersLoaded = null; });
    return helpersLoaded;
  }

  async function pyCall(call) {
    await loadHelpers();
    return window.nnbook.call(helper(call));
  }

  // --- Loading state: every demo says what Python is doing until it is ready ------------

  // The page-level progress line that cells.js keeps up to date.
  const runtimeLine = document.querySelector(".nnbook-runbar [role='status']");
  const loadingViews = new Set();

  function loadingText() {
    const progress = runtimeLine?.dataset.state === "loading" ? runtimeLine.textContent.trim() : "";
    return progress ? t("loadingProgress", { progress }) : t("loading");
  }

  if (runtimeLine) {
    new MutationObserver(() => {
      for (const view of loadingViews) view.textContent = loadingText();
    }).observe(runtimeLine, { childList: true, characterData: true, subtree: true, attributes: true });
  }

  // The shared frame of a demo: a status line, a stage, controls, a live region.
  class Demo {
    constructor(root, label) {
      this.root = root;
      root.replaceChildren();
      root.setAttribute("role", "group");
      root.setAttribute("aria-label", label);
      root.dataset.state = "loading";
      // Not a live region while loading: the page's progress line already announces it.
      this.status = element("p", { class: "nnbook-demo-status", "data-nnbook-status": "" });
      this.stage = element("div", { class: "nnbook-demo-stage" });
      this.controls = element("div", { class: "nnbook-demo-controls" });
      // Announced to screen readers after each step or answer, as plain text.
      this.narration = element("p", { class: "nnbook-demo-sr", "aria-live": "polite", "data-nnbook-narration": "" });
      root.append(this.status, this.stage, this.controls, this.narration);
      this.showLoading();
    }

    showLoading() {
      this.root.dataset.state = "loading";
      this.status.hidden = false;
      this.status.textContent = loadingText();
      loadingViews.add(this.status);
    }

    ready() {
      loadingViews.delete(this.status);
      this.root.dataset.state = "ready";
      this.status.hidden = true;
      this.status.textContent = "";
    }

    fail(error, starting = false) {
      loadingViews.delete(this.status);
      this.root.dataset.state = "error";
      this.status.setAttribute("role", "alert");
      this.status.hidden = false;
      const message = error?.name && error.name !== "Error" ? `${error.name}: ${error.message}` : error?.message || String(error);
      this.status.textContent = t(starting ? "failed" : "demoError", { message });
    }

    async start() {
      try {
        await loadHelpers();
      } catch (error) {
        this.fail(error, true);
        return;
      }
      await this.refresh();
    }
  }

  // --- Narration: text with math, typeset by MathJax when the page has it ---------------

  // A piece of math: TeX for MathJax, plain text for screen readers and without MathJax.
  const math = (tex, plain, display = false) => ({ tex, plain, display });
  const hasMathJax = () => Boolean(window.MathJax && window.MathJax.typesetPromise);
  let typesetting = Promise.resolve();

  function writeNarration(box, blocks) {
    if (hasMathJax() && window.MathJax.typesetClear) window.MathJax.typesetClear([box]);
    box.replaceChildren(...blocks.map((block) => {
      const p = element("p");
      for (const part of block) {
        if (typeof part === "string") p.append(part);
        else if (hasMathJax()) {
          const open = part.display ? "\\[" : "\\(";
          const close = part.display ? "\\]" : "\\)";
          p.append(element(part.display ? "div" : "span", { class: "arithmatex" }, open + part.tex + close));
        } else p.append(element(part.display ? "div" : "span", { class: "nnbook-demo-math" }, part.plain));
      }
      return p;
    }));
    if (hasMathJax()) {
      typesetting = typesetting
        .then(() => window.MathJax.startup?.promise)
        .then(() => window.MathJax.typesetPromise([box]))
        .catch(() => {});
    }
    return blocks.map((block) => block.map((part) => (typeof part === "string" ? part : part.plain)).join("")).join(" ");
  }

  // Numbers arrive from Python as text with two decimals ("-0.60").
  const plainNumber = (v) => v.replace(/^-/, "−");
  const texNumber = (v) => v;
  const texFactor = (v) => (v.startsWith("-") ? `(${v})` : v);
  const plainFactor = (v) => (v.startsWith("-") ? `(${plainNumber(v)})` : v);
  const SUB = "₀₁₂₃₄₅₆₇₈₉";
  const sub = (n) => String(n).replace(/\d/g, (d) => SUB[d]);

  function vector(values) {
    return math(`(${values.map(texNumber).join(",\\ ")})`, `(${values.map(plainNumber).join(", ")})`);
  }

  // --- 1. The forward-pass stepper ------------------------------------------------------

  class Stepper extends Demo {
    constructor(root) {
      super(root, t("stepperLabel"));
      root.tabIndex = 0;
      this.step = 0;
      this.data = null;
      this.origin = null; // "book" | "cell" | "example"
      this.example = 0;
      this.figure = element("figure", { class: "nnbook-demo-figure" });
      this.image = element("img", { class: "nnbook-demo-network", alt: "" });
      this.figure.append(this.image);
      this.figure.hidden = true;
      this.text = element("div", { class: "nnbook-demo-narration", "aria-hidden": "true", hidden: "" });
      this.note = element("p", { class: "nnbook-demo-note" });
      this.stage.append(this.figure, this.text);
      this.buttons = {
        prev: button("prev", t("previous"), "◀"),
        next: button("next", t("next"), "▶", { iconAfter: true }),
        new: button("new", t("newExample"), "⟳", { title: t("newExampleTitle") }),
      };
      this.counter = element("span", { class: "nnbook-demo-counter" });
      this.controls.append(this.buttons.prev, this.counter, this.buttons.next, this.buttons.new);
      this.keys = element("p", { class: "nnbook-demo-hint" }, t("stepperKeys"));
      root.append(this.note, this.keys);
      this.buttons.prev.addEventListener("click", () => this.go(this.step - 1));
      this.buttons.next.addEventListener("click", () => this.go(this.step + 1));
      this.buttons.new.addEventListener("click", () => this.newExample());
      root.addEventListener("keydown", (event) => this.key(event));
      this.setEnabled(false);
      this.watchCell();
      this.start();
    }

    setEnabled(on) {
      for (const b of Object.values(this.buttons)) b.disabled = !on;
      if (on) this.updateButtons();
    }

    key(event) {
      if (event.altKey || event.ctrlKey || event.metaKey || !this.data) return;
      const move = { ArrowLeft: -1, ArrowRight: 1 }[event.key];
      if (!move) return;
      event.preventDefault();
      this.go(this.step + move);
    }

    get cell() {
      return document.querySelector(`[data-nnbook-cell="${NETWORK_CELL}"]`);
    }

    // The book's code of the cell, as the build wrote it (not the reader's edit).
    originalSource() {
      const node = this.cell?.querySelector("[data-nnbook-source]");
      if (!node) return null;
      if (node.tagName === "TEXTAREA") return node.value;
      const area = document.createElement("textarea");
      area.innerHTML = node.textContent;
      return area.value.replace(/^\n/, "");
    }

    // When the reader runs the cell (edited or not), the demo shows its net, x and target.
    watchCell() {
      const cell = this.cell;
      if (!cell) return;
      new MutationObserver((mutations) => {
        const finished = mutations.some((m) => m.oldValue !== "done") && cell.dataset.state === "done";
        if (finished) this.load("cell");
      }).observe(cell, { attributes: true, attributeFilter: ["data-state"], attributeOldValue: true });
    }

    titles() {
      return { net: t("netTitle"), values: t("valuesTitle"), neuron: t("neuronTitle") };
    }

    // After a restart too: the cell's names exist again only if it had run without error.
    refresh() {
      if (this.origin === "example") return this.load("example");
      if (this.cell?.dataset.state === "done") return this.load("cell");
      return this.load(this.originalSource() !== null ? "book" : "example");
    }

    newExample() {
      this.example += 1;
      return this.load("example");
    }

    async load(origin) {
      const titles = py(this.titles());
      const calls = {
        book: () => helper(`stepper_from_source(${py(this.originalSource())}, ${titles})`),
        cell: () => helper(`stepper(net, x, globals().get("target"), ${titles})`),
        example: () => helper(`stepper_example(${Math.max(this.example, 1)}, ${titles})`),
      };
      if (origin === "example" && this.example === 0) this.example = 1;
      this.loading = (this.loading || Promise.resolve()).then(async () => {
        try {
          await loadHelpers();
          const data = await window.nnbook.call(calls[origin]());
          this.data = data;
          this.origin = origin;
          this.root.dataset.nnbookOrigin = origin;
          this.note.textContent = origin === "example" ? t("originExample", { k: this.example })
            : t(origin === "cell" ? "originCell" : "originBook");
          this.ready();
          this.setEnabled(true);
          this.render();
        } catch (error) {
          if (origin === "cell" && this.data) {
            this.note.textContent = t("cellRejected", { message: `${error.name}: ${error.message}` });
          } else if (origin === "cell") {
            this.load("book"); // nothing shown yet: start from the book's code (queued next)
          } else {
            this.fail(error);
          }
        }
      });
      return this.loading;
    }

    // The steps: the data point, each layer's weights, the inputs, each neuron, the
    // output, and the error if there is a target.
    get steps() {
      const d = this.data;
      return [
        { kind: "data" },
        ...d.layers.map((_, i) => ({ kind: "params", layer: i + 1 })),
        { kind: "inputs" },
        ...d.trace.map((s) => ({ kind: "neuron", s })),
        { kind: "output" },
        ...(d.target ? [{ kind: "error" }] : []),
      ];
    }

    go(step) {
      if (!this.data) return;
      const steps = this.steps;
      this.step = Math.min(Math.max(step, 0), steps.length - 1);
      this.render();
    }

    updateButtons() {
      const total = this.data ? this.steps.length : 0;
      this.buttons.prev.disabled = this.step <= 0;
      this.buttons.next.disabled = this.step >= total - 1;
    }

    layerName(l) {
      const layers = this.data.layers.length;
      if (l === layers) return t("outputLayer");
      return layers === 2 ? t("hiddenLayer") : t("hiddenLayerN", { l });
    }

    neuronName(s) {
      const layers = this.data.layers.length;
      const n = s.index + 1;
      if (s.layer === layers) return this.data.sizes[layers] === 1 ? t("outputNeuron") : t("outputNeuronN", { n });
      return layers === 2 ? t("hiddenNeuron", { n }) : t("hiddenNeuronL", { n, l: s.layer });
    }

    // z = w1·x1 + … + b = numbers = z, and y = σ(z) = …, with the actual numbers.
    neuronMath(s) {
      const symbol = s.layer === 1 ? "x" : "h";
      const many = s.w.length > 6; // a wide layer: the first terms, …, the last one
      const shown = many ? [0, 1, 2, s.w.length - 1] : s.w.map((_, i) => i);
      const gap = (k) => many && k === 3;
      const texSymbols = shown.map((i, k) => (gap(k) ? "\\dots + " : "") + `w_{${i + 1}} ${symbol}_{${i + 1}}`).join(" + ");
      // On a narrow screen the products go two to a line.
      const perLine = this.text.clientWidth && this.text.clientWidth < 520 ? 2 : Infinity;
      const texTerms = shown.map((i, k) => (gap(k) ? "\\dots + " : "") + `${texFactor(s.w[i])} \\cdot ${texFactor(s.inputs[i])}`);
      const texValues = texTerms.map((term, k) => (k === 0 ? "" : k % perLine === 0 ? " \\\\ &\\quad {}+ " : " + ") + term).join("");
      const plainSymbols = shown.map((i, k) => (gap(k) ? "… + " : "") + `w${sub(i + 1)}·${symbol}${sub(i + 1)}`).join(" + ");
      const plainValues = shown.map((i, k) => (gap(k) ? "… + " : "") + `${plainFactor(s.w[i])}·${plainFactor(s.inputs[i])}`).join(" + ");
      const b = s.b.startsWith("-") ? ` - ${s.b.slice(1)}` : ` + ${s.b}`;
      const plainB = s.b.startsWith("-") ? ` − ${s.b.slice(1)}` : ` + ${s.b}`;
      const z = math(
        `\\begin{aligned} z &= ${texSymbols} + b \\\\ &= ${texValues}${b} \\\\ &= ${s.z} \\end{aligned}`,
        `z = ${plainSymbols} + b = ${plainValues}${plainB} = ${plainNumber(s.z)}`, true);
      const activation = {
        sigmoid: [`y = \\sigma(z) = \\sigma(${s.z}) = ${s.y}`, `y = σ(z) = σ(${plainNumber(s.z)}) = ${plainNumber(s.y)}`],
        relu: [`y = \\max(0, z) = \\max(0, ${s.z}) = ${s.y}`, `y = max(0, z) = max(0, ${plainNumber(s.z)}) = ${plainNumber(s.y)}`],
        linear: [`y = z = ${s.y}`, `y = z = ${plainNumber(s.y)}`],
        softmax: [`y = \\mathrm{softmax}(z)_{${s.index + 1}} = ${s.y}`, `y = softmax(z)${sub(s.index + 1)} = ${plainNumber(s.y)}`],
      }[s.activation] || [`y = ${s.y}`, `y = ${plainNumber(s.y)}`];
      return [z, math(activation[0], activation[1], true)];
    }

    blocks(step) {
      const d = this.data;
      const single = d.y.length === 1;
      const yMath = single ? math(`y = ${d.y[0]}`, `y = ${plainNumber(d.y[0])}`) : math(`y = ${vector(d.y).tex}`, `y = ${vector(d.y).plain}`);
      const tMath = d.target && (single ? math(`t = ${d.target[0]}`, `t = ${plainNumber(d.target[0])}`)
        : math(`t = ${vector(d.target).tex}`, `t = ${vector(d.target).plain}`));
      switch (step.kind) {
        case "data": {
          const x = math(`x = ${vector(d.x).tex}`, `x = ${vector(d.x).plain}`);
          return [d.target ? parts("stepData", { x, t: tMath }) : parts("stepDataNoTarget", { x })];
        }
        case "params": {
          const layer = d.layers[step.layer - 1];
          const rows = layer.w.map((row) => row.join(" & ")).join(" \\\\ ");
          const plainRows = layer.w.map((row) => row.map(plainNumber).join(", ")).join("; ");
          const w = math(
            `w = \\begin{pmatrix} ${rows} \\end{pmatrix}, \\quad b = \\begin{pmatrix} ${layer.b.join(" \\\\ ")} \\end{pmatrix}`,
            `w = [${plainRows}], b = [${layer.b.map(plainNumber).join("; ")}]`, true);
          return [parts("stepParams", { layer: this.layerName(step.layer) }), [w]];
        }
        case "inputs": {
          const tex = d.x.map((v, i) => `x_{${i + 1}} = ${v}`).join(",\\ ");
          const plain = d.x.map((v, i) => `x${sub(i + 1)} = ${plainNumber(v)}`).join(", ");
          return [parts("stepInputs", { values: math(tex, plain) })];
        }
        case "neuron": {
          const [z, y] = this.neuronMath(step.s);
          return [parts("stepNeuron", { neuron: this.neuronName(step.s) }), [z], [t("stepActivation")], [y]];
        }
        case "output":
          return [parts("stepOutput", { y: yMath })];
        case "error": {
          const e = single ? math(`y - t = ${d.y[0]} - ${texFactor(d.target[0])} = ${d.error[0]}`,
            `y − t = ${plainNumber(d.y[0])} − ${plainFactor(d.target[0])} = ${plainNumber(d.error[0])}`)
            : math(`y - t = ${vector(d.error).tex}`, `y − t = ${vector(d.error).plain}`);
          const s = single ? math(`(y - t)^2 = ${d.squared}`, `(y − t)² = ${d.squared}`)
            : math(`\\sum_k (y_k - t_k)^2 = ${d.squared}`, `Σ (yₖ − tₖ)² = ${d.squared}`);
          return [parts("stepError", { t: tMath, e, s })];
        }
      }
      return [];
    }

    picture(step) {
      const d = this.data;
      const sizes = d.sizes.join("-");
      if (step.kind === "neuron") {
        const { layer, index } = step.s;
        return [d.images[`${layer}-${index}`], t("neuronTitle", { sizes, layer, index: index + 1 })];
      }
      if (step.kind === "data" || step.kind === "params") return [d.images.plain, t("netTitle", { sizes })];
      return [d.images.values, t("valuesTitle", { sizes })];
    }

    render() {
      const steps = this.steps;
      this.step = Math.min(this.step, steps.length - 1);
      const step = steps[this.step];
      const [src, alt] = this.picture(step);
      this.image.src = src;
      this.image.alt = alt;
      this.figure.hidden = false;
      this.text.hidden = false;
      const counter = t("stepOf", { n: this.step + 1, total: steps.length });
      this.counter.textContent = counter;
      const plain = writeNarration(this.text, this.blocks(step));
      this.narration.textContent = `${counter}${t("join")}${plain}`;
      this.root.dataset.step = String(this.step);
      this.root.dataset.steps = String(steps.length);
      if (step.kind === "neuron") {
        this.root.dataset.nnbookLayer = String(step.s.layer);
        this.root.dataset.nnbookIndex = String(step.s.index);
      } else {
        delete this.root.dataset.nnbookLayer;
        delete this.root.dataset.nnbookIndex;
      }
      this.updateButtons();
    }
  }

  // --- 2. The MNIST classifier ----------------------------------------------------------

  function barsAlt(probabilities) {
    const list = probabilities.map((p, digit) => `${digit}: ${percent.format(p)}`).join(", ");
    return t("barsAlt", { list });
  }

  class Mnist extends Demo {
    constructor(root) {
      super(root, t("mnistLabel"));
      this.index = 0;
      this.count = 2000;
      this.seen = new Map(); // digit number -> predicted right?
      this.wanted = null; // the digit to show once the current one is shown
      const figure = (cls) => {
        const f = element("figure", { class: `nnbook-demo-figure ${cls}` });
        const img = element("img", { alt: "" });
        f.append(img);
        return [f, img];
      };
      const [digitFigure, digit] = figure("nnbook-demo-digit");
      const [netFigure, net] = figure("nnbook-demo-sketch");
      const [barsFigure, bars] = figure("nnbook-demo-bars");
      this.images = { digit, net, bars };
      this.grid = element("div", { class: "nnbook-demo-grid nnbook-demo-grid-3" });
      this.grid.append(digitFigure, netFigure, barsFigure);
      this.grid.hidden = true;
      this.result = element("p", { class: "nnbook-demo-result", "aria-hidden": "true" });
      this.score = element("p", { class: "nnbook-demo-score", "aria-hidden": "true" });
      this.stage.append(this.grid, this.result, this.score);

      this.buttons = {
        prev: button("prev", t("previous"), "◀"),
        next: button("next", t("next"), "▶", { iconAfter: true }),
        random: button("random", t("random"), "⤨"),
      };
      const id = `nnbook-digit-${Math.random().toString(36).slice(2, 8)}`;
      this.field = element("input", { type: "number", id, min: "0", max: String(this.count - 1), step: "1", value: "0", class: "nnbook-demo-number", inputmode: "numeric" });
      const label = element("label", { for: id, class: "nnbook-demo-field" }, t("digitNumber"));
      this.of = element("span", { class: "nnbook-demo-of" }, t("ofCount", { count: this.count }));
      const field = element("span", { class: "nnbook-demo-fieldset" });
      field.append(label, this.field, this.of);
      this.controls.append(this.buttons.prev, this.buttons.next, this.buttons.random, field);
      root.append(element("p", { class: "nnbook-demo-hint" }, t("mnistKeys")));
      this.buttons.prev.addEventListener("click", () => this.show(this.index - 1));
      this.buttons.next.addEventListener("click", () => this.show(this.index + 1));
      this.buttons.random.addEventListener("click", () => this.show(Math.floor(Math.random() * this.count)));
      this.field.addEventListener("change", () => {
        const i = Number.parseInt(this.field.value, 10);
        if (Number.isFinite(i)) this.show(i);
      });
      root.addEventListener("keydown", (event) => {
        if (event.target === this.field || event.altKey || event.ctrlKey || event.metaKey) return;
        const move = { ArrowLeft: -1, ArrowRight: 1 }[event.key];
        if (!move || this.root.dataset.state !== "ready") return;
        event.preventDefault();
        this.show(this.index + move);
      });
      this.setEnabled(false);
      this.start();
    }

    setEnabled(on) {
      for (const b of Object.values(this.buttons)) b.disabled = !on;
      this.field.disabled = !on;
    }

    async refresh() {
      try {
        const net = await pyCall(`mnist_network(${py(t("mnistNetTitle"))})`);
        this.images.net.src = net.image;
        this.images.net.alt = t("mnistNetTitle", { hidden: net.sizes[1] });
        await this.render(this.index);
        this.ready();
        this.setEnabled(true);
      } catch (error) {
        this.fail(error);
      }
    }

    // Clicks while Python works are not queued one by one: the last one wins.
    async show(i) {
      this.index = ((i % this.count) + this.count) % this.count;
      this.field.value = String(this.index);
      if (this.busy) {
        this.wanted = this.index;
        return;
      }
      this.busy = true;
      try {
        await this.render(this.index);
        while (this.wanted !== null) {
          const next = this.wanted;
          this.wanted = null;
          await this.render(next);
        }
      } catch (error) {
        this.fail(error);
      } finally {
        this.busy = false;
      }
    }

    async render(i) {
      const titles = { digit: t("digitTitle"), bars: t("barsTitle") };
      const d = await pyCall(`mnist_digit(${Number(i)}, ${py(titles)})`);
      this.count = d.count;
      this.field.max = String(d.count - 1);
      this.of.textContent = t("ofCount", { count: d.count });
      this.images.digit.src = d.digit;
      this.images.digit.alt = t("digitTitle", { index: d.index, label: d.label });
      this.images.bars.src = d.bars;
      this.images.bars.alt = barsAlt(d.probabilities);
      this.grid.hidden = false;
      const ok = d.prediction === d.label;
      this.seen.set(d.index, ok);
      const right = [...this.seen.values()].filter(Boolean).length;
      const verdict = t(ok ? "right" : "wrong");
      const result = `${t("predicted", { p: d.prediction })} · ${t("trueLabel", { l: d.label })} · ${verdict}`;
      this.result.replaceChildren(element("span", { class: ok ? "nnbook-demo-right" : "nnbook-demo-wrong" }, result));
      const score = t("accuracy", { right, seen: this.seen.size });
      this.score.textContent = score;
      this.narration.textContent = [`${t("digitNumber")} ${d.index}`, result, score].join(t("join")) + t("join").trim();
      this.root.dataset.nnbookIndex = String(d.index);
      this.root.dataset.nnbookPrediction = String(d.prediction);
      this.root.dataset.nnbookLabel = String(d.label);
    }
  }

  // --- 3. Draw a digit ------------------------------------------------------------------

  const CANVAS = 280; // CSS pixels of the drawing area (it shrinks on narrow screens)
  const SCALE = 2; // its backing store is twice as fine, for sharp strokes
  const SENT = 56; // the drawing goes to Python as SENT x SENT grey bytes (area averages)
  const BRUSH = 22; // CSS pixels: about 2 px of MNIST's 20 px box for a full-height digit
  const THROTTLE = 60; // ms between two classifications while drawing

  class Draw extends Demo {
    constructor(root) {
      super(root, t("drawLabel"));
      this.canvas = element("canvas", {
        width: String(CANVAS * SCALE), height: String(CANVAS * SCALE), tabindex: "0", role: "img",
        "aria-label": t("canvasLabel"), "data-nnbook-canvas": "", class: "nnbook-demo-canvas",
      });
      this.ctx = this.canvas.getContext("2d", { willReadFrequently: true });
      this.blank();
      const pad = element("div", { class: "nnbook-demo-pad" });
      this.buttons = { clear: button("clear", t("clear"), "⌫") };
      pad.append(this.canvas);
      const figure = (cls, caption) => {
        const f = element("figure", { class: `nnbook-demo-figure ${cls}` });
        const img = element("img", { alt: "" });
        f.append(img, element("figcaption", {}, caption));
        return [f, img];
      };
      const [inputFigure, input] = figure("nnbook-demo-digit", t("inputCaption"));
      const [barsFigure, bars] = figure("nnbook-demo-bars", t("outputCaption"));
      this.images = { input, bars };
      this.figures = [inputFigure, barsFigure];
      this.grid = element("div", { class: "nnbook-demo-grid nnbook-demo-grid-draw" });
      this.grid.append(pad, inputFigure, barsFigure);
      this.answer = element("p", { class: "nnbook-demo-result", "aria-hidden": "true" }, t("drawPrompt"));
      this.stage.append(this.grid);
      this.controls.append(this.buttons.clear);
      pad.append(this.controls, this.answer); // Clear and the answer sit under the drawing
      this.buttons.clear.addEventListener("click", () => this.clear());
      this.canvas.addEventListener("keydown", (event) => {
        if (event.key === "Delete" || event.key === "Backspace") {
          event.preventDefault();
          this.clear();
        }
      });
      this.listen();
      this.inked = false;
      this.pending = false; // the drawing changed since it was last sent
      this.sending = null;
      this.lastSent = 0;
      this.showFigures(false);
      this.narration.textContent = t("drawPrompt");
      this.start();
    }

    // Drawing works before Python is ready; the answer follows once it is.
    async refresh() {
      this.ready();
      if (this.inked) this.classify();
    }

    blank() {
      this.ctx.fillStyle = "#000";
      this.ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    }

    showFigures(on) {
      for (const f of this.figures) f.classList.toggle("nnbook-demo-empty", !on);
    }

    point(event) {
      const box = this.canvas.getBoundingClientRect();
      return [(event.clientX - box.left) * (this.canvas.width / box.width),
        (event.clientY - box.top) * (this.canvas.height / box.height)];
    }

    listen() {
      let last = null;
      const c = this.canvas;
      const stroke = (from, to) => {
        const ctx = this.ctx;
        ctx.strokeStyle = "#fff";
        ctx.fillStyle = "#fff";
        ctx.lineWidth = BRUSH * SCALE * (c.width / (CANVAS * SCALE));
        ctx.lineCap = "round";
        ctx.lineJoin = "round";
        ctx.beginPath();
        ctx.moveTo(...from);
        ctx.lineTo(...to);
        ctx.stroke();
      };
      c.addEventListener("pointerdown", (event) => {
        if (event.button !== 0) return;
        event.preventDefault();
        c.setPointerCapture(event.pointerId);
        c.focus({ preventScroll: true });
        last = this.point(event);
        stroke(last, last);
        this.changed();
      });
      c.addEventListener("pointermove", (event) => {
        if (!last) return;
        const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [event];
        for (const e of events.length ? events : [event]) {
          const p = this.point(e);
          stroke(last, p);
          last = p;
        }
        this.changed();
      });
      const end = () => {
        if (!last) return;
        last = null;
        this.changed(true);
      };
      c.addEventListener("pointerup", end);
      c.addEventListener("pointercancel", end);
    }

    changed(now = false) {
      this.inked = true;
      this.pending = true;
      if (this.root.dataset.state !== "ready") return;
      if (now || performance.now() - this.lastSent >= THROTTLE) this.classify();
      else if (!this.timer) {
        this.timer = setTimeout(() => {
          this.timer = null;
          this.classify();
        }, THROTTLE);
      }
    }

    // The canvas as SENT x SENT grey bytes: the average of each block of pixels.
    pixels() {
      const { width, height } = this.canvas;
      const rgba = this.ctx.getImageData(0, 0, width, height).data;
      const block = width / SENT;
      const sums = new Float64Array(SENT * SENT);
      for (let y = 0; y < height; y++) {
        const row = Math.floor(y / block) * SENT;
        for (let x = 0; x < width; x++) sums[row + Math.floor(x / block)] += rgba[(y * width + x) * 4];
      }
      const bytes = new Uint8Array(SENT * SENT);
      const area = block * block;
      for (let i = 0; i < bytes.length; i++) bytes[i] = Math.round(sums[i] / area);
      let text = "";
      for (let i = 0; i < bytes.length; i += 4096) text += String.fromCharCode(...bytes.subarray(i, i + 4096));
      return btoa(text);
    }

    // One request at a time; strokes drawn meanwhile are sent when it returns.
    async classify() {
      if (this.sending || !this.pending) return;
      this.pending = false;
      this.lastSent = performance.now();
      const titles = { digit: t("drawInputTitle"), bars: t("drawBarsTitle") };
      this.sending = pyCall(`classify_drawing(${py(this.pixels())}, ${SENT}, ${py(titles)})`);
      try {
        this.show(await this.sending);
      } catch (error) {
        this.fail(error);
      } finally {
        this.sending = null;
      }
      if (this.pending) this.changed(true);
    }

    show(r) {
      if (!this.inked || r.blank) {
        this.reset();
        return;
      }
      this.images.input.src = r.digit;
      this.images.input.alt = t("drawInputTitle");
      this.images.bars.src = r.bars;
      this.images.bars.alt = barsAlt(r.probabilities);
      this.showFigures(true);
      const text = t("drawAnswer", { p: r.prediction, pct: percent.format(r.probabilities[r.prediction]) });
      this.answer.textContent = text;
      this.narration.textContent = text;
      this.root.dataset.nnbookPrediction = String(r.prediction);
      this.root.dataset.nnbookMs = String(r.ms);
    }

    reset() {
      this.images.input.removeAttribute("src");
      this.images.bars.removeAttribute("src");
      this.showFigures(false);
      this.answer.textContent = t("drawPrompt");
      this.narration.textContent = t("drawBlank");
      delete this.root.dataset.nnbookPrediction;
    }

    clear() {
      this.blank();
      this.inked = false;
      this.pending = false;
      clearTimeout(this.timer);
      this.timer = null;
      this.reset();
      this.canvas.focus({ preventScroll: true });
    }
  }

  // --- The page -------------------------------------------------------------------------

  const KINDS = { stepper: Stepper, mnist: Mnist, draw: Draw };
  const demos = [];
  for (const root of document.querySelectorAll("[data-nnbook-demo]")) {
    const Kind = KINDS[root.dataset.nnbookDemo];
    if (Kind) demos.push(new Kind(root));
  }

  // A Stop restarted Python: the demos' module and names are gone; make them again.
  window.nnbook?.onRestart(() => {
    helpersLoaded = null;
    for (const demo of demos) demo.start();
  });
})();
