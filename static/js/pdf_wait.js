// The "PDF'en dannes" page (templates/pdf/waiting.html): counts the seconds, asks the
// download address every 1.5 s whether the PDF is ready, and then loads it. Without script
// the page refreshes itself and offers a link instead.
(function () {
  "use strict";
  const box = document.getElementById("pdf-wait");
  if (!box) return;
  const status = document.getElementById("pdf-wait-status");
  const elapsed = document.getElementById("pdf-wait-elapsed");
  const started = Date.now() - (Number(box.dataset.elapsed) || 0) * 1000;

  // The seconds are not in the live region: a screen reader hears only the change of state.
  setInterval(function () {
    const seconds = Math.round((Date.now() - started) / 1000);
    elapsed.textContent = box.dataset.textElapsed.replace("%(s)s", String(seconds));
  }, 1000);

  function poll() {
    fetch(box.dataset.statusUrl, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      cache: "no-store",
    })
      .then(function (response) {
        return response.ok ? response.json() : { state: "waiting" };
      })
      .then(function (answer) {
        if (answer.state === "ready") {
          status.textContent = box.dataset.textReady;
          window.location.replace(box.dataset.pdfUrl);
        } else if (answer.state === "failed") {
          window.location.reload(); // the address itself says what went wrong
        } else {
          setTimeout(poll, 1500);
        }
      })
      .catch(function () {
        setTimeout(poll, 3000);
      });
  }
  setTimeout(poll, 1500);
})();
