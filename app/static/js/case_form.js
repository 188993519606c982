// Live PHI check for the case form: while the clinician types (debounced), each field is checked
// on the server; findings are highlighted in place (a backdrop behind the transparent textarea)
// and listed with "Redact" and, for "likely" findings, "Not PHI". The server checks again on save.
(() => {
  const form = document.getElementById("case-form");
  if (!form) return;
  const checkUrl = form.dataset.checkUrl;
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const waiverBox = document.getElementById("waivers");
  const redactAllBar = form.querySelector(".redact-all-bar");
  const state = {};  // field -> findings [{start, end, label, certainty, text}]
  const timers = {};
  const DELAY_MS = 400;
  form.classList.add("js");

  const placeholder = (label) => (label === "AGE" ? "90+" : `[${label}]`);
  const keyOf = (field, f) => `${field}:${f.start}:${f.end}:${f.label}`;
  const waivers = () => [...waiverBox.querySelectorAll('input[name="waive"]')];
  const isWaived = (field, f) => waivers().some((input) => input.value === keyOf(field, f));

  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  }

  function syncBackdropStyle(textarea, backdrop) {
    const style = getComputedStyle(textarea);
    for (const prop of ["fontFamily", "fontSize", "fontWeight", "lineHeight", "letterSpacing", "paddingTop",
      "paddingRight", "paddingBottom", "paddingLeft", "borderTopWidth", "borderRightWidth", "borderBottomWidth",
      "borderLeftWidth", "wordSpacing", "tabSize"]) {
      backdrop.style[prop] = style[prop];
    }
  }

  function renderField(field) {
    const wrapper = form.querySelector(`.phi-field[data-field="${field}"]`);
    const textarea = wrapper.querySelector("textarea");
    const backdrop = wrapper.querySelector(".phi-backdrop");
    const list = wrapper.querySelector(".phi-findings");
    const text = textarea.value;
    const findings = state[field] || [];
    let html = "";
    let position = 0;
    for (const f of findings) {
      const kind = isWaived(field, f) ? "waived" : f.certainty;
      html += escapeHtml(text.slice(position, f.start));
      html += `<mark class="phi-${kind}">${escapeHtml(text.slice(f.start, f.end))}</mark>`;
      position = f.end;
    }
    backdrop.innerHTML = html + escapeHtml(text.slice(position)) + "\n";
    backdrop.scrollTop = textarea.scrollTop;
    list.innerHTML = findings.length ? "<ul>" + findings.map((f, i) => findingItem(field, f, i, text)).join("") + "</ul>" : "";
    textarea.setAttribute("aria-invalid", findings.some((f) => !isWaived(field, f)) ? "true" : "false");
    redactAllBar.hidden = !Object.keys(state).some((name) => (state[name] || []).some((f) => !isWaived(name, f)));
  }

  function findingItem(field, f, index, text) {
    const snippet = escapeHtml(text.slice(f.start, f.end));
    if (isWaived(field, f)) {
      return `<li class="phi-finding waived"><mark>${snippet}</mark> <span class="phi-label">${f.label}</span>
        <span class="phi-note">marked not PHI</span>
        <button type="button" class="outline small" data-undo="${field}:${index}">Undo</button></li>`;
    }
    const waive = f.certainty === "likely"
      ? `<button type="button" class="outline secondary small" data-waive="${field}:${index}">Not PHI</button>` : "";
    return `<li class="phi-finding ${f.certainty}"><mark>${snippet}</mark> <span class="phi-label">${f.label}</span>
      <button type="button" class="outline small" data-redact="${field}:${index}"
        aria-label="Redact ${snippet} (${f.label})">Redact</button> ${waive}</li>`;
  }

  async function check(fields) {
    const payload = {};
    for (const field of fields) payload[field] = form.elements[field].value;
    const response = await fetch(checkUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify({ fields: payload }),
    });
    if (!response.ok) return;
    const body = await response.json();
    for (const field of fields) {
      if (form.elements[field].value !== payload[field]) continue;  // typed on meanwhile: a newer check follows
      const old = state[field] || [];
      state[field] = body.fields[field];
      carryWaivers(field, old, payload[field]);
      renderField(field);
    }
  }

  // A waiver names offsets; when text before it changes, move it to the same words' new offsets.
  function carryWaivers(field, oldFindings, text) {
    for (const input of waivers().filter((i) => i.value.startsWith(field + ":"))) {
      const [, start, end, label] = input.value.split(":");
      const snippet = input.dataset.text;
      const still = state[field].find((f) => `${f.start}` === start && `${f.end}` === end && f.label === label);
      if (still) continue;
      const moved = state[field].find((f) => f.label === label && f.certainty === "likely"
        && snippet !== undefined && text.slice(f.start, f.end) === snippet);
      if (moved) input.value = keyOf(field, moved); else input.remove();
    }
  }

  function redactOne(field, finding) {
    const textarea = form.elements[field];
    const text = textarea.value;
    textarea.value = text.slice(0, finding.start) + placeholder(finding.label) + text.slice(finding.end);
  }

  form.addEventListener("input", (event) => {
    const field = event.target.closest(".phi-field")?.dataset.field;
    if (!field) return;
    state[field] = [];
    renderField(field);
    clearTimeout(timers[field]);
    timers[field] = setTimeout(() => check([field]), DELAY_MS);
  });

  form.addEventListener("click", async (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    if (button.id === "redact-all") {
      event.preventDefault();
      for (const [field, findings] of Object.entries(state)) {
        [...findings].reverse().filter((f) => !isWaived(field, f)).forEach((f) => redactOne(field, f));
        waivers().filter((i) => i.value.startsWith(field + ":")).forEach((i) => i.remove());
      }
      await check(Object.keys(state));
      return;
    }
    const target = button.dataset.redact || button.dataset.waive || button.dataset.undo;
    if (!target) return;
    event.preventDefault();
    const [field, index] = target.split(":");
    const finding = state[field][Number(index)];
    if (button.dataset.redact) {
      redactOne(field, finding);
      await check([field]);
      form.elements[field].focus();
    } else if (button.dataset.waive) {
      const input = Object.assign(document.createElement("input"), { type: "hidden", name: "waive", value: keyOf(field, finding) });
      input.dataset.text = form.elements[field].value.slice(finding.start, finding.end);
      waiverBox.appendChild(input);
      renderField(field);
    } else {
      waivers().find((i) => i.value === keyOf(field, finding))?.remove();
      renderField(field);
    }
  });

  for (const wrapper of form.querySelectorAll(".phi-field")) {
    const textarea = wrapper.querySelector("textarea");
    const backdrop = wrapper.querySelector(".phi-backdrop");
    syncBackdropStyle(textarea, backdrop);
    textarea.addEventListener("scroll", () => { backdrop.scrollTop = textarea.scrollTop; });
    new ResizeObserver(() => { backdrop.style.height = `${textarea.offsetHeight}px`; }).observe(textarea);
  }
  for (const input of waivers()) {
    const [field, start, end] = input.value.split(":");
    if (form.elements[field]) input.dataset.text = form.elements[field].value.slice(Number(start), Number(end));
  }
  check([...form.querySelectorAll(".phi-field")].map((w) => w.dataset.field));
})();
