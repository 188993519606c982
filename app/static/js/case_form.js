// Live PHI check for the case form: while the clinician types (debounced), the fields are checked
// on the server; findings are highlighted in place (a backdrop behind the transparent textarea)
// and listed with "Redact" and, for "likely" findings, "Not PHI". The server checks again on save.
//
// A waiver (hidden input "waive") is "field:start:end:label:TEXT", TEXT being the waived characters;
// the server honours it only while the text at those offsets is still TEXT, so waivers move with
// their words or disappear. The form's data-phi tells case_draft.js whether the text may be saved.
(() => {
  const form = document.getElementById("case-form");
  if (!form) return;
  const checkUrl = form.dataset.checkUrl;
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const waiverBox = document.getElementById("waivers");
  const redactAllBar = form.querySelector(".redact-all-bar");
  const redactAllButton = document.getElementById("redact-all");
  const redactAllNote = redactAllBar.querySelector("small");
  const redactAllHelp = redactAllNote.textContent;
  const statusRegion = document.getElementById("phi-status");
  const fieldNames = [...form.querySelectorAll(".phi-field")].map((wrapper) => wrapper.dataset.field);
  const state = {};  // field -> findings [{start, end, label, certainty}] of the field's current text
  const refusals = {};  // field -> the check's message when it refused the text (too long, hidden characters)
  const DELAY_MS = 400;
  let timer = null;
  let pending = 0;
  let lastCountMessage = "No unresolved identifiers.";  // a clean form loads silently
  form.classList.add("js");

  const placeholder = (label) => (label === "AGE" ? "90+" : `[${label}]`);
  const partsOf = (field) => {
    const wrapper = form.querySelector(`.phi-field[data-field="${field}"]`);
    return { wrapper, textarea: wrapper.querySelector("textarea"), backdrop: wrapper.querySelector(".phi-backdrop"),
      list: wrapper.querySelector(".phi-findings") };
  };
  const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  }

  // ---- waivers -------------------------------------------------------------------------------
  const waiverKey = (field, start, end, label, text) => [field, start, end, label, text].join(":");
  function parseWaiver(input) {
    const parts = input.value.split(":");
    return { input, field: parts[0], start: Number(parts[1]), end: Number(parts[2]), label: parts[3],
      text: parts.slice(4).join(":") };
  }
  const waiversOf = (field) => [...waiverBox.querySelectorAll('input[name="waive"]')].map(parseWaiver)
    .filter((w) => w.field === field);
  function waiverFor(field, f) {
    if (f.certainty !== "likely") return undefined;
    const text = form.elements[field].value;
    return waiversOf(field).find((w) => w.start === f.start && w.end === f.end && w.label === f.label
      && w.text === text.slice(f.start, f.end));
  }
  const unresolved = (field) => (state[field] || []).filter((f) => !waiverFor(field, f));

  function addWaiver(field, f) {
    const text = form.elements[field].value.slice(f.start, f.end);
    const value = waiverKey(field, f.start, f.end, f.label, text);
    waiverBox.appendChild(Object.assign(document.createElement("input"), { type: "hidden", name: "waive", value }));
  }

  // After a check: a waiver whose words are no longer at its offsets moves to the nearest "likely"
  // finding with the same label and the same words, or disappears.
  function carryWaivers(field) {
    const text = form.elements[field].value;
    const findings = state[field] || [];
    for (const w of waiversOf(field)) {
      if (findings.some((f) => waiverFor(field, f)?.input === w.input)) continue;
      const candidates = findings.filter((f) => f.certainty === "likely" && f.label === w.label
        && text.slice(f.start, f.end) === w.text && !waiverFor(field, f))
        .sort((a, b) => Math.abs(a.start - w.start) - Math.abs(b.start - w.start));
      if (candidates.length) {
        w.input.value = waiverKey(field, candidates[0].start, candidates[0].end, w.label, w.text);
      } else {
        w.input.remove();
      }
    }
  }

  // ---- the backdrop: laid out exactly like the textarea ---------------------------------------
  const COPIED_STYLES = ["boxSizing", "fontFamily", "fontSize", "fontWeight", "fontStyle", "fontVariant", "fontStretch",
    "fontKerning", "fontFeatureSettings", "fontVariationSettings", "lineHeight", "letterSpacing", "wordSpacing",
    "textTransform", "textIndent", "textAlign", "tabSize", "whiteSpace", "overflowWrap", "wordBreak", "hyphens",
    "lineBreak", "direction", "paddingTop", "paddingBottom", "paddingLeft", "borderTopWidth", "borderRightWidth",
    "borderBottomWidth", "borderLeftWidth"];

  function syncBackdrop(field) {
    const { textarea, backdrop } = partsOf(field);
    const style = getComputedStyle(textarea);
    for (const prop of COPIED_STYLES) backdrop.style[prop] = style[prop];
    // A classic scrollbar narrows the textarea's text box; the backdrop has none, so pad for it.
    // (offsetWidth and clientWidth are rounded: a difference under 2px is rounding, not a scrollbar.)
    const borders = parseFloat(style.borderLeftWidth) + parseFloat(style.borderRightWidth);
    const gutter = textarea.offsetWidth - textarea.clientWidth - borders;
    backdrop.style.paddingRight = `${parseFloat(style.paddingRight) + (gutter >= 2 ? gutter : 0)}px`;
    backdrop.style.height = `${textarea.offsetHeight}px`;
    backdrop.scrollTop = textarea.scrollTop;
  }
  const syncAll = () => fieldNames.forEach(syncBackdrop);

  function backdropHtml(text, field) {
    let html = "";
    let position = 0;
    for (const f of [...(state[field] || [])].sort((a, b) => a.start - b.start)) {
      const start = Math.max(f.start, position);
      if (f.end <= start) continue;
      const kind = waiverFor(field, f) ? "waived" : f.certainty;
      html += escapeHtml(text.slice(position, start));
      html += `<mark class="phi-${kind}">${escapeHtml(text.slice(start, f.end))}</mark>`;
      position = f.end;
    }
    return html + escapeHtml(text.slice(position)) + "\n";
  }

  // ---- the findings list ----------------------------------------------------------------------
  function findingItem(field, f, index, text) {
    const snippet = escapeHtml(text.slice(f.start, f.end));
    const certainty = f.certainty === "certain" ? "certain" : "possible";
    const head = `<mark>${snippet}</mark> <span class="phi-label">${escapeHtml(f.label)}</span>
      <span class="phi-certainty">${certainty}</span>`;
    if (waiverFor(field, f)) {
      return `<li class="phi-finding waived">${head} <span class="phi-note">marked not PHI</span>
        <button type="button" class="outline small" data-undo="${field}:${index}"
          aria-label="Undo not PHI: ${snippet}">Undo</button></li>`;
    }
    const waive = f.certainty === "likely" ? `<button type="button" class="outline secondary small"
      data-waive="${field}:${index}" aria-label="Not PHI: ${snippet}">Not PHI</button>` : "";
    return `<li class="phi-finding ${f.certainty === "certain" ? "certain" : "likely"}">${head}
      <button type="button" class="outline small" data-redact="${field}:${index}"
        aria-label="Redact ${snippet} (${escapeHtml(f.label)}, ${certainty})">Redact</button> ${waive}</li>`;
  }

  const buttonKind = (button) => ["redact", "waive", "undo"].find((kind) => button.dataset[kind] !== undefined);
  const COUNTERPART = { redact: "redact", waive: "undo", undo: "waive" };

  // Re-rendering replaces the list's buttons; focus goes to the equivalent button at the same place
  // (the next finding after a Redact, "Undo" after "Not PHI" and back), or to the text when none is left.
  function restoreFocus(field, focused) {
    const { textarea, list } = partsOf(field);
    const items = list.querySelectorAll("li");
    if (!items.length) { textarea.focus(); return; }
    const item = items[Math.min(focused.index, items.length - 1)];
    const wanted = [focused.kind, COUNTERPART[focused.kind], "redact", "waive", "undo"];
    const buttons = [...item.querySelectorAll("button")];
    const target = wanted.map((kind) => buttons.find((b) => buttonKind(b) === kind)).find(Boolean) || buttons[0];
    target?.focus();
  }

  function renderField(field) {
    const { textarea, backdrop, list } = partsOf(field);
    const text = textarea.value;
    const findings = state[field] || [];
    const active = document.activeElement;
    const focused = list.contains(active) && active.tagName === "BUTTON"
      ? { kind: buttonKind(active), index: [...list.querySelectorAll("li")].indexOf(active.closest("li")) } : null;
    backdrop.innerHTML = backdropHtml(text, field);
    list.innerHTML = findings.length
      ? "<ul>" + findings.map((f, i) => findingItem(field, f, i, text)).join("") + "</ul>" : "";
    renderRefusal(field);
    textarea.setAttribute("aria-invalid", unresolved(field).length || problemOf(field) ? "true" : "false");
    syncBackdrop(field);
    if (focused) restoreFocus(field, focused);
    renderSummary();
  }

  // Zero-width characters and direction controls: the server refuses text carrying them on save
  // (app/redaction/normalize.py); they cannot be seen, so the form names them and offers to remove them.
  const INVISIBLE = /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u3164\ufeff\uffa0]/g;

  function invisibleNote(text) {
    const found = [...text.matchAll(INVISIBLE)];
    if (!found.length) return "";
    const code = found[0][0].codePointAt(0).toString(16).toUpperCase().padStart(4, "0");
    const more = found.length > 1 ? ` and ${found.length - 1} more` : "";
    return `Remove the invisible character U+${code} at character ${found[0].index + 1}${more}: `
      + "zero-width and text-direction characters are not accepted.";
  }
  const problemOf = (field) => refusals[field] || invisibleNote(form.elements[field].value);

  function renderRefusal(field) {
    const { wrapper, textarea } = partsOf(field);
    const id = `phi-refused-${field}`;
    const message = problemOf(field);
    const describedBy = (textarea.getAttribute("aria-describedby") || "").split(" ").filter((t) => t && t !== id);
    wrapper.querySelector(".phi-refusal")?.remove();
    if (message) {
      const box = Object.assign(document.createElement("div"), { className: "phi-refusal" });
      box.appendChild(Object.assign(document.createElement("small"), { id, className: "field-error", textContent: message }));
      if (!refusals[field]) {
        box.insertAdjacentHTML("beforeend", ` <button type="button" class="outline small" data-strip="${field}">`
          + "Remove invisible characters</button>");
      }
      wrapper.querySelector(".phi-findings").before(box);
      describedBy.push(id);
    }
    textarea.setAttribute("aria-describedby", describedBy.join(" "));
  }

  function stripInvisible(field) {
    const textarea = form.elements[field];
    textarea.value = textarea.value.replace(INVISIBLE, "");
    textarea.focus();
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function counts() {
    const all = fieldNames.flatMap(unresolved);
    const certain = all.filter((f) => f.certainty === "certain").length;
    return { total: all.length, certain, possible: all.length - certain };
  }

  function countMessage() {
    const { total, certain, possible } = counts();
    const refused = fieldNames.filter(problemOf).length;
    const tail = refused ? ` ${plural(refused, "field")} to correct first.` : "";
    if (!total) return `No unresolved identifiers.${tail}`;
    return `${plural(total, "possible identifier")} to resolve: ${certain} certain, ${possible} possible.${tail}`;
  }

  function announce(prefix = "") {
    const message = countMessage();
    if (!prefix && message === lastCountMessage) return;
    lastCountMessage = message;
    statusRegion.textContent = prefix ? `${prefix} ${message}` : message;
  }

  // "Redact all" stays in place (disabled) while it has focus after redacting everything.
  function renderSummary() {
    const left = counts().total > 0;
    const keep = !left && document.activeElement === redactAllButton && !redactAllBar.hidden;
    redactAllBar.hidden = !left && !keep;
    redactAllButton.setAttribute("aria-disabled", left ? "false" : "true");
    redactAllNote.textContent = left ? redactAllHelp : "Nothing left to redact.";
    const refused = fieldNames.some(problemOf);
    form.dataset.phi = pending || timer ? "pending" : refused ? "refused" : left ? "findings" : "clean";
  }

  // ---- checking -------------------------------------------------------------------------------
  async function check(fields) {
    const payload = Object.fromEntries(fields.map((field) => [field, form.elements[field].value]));
    pending += 1;
    renderSummary();
    try {
      const response = await fetch(checkUrl, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
        body: JSON.stringify({ fields: payload }),
      });
      const body = await response.json().catch(() => ({}));
      if (response.status === 422) { await refused(fields, payload, body); return; }
      if (!response.ok) {
        statusRegion.textContent = "The identifier check failed; the server checks again on save.";
        return;
      }
      for (const field of fields) {
        if (form.elements[field].value !== payload[field]) continue;  // typed on meanwhile: a newer check follows
        delete refusals[field];
        const length = payload[field].length;
        state[field] = (body.fields?.[field] || [])
          .map((f) => ({ ...f, start: Math.max(0, f.start), end: Math.min(length, f.end) }))
          .filter((f) => f.end > f.start);
        carryWaivers(field);
        renderField(field);
      }
      announce();
    } catch (error) {
      statusRegion.textContent = "The identifier check could not reach the server; the server checks again on save.";
    } finally {
      pending -= 1;
      renderSummary();
    }
  }

  // The check refuses some texts outright (too long, invisible or direction-changing characters):
  // say so beside the fields it names, and check the others on their own.
  async function refused(fields, payload, body) {
    const named = body.fields && typeof body.fields === "object"
      ? fields.filter((field) => typeof body.fields[field] === "string") : [];
    if (!named.length && fields.length > 1) {
      await Promise.all(fields.map((field) => check([field])));
      return;
    }
    for (const field of named.length ? named : fields) {
      if (form.elements[field].value !== payload[field]) continue;
      if (body.invisible && body.invisible[field]) {
        // Invisible characters: the form names them itself and offers to remove them.
        delete refusals[field];
        state[field] = [];
        renderField(field);
        continue;
      }
      refusals[field] = named.length ? body.fields[field] : (body.detail || "This text could not be checked.");
      state[field] = [];
      renderField(field);
    }
    const others = fields.filter((field) => !named.includes(field));
    if (named.length && others.length) await check(others);
    announce();
  }

  function scheduleCheck() {
    clearTimeout(timer);
    timer = setTimeout(() => { timer = null; check(fieldNames); }, DELAY_MS);
    renderSummary();
  }

  // ---- actions --------------------------------------------------------------------------------
  // Replace findings by placeholders; later findings and waivers shift by the change in length.
  // Overlapping findings become one span with the first one's placeholder, as on the server.
  function spansOf(chosen) {
    const spans = [];
    for (const f of [...chosen].sort((a, b) => a.start - b.start || b.end - a.end)) {
      const last = spans[spans.length - 1];
      if (last && f.start < last.end) last.end = Math.max(last.end, f.end);
      else spans.push({ start: f.start, end: f.end, label: f.label });
    }
    return spans;
  }

  function redactFindings(field, chosen) {
    const textarea = form.elements[field];
    let text = textarea.value;
    const shifts = [];
    const spans = spansOf(chosen);
    for (const span of [...spans].reverse()) {
      const replacement = placeholder(span.label);
      text = text.slice(0, span.start) + replacement + text.slice(span.end);
      shifts.push({ at: span.end, delta: replacement.length - (span.end - span.start) });
    }
    const shift = (offset) => offset + shifts.filter((s) => s.at <= offset).reduce((sum, s) => sum + s.delta, 0);
    for (const w of waiversOf(field)) {
      w.input.value = waiverKey(field, shift(w.start), shift(w.end), w.label, w.text);
    }
    state[field] = (state[field] || []).filter((f) => !spans.some((s) => f.start < s.end && f.end > s.start))
      .map((f) => ({ ...f, start: shift(f.start), end: shift(f.end) }));
    textarea.value = text;
    renderField(field);
  }

  function redactAll() {
    if (redactAllButton.getAttribute("aria-disabled") === "true") return;
    const total = counts().total;
    for (const field of fieldNames) {
      const chosen = unresolved(field);
      if (chosen.length) redactFindings(field, chosen);
    }
    renderSummary();
    announce(`Redacted ${plural(total, "finding")}.`);
    check(fieldNames);
  }

  function act(button) {
    const kind = buttonKind(button);
    const [field, index] = button.dataset[kind].split(":");
    const finding = state[field][Number(index)];
    const snippet = form.elements[field].value.slice(finding.start, finding.end);
    if (kind === "redact") {
      redactFindings(field, [finding]);
      announce(`Redacted ${snippet}.`);
      check(fieldNames);
    } else if (kind === "waive") {
      addWaiver(field, finding);
      renderField(field);
      announce(`Marked ${snippet} not PHI.`);
    } else {
      waiverFor(field, finding)?.input.remove();
      renderField(field);
      announce(`${snippet} is a finding again.`);
    }
  }

  form.addEventListener("input", (event) => {
    const field = event.target.closest(".phi-field")?.dataset.field;
    if (!field) return;
    state[field] = [];
    renderField(field);
    scheduleCheck();
  });

  form.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    if (button === redactAllButton) {
      event.preventDefault();
      redactAll();
    } else if (button.dataset.strip) {
      event.preventDefault();
      stripInvisible(button.dataset.strip);
    } else if (buttonKind(button)) {
      event.preventDefault();
      act(button);
    }
  });
  redactAllButton.addEventListener("blur", () => setTimeout(renderSummary));


  for (const field of fieldNames) {
    const { textarea, backdrop } = partsOf(field);
    textarea.addEventListener("scroll", () => { backdrop.scrollTop = textarea.scrollTop; });
    new ResizeObserver(() => syncBackdrop(field)).observe(textarea);
    // Pico restyles a textarea when aria-invalid changes (and others may change its class or style).
    new MutationObserver(() => syncBackdrop(field))
      .observe(textarea, { attributes: true, attributeFilter: ["aria-invalid", "class", "style", "dir"] });
  }
  document.fonts?.ready.then(syncAll);
  window.addEventListener("resize", syncAll);
  syncAll();
  check(fieldNames);
})();
