// What templates ask of every page by data attributes, so that none needs an inline script, handler or style
// (the Content-Security-Policy runs scripts and styles from our own files only).
(function () {
  "use strict";

  // <select data-autosubmit>: choosing submits its form. data-split="period first" first writes the parts of a
  // value such as "month|2017-03-01" into the form's fields of those names.
  document.addEventListener("change", function (event) {
    var field = event.target.closest && event.target.closest("[data-autosubmit]");
    if (!field || !field.form) return;
    var names = (field.dataset.split || "").split(" ").filter(Boolean);
    var parts = field.value.split("|");
    names.forEach(function (name, i) { field.form.elements[name].value = parts[i] || ""; });
    field.form.submit();
  });

  // <span data-share="40">: a bar's width in per cent, set through the CSSOM (allowed; a style attribute is not).
  function sizeShares(root) {
    root.querySelectorAll("[data-share]").forEach(function (bar) {
      bar.style.width = parseFloat(bar.dataset.share) + "%";
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { sizeShares(document); });
  } else {
    sizeShares(document);
  }
  document.addEventListener("htmx:afterSwap", function (event) { sizeShares(event.target); });
})();
