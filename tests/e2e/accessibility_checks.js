// What axe-core does not check, measured in the page (tests/e2e/test_accessibility.py evaluates
// this function after axe.run, with axe loaded): sideways scrolling, the contrast of focus
// indicators and control borders (WCAG 1.4.11, 2.4.7), scrollable table wrappers reachable by
// keyboard (2.1.1), and names that contain the visible text (2.5.3). Returns a list of problems.
// Focus is moved by script to each control in turn, after the test pressed Tab once: after keyboard
// use, Chromium shows script-moved focus as :focus-visible, as it would for Tab, at a fraction of the cost.
(options) => {
  const problems = [];
  axe.setup(document);  // for axe.commons.text.accessibleText
  try {
    const describe = (el) => {
      const id = el.id ? `#${el.id}` : "";
      const cls = typeof el.className === "string" && el.className.trim()
        ? `.${el.className.trim().split(/\s+/).join(".")}` : "";
      const text = (el.innerText || el.value || el.getAttribute("aria-label") || "").trim().slice(0, 40);
      return `<${el.tagName.toLowerCase()}${id}${cls}> "${text}"`;
    };

    // --- colours ------------------------------------------------------------------------------
    const parse = (value) => {
      const m = /rgba?\(([\d.]+),?\s*([\d.]+),?\s*([\d.]+)(?:,?\s*\/?\s*([\d.]+%?))?\)/.exec(value || "");
      if (!m) return null;
      let alpha = m[4] === undefined ? 1 : parseFloat(m[4]);
      if (m[4] && m[4].endsWith("%")) alpha /= 100;
      return [parseFloat(m[1]), parseFloat(m[2]), parseFloat(m[3]), alpha];
    };
    const over = (top, bottom) => {  // `top` (maybe translucent) painted over an opaque `bottom`
      const a = top[3];
      return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat([1]);
    };
    const luminance = (c) => {
      const [r, g, b] = c.slice(0, 3).map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const contrast = (a, b) => {
      const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
      return (hi + 0.05) / (lo + 0.05);
    };
    // The colour an element paints its children on: its background over its ancestors', over white.
    // Remembered per element (ancestors do not change colour while a child has focus).
    const painted = new Map();
    const backdrop = (el) => {
      if (!el || el.nodeType !== 1) return [255, 255, 255, 1];
      if (!painted.has(el)) {
        const colour = parse(getComputedStyle(el).backgroundColor);
        const below = colour && colour[3] === 1 ? colour : backdrop(el.parentElement);
        painted.set(el, colour && colour[3] > 0 ? over(colour, below) : below);
      }
      return painted.get(el);
    };
    const ratio = (x) => Math.round(x * 100) / 100;

    const visible = (el) => {
      if (!el.getClientRects().length) return false;
      const style = getComputedStyle(el);
      return style.visibility !== "hidden" && style.display !== "none" && parseFloat(style.opacity) > 0;
    };

    // --- 1. no sideways scrolling on a phone --------------------------------------------------
    const root = document.documentElement;
    if (options.narrow && root.scrollWidth > root.clientWidth) {
      const clipped = (el) => {
        for (let node = el.parentElement; node && node !== document.body; node = node.parentElement) {
          if (getComputedStyle(node).overflowX !== "visible") return true;
        }
        return false;
      };
      // (an absolutely placed element escapes a scrolling ancestor that is not positioned)
      const wide = [...document.body.querySelectorAll("*")].filter((el) => (
        el.getBoundingClientRect().right > root.clientWidth + 1 && el.getClientRects().length
        && (!clipped(el) || /absolute|fixed/.test(getComputedStyle(el).position))
      )).slice(0, 3).map(describe);
      problems.push(`scrolls sideways: ${root.scrollWidth} px wide in a ${root.clientWidth} px window`
        + ` (${wide.join("; ")})`);
    }

    // --- 2. control borders of at least 3:1 ----------------------------------------------------
    const fields = document.querySelectorAll(
      "input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset]), select, textarea, "
      + "button, [role=button]");
    for (const el of fields) {
      if (!visible(el) || el.disabled) continue;
      el.getAnimations().forEach((transition) => transition.finish());
      const style = getComputedStyle(el);
      const outside = backdrop(el.parentElement || el);
      // A file input's visible boundary is its button.
      const own = parse(el.type === "file" ? getComputedStyle(el, "::file-selector-button").backgroundColor
        : style.backgroundColor);
      const fill = own && own[3] > 0 ? contrast(over(own, outside), outside) : 1;
      const borderColour = parse(style.borderTopColor);
      const edge = parseFloat(style.borderTopWidth) > 0 && style.borderTopStyle !== "none" && borderColour
        ? contrast(over(borderColour, outside), outside) : 1;
      if (Math.max(fill, edge) < 3) {
        problems.push(`control boundary under 3:1 (border ${ratio(edge)}:1, fill ${ratio(fill)}:1): ${describe(el)}`);
      }
    }

    // --- 3. focus indicators of at least 3:1 ---------------------------------------------------
    const shadows = (value) => (value === "none" ? [] : value.split(/,(?![^(]*\))/).map((part) => {
      const colour = parse(part);
      const lengths = part.replace(/rgba?\([^)]*\)/, "").match(/-?[\d.]+px/g) || [];
      const [x, y, , spread] = lengths.map(parseFloat).concat([0, 0, 0, 0]);
      return { colour, ring: !part.includes("inset") && spread >= 1 && x === 0 && y === 0 };
    }));
    const focusable = [...document.querySelectorAll(
      "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex='-1'])")]
      .filter((el) => !el.disabled && !el.closest("[inert]"));
    const before = document.activeElement;
    for (const el of focusable) {
      el.focus({ preventScroll: true });
      if (document.activeElement !== el || !visible(el)) continue;
      el.getAnimations().forEach((transition) => transition.finish());  // Pico fades the focus ring in
      if (!el.matches(":focus-visible")) {
        problems.push(`focus not shown (no :focus-visible after keyboard use): ${describe(el)}`);
        continue;
      }
      const style = getComputedStyle(el);
      const outside = backdrop(el.parentElement || el);
      const candidates = [];
      const outlineWidth = parseFloat(style.outlineWidth) || 0;
      if (style.outlineStyle !== "none" && outlineWidth >= 2) {
        const colour = parse(style.outlineColor);
        const own = parse(style.backgroundColor);  // as focused, so not remembered
        const behind = parseFloat(style.outlineOffset) < 0 && own && own[3] > 0 ? over(own, outside) : outside;
        if (colour) candidates.push(["outline", contrast(over(colour, behind), behind)]);
      }
      for (const shadow of shadows(style.boxShadow)) {
        if (shadow.ring && shadow.colour) candidates.push(["ring", contrast(over(shadow.colour, outside), outside)]);
      }
      const best = Math.max(0, ...candidates.map(([, value]) => value));
      if (best < 3) {
        const seen = candidates.map(([kind, value]) => `${kind} ${ratio(value)}:1`).join(", ")
          || "no outline or ring";
        problems.push(`focus indicator under 3:1 (${seen}): ${describe(el)}`);
      }
    }
    if (before && before.focus) before.focus({ preventScroll: true });

    // --- 4. scrollable table wrappers: keyboard-focusable and named ----------------------------
    const name = (el) => axe.commons.text.accessibleText(el).trim();
    for (const table of document.querySelectorAll("table")) {
      let wrapper = table.parentElement;
      while (wrapper && wrapper !== document.body && !/auto|scroll/.test(getComputedStyle(wrapper).overflowX)) {
        wrapper = wrapper.parentElement;
      }
      if (!visible(table)) continue;
      if (wrapper === document.body || !wrapper) {
        if (table.offsetWidth > root.clientWidth) {
          problems.push(`table wider than the page and not in a scrolling region: ${describe(table)}`);
        }
        continue;
      }
      if (wrapper.tabIndex !== 0 || wrapper.getAttribute("role") !== "region" || !name(wrapper)) {
        problems.push(`scrollable table wrapper needs role="region" tabindex="0" and a name: ${describe(wrapper)}`);
      }
    }

    // --- 5. names contain the visible text (label in name) -------------------------------------
    // Letters and digits only: axe joins block-level parts without a space ("19people"), browsers with one.
    const squash = (text) => text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
    for (const el of document.querySelectorAll("a[href], button, [role=button], [role=link], summary")) {
      if (!visible(el)) continue;
      const shown = squash(el.innerText || "");
      if (!shown) continue;
      const spoken = squash(name(el));
      if (!spoken.includes(shown)) {
        problems.push(`name "${name(el)}" does not contain the visible text: ${describe(el)}`);
      }
    }
  } finally {
    axe.teardown();
  }
  return problems;
}
