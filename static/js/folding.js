/*
 * Folded blocks on a step page (details[data-fold]: attention points, transitions, the
 * part's questions), a progressive enhancement of native <details>: without JavaScript each
 * block still opens and closes by mouse and keyboard.
 *
 * 1. A link to a field inside a folded block opens the blocks around it: forms.js (4),
 *    which also puts focus on the field.
 * 2. Each block's one-line status (besvaret / ikke relevant / mangler) follows what is
 *    typed, by the rules of pathways/programs/folding.py.
 * 3. "Næste ubesvarede" opens the next block that is not answered and puts focus on its
 *    first field; "Åbn alle" / "Luk alle" open or close every block.
 *
 * Texts come from div.fold-texts (templates/programs/steps/_fold_texts.html).
 */
(function () {
  "use strict";

  var folds = Array.prototype.slice.call(document.querySelectorAll("details[data-fold]"));
  var textsElement = document.querySelector(".fold-texts");
  if (!folds.length || !textsElement) return;
  var texts = textsElement.dataset;

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, name) { return String(values[name]); });
  }

  // 2. Live status ------------------------------------------------------------------------
  function fields(fold, name) {
    return Array.prototype.filter.call(fold.querySelectorAll("[name]"), function (el) {
      var full = el.getAttribute("name");
      return full === name || full.slice(-(name.length + 1)) === "-" + name;
    });
  }

  function value(fold, name) {
    var found = fields(fold, name);
    if (!found.length) return "";
    if (found[0].type === "radio" || found[0].type === "checkbox") {
      var checked = found.filter(function (el) { return el.checked; });
      return checked.length ? checked[0].value : "";
    }
    return found[0].value.trim();
  }

  function relevance(fold, required) {
    var judged = value(fold, "relevance");
    if (judged === "no") return value(fold, "not_relevant_reason") ? "not_relevant" : "missing";
    var complete = required.every(function (name) { return value(fold, name); });
    return judged === "yes" && complete ? "answered" : "missing";
  }

  var rules = {
    point: function (fold) {
      var status = value(fold, "status");
      if (status === "not_relevant") return value(fold, "reason") ? "not_relevant" : "missing";
      return status && value(fold, "answer") ? "answered" : "missing";
    },
    part: function (fold) { return relevance(fold, ["responsible", "effort"]); },
    transition: function (fold) { return relevance(fold, ["sending", "receiving"]); },
    own: function (fold) {
      return value(fold, "sending") && value(fold, "receiving") ? "answered" : "missing";
    }
  };
  var labels = { answered: texts.answered, not_relevant: texts.notRelevant, missing: texts.missing };
  var coordination = ["patient_responsible_doctor", "coordination", "communication_channels",
    "digital_tools", "knowledge_sharing", "deadlines"];

  function update(fold) {
    var kind = fold.dataset.fold;
    var shown = fold.querySelector("summary .fold-status");
    if (!shown) return;
    if (rules[kind]) {
      var status = rules[kind](fold);
      fold.dataset.status = status;
      shown.textContent = labels[status];
    } else if (kind === "coordination") {
      var filled = coordination.filter(function (name) { return value(fold, name); }).length;
      shown.textContent = format(texts.filled, { filled: filled, total: coordination.length });
    }
  }

  folds.forEach(function (fold) {
    fold.addEventListener("input", function () { update(fold); });
    fold.addEventListener("change", function () { update(fold); });
  });

  // 3. "Næste ubesvarede", "Åbn alle", "Luk alle" -----------------------------------------
  var lastFold = null;
  document.addEventListener("focusin", function (event) {
    var fold = event.target.closest && event.target.closest("details[data-fold]");
    if (fold) lastFold = fold;
  });

  function firstField(fold) {
    var candidates = fold.querySelectorAll("input:not([type=hidden]), select, textarea");
    for (var i = 0; i < candidates.length; i++) {
      var el = candidates[i];
      var closed = el.closest("details:not([open])");
      if (closed && closed !== fold) continue;  // inside a folded actor list
      if (el.type === "radio" && !el.checked) {
        var group = fold.querySelector("input[type=radio][name='" + el.name + "']:checked");
        if (group) return group;  // a radio group is entered at its chosen radio
      }
      return el;
    }
    return fold.querySelector("summary");
  }

  var announcer = document.createElement("p");
  announcer.className = "visually-hidden";
  announcer.setAttribute("aria-live", "polite");  // not role=status: that is the page's messages
  announcer.id = "fold-announcer";

  function nextUnanswered() {
    var missing = folds.filter(function (fold) {
      return fold.dataset.status === "missing" && document.contains(fold);
    });
    announcer.textContent = "";
    if (!missing.length) {
      announcer.textContent = texts.allAnswered;
      return;
    }
    var after = lastFold && missing.filter(function (fold) {
      return lastFold.compareDocumentPosition(fold) & Node.DOCUMENT_POSITION_FOLLOWING;
    });
    var next = (after && after.length ? after : missing)[0];
    next.open = true;
    lastFold = next;
    var field = firstField(next);
    next.scrollIntoView({ block: "start" });
    field.focus();
  }

  function button(text, id, onClick) {
    var b = document.createElement("button");
    b.type = "button";  // never submits the step form
    b.className = "btn btn-outline-secondary";
    b.id = id;
    b.textContent = text;
    b.addEventListener("click", onClick);
    return b;
  }

  var bar = document.createElement("div");
  bar.className = "fold-tools d-flex gap-2 ms-auto";
  bar.appendChild(button(texts.next, "next-unanswered", nextUnanswered));
  bar.appendChild(button(texts.openAll, "open-all", function () {
    folds.forEach(function (fold) { fold.open = true; });
  }));
  bar.appendChild(button(texts.closeAll, "close-all", function () {
    folds.forEach(function (fold) { fold.open = false; });
  }));
  bar.appendChild(announcer);
  var actions = document.querySelector(".sticky-actions");
  if (actions) {
    actions.appendChild(bar);
  } else {
    folds[0].parentElement.insertBefore(bar, folds[0]);
  }
})();
