/*
 * Choosing actors from a long list (templates/programs/_actor_picker.html): a progressive
 * enhancement of the native checkboxes, which stay the form's fields (same names and ids,
 * so saves, unsaved copies and links are unchanged). Without JavaScript they work as
 * they are.
 *
 * - a filter field above the list (grouped by sector) hides the actors whose name does
 *   not contain what is typed; Enter or Arrow down moves to the first actor shown;
 * - the chosen actors are shown above the folded list as tokens; each token is a button
 *   "Fjern <navn>" that unticks its checkbox, and focus moves to the next token (or the
 *   list's summary when none is left).
 *
 * Texts come from div.fold-texts (templates/programs/steps/_fold_texts.html).
 */
(function () {
  "use strict";

  var pickers = document.querySelectorAll("[data-actor-picker]");
  var textsElement = document.querySelector(".fold-texts");
  if (!pickers.length || !textsElement) return;
  var texts = textsElement.dataset;

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, name) { return String(values[name]); });
  }

  var announcer = document.createElement("p");
  announcer.className = "visually-hidden";
  announcer.setAttribute("aria-live", "polite");  // not role=status: that is the page's messages
  announcer.id = "actor-picker-announcer";
  document.body.appendChild(announcer);

  function labelOf(box) {
    var label = box.id ? document.querySelector("label[for='" + box.id + "']") : null;
    return label ? label.textContent.trim() : box.value;
  }

  function setUp(picker) {
    var tokens = picker.querySelector(".actor-tokens");
    var details = picker.querySelector(".actor-choices");
    var groups = picker.querySelector(".actor-groups");
    var count = picker.querySelector(".actor-count");
    var boxes = Array.prototype.slice.call(groups.querySelectorAll("input[type=checkbox]"));

    // The filter: no name, so it is never posted nor kept in the unsaved copy.
    var filterId = groups.id + "-filter";
    var label = document.createElement("label");
    label.className = "visually-hidden";
    label.htmlFor = filterId;
    label.textContent = texts.filter;
    var filter = document.createElement("input");
    filter.type = "search";
    filter.id = filterId;
    filter.className = "form-control form-control-sm mb-2 actor-filter";
    filter.placeholder = texts.filter;
    filter.autocomplete = "off";
    filter.setAttribute("aria-controls", groups.id);
    var noMatch = document.createElement("p");
    noMatch.className = "small text-body-secondary mb-1";
    noMatch.hidden = true;
    noMatch.textContent = texts.noMatch;
    groups.parentElement.insertBefore(label, groups);
    groups.parentElement.insertBefore(filter, groups);
    groups.parentElement.insertBefore(noMatch, groups);

    function visibleBoxes() {
      return boxes.filter(function (box) { return !box.closest(".form-check").hidden; });
    }

    filter.addEventListener("input", function () {
      var wanted = filter.value.trim().toLocaleLowerCase();
      boxes.forEach(function (box) {
        box.closest(".form-check").hidden = wanted !== "" &&
          labelOf(box).toLocaleLowerCase().indexOf(wanted) === -1;
      });
      Array.prototype.forEach.call(groups.querySelectorAll(".actor-group"), function (group) {
        group.hidden = !group.querySelector(".form-check:not([hidden])");
      });
      noMatch.hidden = visibleBoxes().length > 0;
    });
    filter.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" && event.key !== "ArrowDown") return;
      // Enter here filters; it never submits the step form.
      event.preventDefault();
      event.stopPropagation();
      var first = visibleBoxes()[0];
      if (first) first.focus();
    });

    function render() {
      var chosen = boxes.filter(function (box) { return box.checked; });
      tokens.textContent = "";
      chosen.forEach(function (box) {
        var item = document.createElement("li");
        var token = document.createElement("button");
        token.type = "button";
        token.className = "btn btn-sm actor-token";
        token.dataset.value = box.value;
        token.setAttribute("aria-label", format(texts.remove, { name: labelOf(box) }));
        token.textContent = labelOf(box) + " ";
        var cross = document.createElement("span");
        cross.setAttribute("aria-hidden", "true");
        cross.textContent = "×";
        token.appendChild(cross);
        item.appendChild(token);
        tokens.appendChild(item);
      });
      if (!chosen.length) {
        var none = document.createElement("li");
        none.className = "small text-body-secondary";
        none.textContent = texts.noneChosen;
        tokens.appendChild(none);
      }
      count.textContent = format(texts.chosenCount, { chosen: chosen.length, total: boxes.length });
    }

    tokens.addEventListener("click", function (event) {
      var token = event.target.closest("button.actor-token");
      if (!token) return;
      var box = boxes.filter(function (b) { return b.value === token.dataset.value; })[0];
      if (!box) return;
      var all = Array.prototype.slice.call(tokens.querySelectorAll("button.actor-token"));
      var index = all.indexOf(token);
      box.checked = false;
      // Tell the other scripts (unsaved copy, the block's status) as a click would.
      box.dispatchEvent(new Event("input", { bubbles: true }));
      box.dispatchEvent(new Event("change", { bubbles: true }));
      announcer.textContent = format(texts.removed, { name: labelOf(box) });
      var left = tokens.querySelectorAll("button.actor-token");
      var next = left[Math.min(index, left.length - 1)];
      (next || details.querySelector("summary")).focus();
    });
    groups.addEventListener("change", render);
    groups.addEventListener("input", render);
    render();
  }

  Array.prototype.forEach.call(pickers, setUp);
})();
