/*
 * Preview of a long text field's formatting (progressive enhancement; without JavaScript
 * the field and its help link work as before).
 *
 * Under each text area written in the Markdown subset the server renders a help line
 * (p.formatting-help, pathways/programs/forms.py) that names its field (data-for), the
 * preview address and the texts to show, in the page language. This adds a button that
 * shows a preview below the field and keeps it up to date while the planner types. The
 * HTML comes from the server (POST, with the form's CSRF token), made by the same
 * renderer as the reading view and the PDF, so the preview never disagrees with them.
 */
(function () {
  "use strict";

  var DELAY_MS = 300;

  function csrfToken(area) {
    var field = area.form && area.form.querySelector("input[name=csrfmiddlewaretoken]");
    if (field) return field.value;
    var any = document.querySelector("input[name=csrfmiddlewaretoken]");
    return any ? any.value : "";
  }

  function setUp(help) {
    var area = document.getElementById(help.dataset.for);
    if (!area || help.dataset.previewReady) return;
    help.dataset.previewReady = "true";
    var t = help.dataset;

    var panel = document.createElement("div");
    panel.id = area.id + "-preview";
    panel.className = "formatted-preview formatted-text border rounded p-2 mb-2";
    panel.setAttribute("role", "region");
    panel.setAttribute("aria-label", t.heading);
    panel.hidden = true;
    help.insertAdjacentElement("afterend", panel);

    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-link btn-sm p-0 align-baseline preview-toggle";
    button.setAttribute("aria-controls", panel.id);
    button.setAttribute("aria-expanded", "false");
    button.textContent = t.show;
    help.insertBefore(document.createTextNode(" · "), help.firstChild);
    help.insertBefore(button, help.firstChild);

    var timer = null;
    var pending = null;

    function show(html) {
      if (html.trim()) {
        panel.innerHTML = html; // sanitised by the server (nh3 allow-list)
      } else {
        panel.textContent = "";
        var empty = document.createElement("p");
        empty.className = "text-body-secondary mb-0";
        empty.textContent = t.empty;
        panel.appendChild(empty);
      }
    }

    function refresh() {
      if (pending) pending.abort();
      pending = new AbortController();
      var body = new URLSearchParams();
      body.set("text", area.value);
      fetch(t.previewUrl, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(area), "X-Requested-With": "fetch" },
        signal: pending.signal,
      })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.text();
        })
        .then(show)
        .catch(function (error) {
          if (error.name === "AbortError") return;
          panel.textContent = t.failed;
        });
    }

    button.addEventListener("click", function () {
      var open = panel.hidden;
      panel.hidden = !open;
      button.setAttribute("aria-expanded", String(open));
      button.textContent = open ? t.hide : t.show;
      if (open) refresh();
    });
    area.addEventListener("input", function () {
      if (panel.hidden) return;
      clearTimeout(timer);
      timer = setTimeout(refresh, DELAY_MS);
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("p.formatting-help[data-for]"), setUp);
})();
