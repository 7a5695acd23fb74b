/*
 * Progressive enhancement of our forms; without JavaScript every form works as before.
 *
 * 1. Live character count on every text area with data-maxlength (steps, comments,
 *    verdicts). The server enforces the limit; the page never cuts a paste (no maxlength
 *    attribute), it says how much is over.
 * 4. A link within the page (skip link, "Mangler i dette trin", the error summary, the
 *    review screen's links to a step's field) moves focus to the field it names: to the
 *    first control inside a group (a fieldset, a section, a radio list), opening any folded
 *    <details> around it; a link or #hash to anything else inside a fold (the review
 *    screen's summaries) opens the fold too. Without JavaScript the browser still scrolls
 *    there.
 * 5. A focused field is scrolled clear of the sticky "Gem" bar. The CSS scroll padding
 *    covers fields the browser scrolls to; a field already partly in view is not scrolled
 *    by the browser, and would stay half under the bar.
 * On a step form (form.step-form) also:
 * 2. A warning before leaving the page (link, reload, closing the tab) with unsaved changes.
 * 3. An unsaved copy of the form kept in the browser (localStorage), offered back with a
 *    notice when the planner returns to the step. The copy remembers the revision it was
 *    typed against, so restoring and saving merges with changes saved by others meanwhile.
 *
 * Texts come from data-* attributes (on <body> and on the step form), rendered by Django
 * in the page language.
 */
(function () {
  "use strict";

  var texts = document.body.dataset;

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, name) {
      return String(values[name]);
    });
  }

  // 1. Character counters --------------------------------------------------------------
  function setUpCounter(area) {
    var max = parseInt(area.dataset.maxlength, 10);
    if (!max) return;
    var counter = document.createElement("div");
    counter.className = "form-text char-counter";
    counter.id = area.id + "-counter";
    counter.setAttribute("aria-live", "polite");
    area.insertAdjacentElement("afterend", counter);
    var describedBy = area.getAttribute("aria-describedby");
    area.setAttribute("aria-describedby", (describedBy ? describedBy + " " : "") + counter.id);
    function update() {
      var length = area.value.length;
      var near = length >= max * 0.8;
      counter.hidden = !near;
      if (!near) return;
      var over = length - max;
      counter.textContent = over > 0
        ? format(texts.textOver, { count: length, max: max, over: over })
        : format(texts.textCount, { count: length, max: max });
      counter.classList.toggle("text-danger", over > 0);
      area.classList.toggle("is-over-limit", over > 0);
    }
    area.addEventListener("input", update);
    update();
  }
  Array.prototype.forEach.call(document.querySelectorAll("textarea[data-maxlength]"), setUpCounter);

  // 4. Links land on a field ----------------------------------------------------------
  var FIELD = "input:not([type=hidden]), select, textarea";
  var CONTROL = FIELD + ", summary, button, a[href], [tabindex]";

  function isControl(el) {
    return el.matches(CONTROL) && !el.matches("[tabindex='-1']");
  }

  function usable(el) {
    return !el.disabled && el.getClientRects().length > 0;
  }

  function firstUsable(target, selector) {
    return Array.prototype.filter.call(target.querySelectorAll(selector), function (el) {
      return isControl(el) && usable(el);
    })[0];
  }

  function targetOf(id) {
    // A radio list's id is its first radio's id without "_0" (Django names them _0, _1 …).
    return document.getElementById(id) || document.getElementById(id + "_0");
  }

  function openAround(target) {
    for (var d = target.closest("details"); d; d = d.parentElement.closest("details")) d.open = true;
  }

  function landingFor(id) {
    var target = targetOf(id);
    if (!target) return null;
    openAround(target);
    // Only a form's fields and groups get focus; "#main" and the like keep the browser's
    // behaviour (it scrolls to them, now unfolded).
    if (!target.closest("form")) return null;
    if (isControl(target) && usable(target)) return target;
    // In page order, a folded block's summary counts: Enter opens it (folding.js).
    return firstUsable(target, FIELD + ", summary") || firstUsable(target, CONTROL) || target;
  }

  function land(id) {
    var field = landingFor(id);
    if (!field) return false;
    if (!isControl(field) && !field.hasAttribute("tabindex")) field.setAttribute("tabindex", "-1");
    field.focus();
    return document.activeElement === field;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href^='#']");
    if (!link || link.getAttribute("href").length < 2 || event.defaultPrevented) return;
    if (land(decodeURIComponent(link.getAttribute("href").slice(1)))) event.preventDefault();
  });
  function landOnHash() {
    if (window.location.hash.length < 2) return;
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!land(id) && targetOf(id)) targetOf(id).scrollIntoView({ block: "center" });
  }
  window.addEventListener("hashchange", landOnHash);
  landOnHash();

  // 5. Focused fields clear of the sticky bar -------------------------------------------
  var stickyBar = document.querySelector(".sticky-actions");
  document.addEventListener("focusin", function (event) {
    var el = event.target;
    if (!stickyBar || !el.getBoundingClientRect || el.closest(".sticky-actions, .skip-link")) return;
    // "nearest" keeps the scroll padding (app.css) free: no scroll when already clear.
    el.scrollIntoView({ block: "nearest", inline: "nearest", behavior: "instant" });
  });

  var form = document.querySelector("form.step-form");
  if (!form) return;
  var t = form.dataset;
  var storageKey = "pathways-draft:" + t.draftKey;
  var dirty = false;
  var submitting = false;

  // 3. Draft copy in the browser -------------------------------------------------------
  function fieldsOf() {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "submit" || el.type === "hidden" || el.name.indexOf("decide:") === 0) return;
      if (el.type === "checkbox" || el.type === "radio") {
        values[el.name] = values[el.name] || [];
        if (el.checked) values[el.name].push(el.value);
      } else {
        values[el.name] = el.value;
      }
    });
    return values;
  }

  var loadedFields = JSON.stringify(fieldsOf());

  function readDraft() {
    try {
      return JSON.parse(window.localStorage.getItem(storageKey) || "null");
    } catch (e) {
      return null;
    }
  }

  function saveDraft() {
    var fields = fieldsOf();
    dirty = JSON.stringify(fields) !== loadedFields;
    try {
      if (dirty) {
        window.localStorage.setItem(storageKey, JSON.stringify({
          revision: form.elements.revision ? form.elements.revision.value : "",
          savedAt: new Date().toISOString(),
          fields: fields
        }));
      } else {
        window.localStorage.removeItem(storageKey);
      }
    } catch (e) { /* storage full or disabled: the leave warning still protects the text */ }
  }

  function restore(draft) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || !(el.name in draft.fields) || el.type === "submit" || el.type === "hidden") return;
      var value = draft.fields[el.name];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = value.indexOf(el.value) !== -1;
      } else {
        el.value = value;
      }
      el.dispatchEvent(new Event("input", { bubbles: true }));
    });
    // Save against the revision the copy was typed on: the server then merges it with
    // what others saved since, instead of the copy undoing their changes.
    if (form.elements.revision && draft.revision !== "") form.elements.revision.value = draft.revision;
    dirty = true;
  }

  function offerDraft(draft) {
    var notice = document.createElement("div");
    notice.className = "alert alert-info draft-notice";
    notice.setAttribute("role", "status");
    notice.id = "draft-notice";
    var text = document.createElement("p");
    text.className = "mb-2";
    text.textContent = format(t.draftNotice, { when: new Date(draft.savedAt).toLocaleString(document.documentElement.lang || undefined) });
    var restoreButton = document.createElement("button");
    restoreButton.type = "button";
    restoreButton.className = "btn btn-sm btn-primary me-2";
    restoreButton.textContent = t.draftRestore;
    var discardButton = document.createElement("button");
    discardButton.type = "button";
    discardButton.className = "btn btn-sm btn-outline-secondary";
    discardButton.textContent = t.draftDiscard;
    notice.appendChild(text);
    notice.appendChild(restoreButton);
    notice.appendChild(discardButton);
    var heading = form.querySelector("h1");
    (heading || form.firstElementChild).insertAdjacentElement("afterend", notice);
    restoreButton.addEventListener("click", function () {
      restore(draft);
      notice.textContent = t.draftRestored;
      notice.focus();
    });
    discardButton.addEventListener("click", function () {
      try { window.localStorage.removeItem(storageKey); } catch (e) { /* ignore */ }
      notice.remove();
    });
  }

  var draft = readDraft();
  // A page that shows a conflict or field errors already holds the posted text.
  var pageHoldsPostedText = form.dataset.conflict === "1" || document.getElementById("error-summary");
  if (draft && draft.fields && !pageHoldsPostedText && JSON.stringify(draft.fields) !== loadedFields) {
    offerDraft(draft);
  } else if (draft && !pageHoldsPostedText) {
    try { window.localStorage.removeItem(storageKey); } catch (e) { /* ignore */ }
  }

  form.addEventListener("input", saveDraft);
  form.addEventListener("change", saveDraft);

  // 2. Warn before leaving with unsaved changes ----------------------------------------
  form.addEventListener("submit", function () {
    submitting = true;
    // The server has the text now: a save stores it, and a refused save (field errors,
    // conflict, locked program) shows it back on the page it answers with.
    try { window.localStorage.removeItem(storageKey); } catch (e) { /* ignore */ }
  });
  window.addEventListener("beforeunload", function (event) {
    if (!dirty || submitting) return;
    event.preventDefault();
    event.returnValue = "";  // Chromium shows its own text; the value only asks for the dialog
  });
})();
