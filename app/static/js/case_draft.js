// The case form's draft keeping: a draft is saved every 30 s when something changed and no finding
// is unresolved (the form's data-phi, kept by case_form.js, is "clean"); leaving with unsaved changes
// asks first; switching program posts the form to the other program's form page, so what was typed
// comes along without ever being put in a URL; the error summary's links focus their fields.
(() => {
  const form = document.getElementById("case-form");
  if (!form) return;
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const status = document.getElementById("draft-status");
  const switcher = document.querySelector("form.program-switch");
  const AUTOSAVE_MS = 30000;
  let submitting = false;
  let saving = false;
  // Not form.action: the buttons named "action" shadow that property.
  const target = () => form.getAttribute("action");

  // Everything the person chose or typed (the CSRF token and the pressed button aside).
  function snapshot() {
    const data = new FormData(form);
    data.delete("csrf_token");
    data.delete("action");
    return JSON.stringify([...data.entries()]);
  }
  // A form rendered by a POST (a refused save, a redaction without JavaScript) holds unsaved text.
  let saved = form.dataset.unsaved === "true" ? null : snapshot();
  const dirty = () => snapshot() !== saved;

  const clock = (date) => date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  const say = (message) => { if (status.textContent !== message) status.textContent = message; };

  async function autosave() {
    if (saving || submitting || !dirty()) return;
    if (form.dataset.phi !== "clean") {
      if (form.dataset.phi === "findings") say("Not saved: resolve the highlighted findings first.");
      if (form.dataset.phi === "refused") say("Not saved: correct the text the check could not accept first.");
      return;
    }
    const data = new FormData(form);
    data.set("action", "save");
    const sent = snapshot();
    saving = true;
    try {
      const response = await fetch(target(), {
        method: "POST", body: data, credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRF-Token": csrf },
      });
      const body = await response.json().catch(() => null);
      if (response.ok && body?.edit_url) {
        saved = sent;
        adoptCase(body);
        say(`Draft saved at ${clock(new Date())}`);
      } else if (response.status === 422) {
        say(body?.findings || !body ? "Not saved: resolve the highlighted findings first."
          : `Not saved: ${body.detail || "correct the highlighted fields first."}`);
      } else {
        say("Not saved: the server did not accept the draft. Your text is still here.");
      }
    } catch (error) {
      say("Not saved: the server could not be reached. Your text is still here.");
    } finally {
      saving = false;
    }
  }

  // The first save of a new case creates it: later saves must go to that case, not make another,
  // and the case now belongs to its program.
  function adoptCase(body) {
    if (target() === body.edit_url) return;
    form.setAttribute("action", body.edit_url);
    switcher?.remove();
    history.replaceState(null, "", body.edit_url);
  }

  form.addEventListener("submit", () => { submitting = true; });
  window.addEventListener("pageshow", () => { submitting = false; });
  window.addEventListener("beforeunload", (event) => {
    if (submitting || !dirty()) return;
    event.preventDefault();
    event.returnValue = "";
  });

  switcher?.addEventListener("submit", (event) => {
    event.preventDefault();
    const programId = switcher.elements.program_id.value;
    form.setAttribute("action", `/cases/new?program_id=${encodeURIComponent(programId)}`);
    // "check" re-renders the form for that program with everything posted, and stores nothing.
    form.appendChild(Object.assign(document.createElement("input"), { type: "hidden", name: "action", value: "check" }));
    submitting = true;
    form.submit();
  });

  // The error summary's links take the keyboard to the field itself, not only the eye.
  document.querySelector(".error-summary")?.addEventListener("click", (event) => {
    const target = document.getElementById(event.target.closest("a")?.hash.slice(1) || "");
    if (!target) return;
    event.preventDefault();
    target.focus();
    target.scrollIntoView({ block: "center" });
  });

  setInterval(autosave, AUTOSAVE_MS);
})();
