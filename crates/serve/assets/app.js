// dossier serve: a click on a mark shows what it is, next to it (the pages work without this:
// the marks are links to the same explanations further down, and carry a hover title).
// No inline script, no eval, no network: only DOM nodes the server rendered are cloned.
"use strict";
document.addEventListener("click", (ev) => {
  const pop = document.getElementById("popover");
  if (!pop) return;
  const mark = ev.target.closest("[data-ref]");
  if (!mark) { pop.hidden = true; return; }
  // The innermost and the outer marks of the words: every layer is explained.
  const refs = [];
  for (let el = mark; el && el.dataset && el.dataset.ref; el = el.parentElement.closest("[data-ref]")) {
    if (!refs.includes(el.dataset.ref)) refs.push(el.dataset.ref);
  }
  pop.replaceChildren();
  for (const ref of refs) {
    const info = document.getElementById(ref);
    if (!info) continue;
    const item = document.createElement("div");
    item.className = "pop-item";
    item.append(...Array.from(info.childNodes, (n) => n.cloneNode(true)));
    pop.append(item);
  }
  if (!pop.childElementCount) { pop.hidden = true; return; }
  ev.preventDefault();
  const r = mark.getBoundingClientRect();
  pop.style.left = `${Math.max(8, window.scrollX + r.left)}px`;
  pop.style.top = `${window.scrollY + r.bottom + 6}px`;
  pop.hidden = false;
});
document.addEventListener("keydown", (ev) => {
  if (ev.key === "Escape") { const pop = document.getElementById("popover"); if (pop) pop.hidden = true; }
});
