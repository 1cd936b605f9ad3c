/*
 * Full-screen viewer for the build-time diagrams (overrides/hooks/diagrams.py writes
 * <figure class="fg-diagram"> with a button around the light and dark images) and figures
 * (overrides/hooks/figures.py writes <figure class="fg-figure"> with the same button).
 * Click, tap, Enter or Space on a diagram opens it in a modal <dialog>: zoom with the buttons,
 * the wheel, a pinch or + / - / 0; pan by dragging or with the arrow keys; Esc closes and focus
 * returns to the diagram. One delegated listener, so instant navigation needs nothing more.
 */
(() => {
  "use strict";

  const STEP = 1.25;
  let dialog = null;
  let view = null;

  function visibleImage(button) {
    return [...button.querySelectorAll("img")].find((img) => img.offsetParent !== null)
      || button.querySelector("img");
  }

  function build() {
    dialog = document.createElement("dialog");
    dialog.className = "fg-viewer";
    dialog.setAttribute("aria-labelledby", "fg-viewer-title");
    dialog.innerHTML = `
      <div class="fg-viewer__bar">
        <span class="fg-viewer__title" id="fg-viewer-title"></span>
        <button type="button" data-act="out" aria-label="Zoom out">−</button>
        <button type="button" data-act="in" aria-label="Zoom in">+</button>
        <button type="button" data-act="fit">Fit</button>
        <button type="button" data-act="actual">1:1</button>
        <a class="fg-viewer__legend" href="#">Colours</a>
        <button type="button" data-act="close">Close</button>
      </div>
      <div class="fg-viewer__stage" tabindex="0" role="img"></div>`;
    document.body.appendChild(dialog);
    const stage = dialog.querySelector(".fg-viewer__stage");
    dialog.addEventListener("click", (event) => {
      const act = event.target.closest("[data-act]")?.dataset.act;
      if (act === "close") dialog.close();
      else if (act === "in") zoom(STEP);
      else if (act === "out") zoom(1 / STEP);
      else if (act === "fit") fit();
      else if (act === "actual") { view.scale = 1; center(); }
    });
    dialog.querySelector(".fg-viewer__legend").addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => { view?.returnTo?.focus(); view = null; });
    stage.addEventListener("keydown", (event) => {
      const pan = { ArrowLeft: [40, 0], ArrowRight: [-40, 0], ArrowUp: [0, 40], ArrowDown: [0, -40] }[event.key];
      if (pan) { view.x += pan[0]; view.y += pan[1]; apply(); event.preventDefault(); }
      else if (event.key === "+" || event.key === "=") { zoom(STEP); event.preventDefault(); }
      else if (event.key === "-") { zoom(1 / STEP); event.preventDefault(); }
      else if (event.key === "0") { fit(); event.preventDefault(); }
    });
    stage.addEventListener("wheel", (event) => {
      event.preventDefault();
      const box = stage.getBoundingClientRect();
      zoom(event.deltaY < 0 ? STEP : 1 / STEP, event.clientX - box.left, event.clientY - box.top);
    }, { passive: false });
    const pointers = new Map();
    let pinch = 0;
    stage.addEventListener("pointerdown", (event) => {
      stage.setPointerCapture(event.pointerId);
      pointers.set(event.pointerId, [event.clientX, event.clientY]);
    });
    stage.addEventListener("pointermove", (event) => {
      const last = pointers.get(event.pointerId);
      if (!last) return;
      pointers.set(event.pointerId, [event.clientX, event.clientY]);
      if (pointers.size === 2) {
        const [a, b] = [...pointers.values()];
        const distance = Math.hypot(a[0] - b[0], a[1] - b[1]);
        if (pinch) zoom(distance / pinch);
        pinch = distance;
      } else {
        view.x += event.clientX - last[0];
        view.y += event.clientY - last[1];
        apply();
      }
    });
    const release = (event) => { pointers.delete(event.pointerId); pinch = 0; };
    stage.addEventListener("pointerup", release);
    stage.addEventListener("pointercancel", release);
  }

  function stageBox() {
    return dialog.querySelector(".fg-viewer__stage").getBoundingClientRect();
  }

  function apply() {
    view.img.style.transform = `translate(${view.x}px, ${view.y}px) scale(${view.scale})`;
  }

  function center() {
    const box = stageBox();
    view.x = (box.width - view.width * view.scale) / 2;
    view.y = Math.max(0, (box.height - view.height * view.scale) / 2);
    apply();
  }

  function fit() {
    const box = stageBox();
    view.scale = Math.min(box.width / view.width, box.height / view.height) * 0.95;
    center();
  }

  function zoom(factor, cx, cy) {
    const box = stageBox();
    const px = cx ?? box.width / 2;
    const py = cy ?? box.height / 2;
    const next = Math.min(8, Math.max(0.2, view.scale * factor));
    view.x = px - ((px - view.x) * next) / view.scale;
    view.y = py - ((py - view.y) * next) / view.scale;
    view.scale = next;
    apply();
  }

  function open(button) {
    if (!dialog) build();
    const source = visibleImage(button);
    const figure = button.closest(".fg-diagram, .fg-figure");
    const img = source.cloneNode();
    img.removeAttribute("loading");
    img.removeAttribute("class");
    img.alt = source.alt;
    const stage = dialog.querySelector(".fg-viewer__stage");
    stage.replaceChildren(img);
    stage.setAttribute("aria-label", source.alt);
    dialog.querySelector(".fg-viewer__title").textContent =
      button.getAttribute("aria-label").replace(/^Open full screen: /, "");
    // Diagrams link to the palette's legend; a chart (figure.fg-figure) has its own legend, so no link.
    const legend = dialog.querySelector(".fg-viewer__legend");
    legend.href = figure?.dataset.legend || "#";
    legend.hidden = !figure?.dataset.legend;
    const width = Number(source.getAttribute("width")) || source.naturalWidth;
    const height = Number(source.getAttribute("height")) || source.naturalHeight;
    img.style.width = `${width}px`;
    img.style.height = `${height}px`;
    view = { img, width, height, scale: 1, x: 0, y: 0, returnTo: button };
    dialog.showModal();
    fit();
    if (view.scale < 1) { view.scale = Math.max(view.scale, Math.min(1, stageBox().width / width)); center(); }
    stage.focus();
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest(".fg-diagram__open");
    if (button) open(button);
  });
})();
