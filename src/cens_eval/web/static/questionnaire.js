// cens-eval: the éditeur's page shows only what applies (the page works without it).
(function () {
  "use strict";
  function show(block, visible) {
    block.hidden = !visible;
    block.disabled = !visible; // a hidden field is never sent, so never saved unseen
  }
  function statusChanged(select) {
    Array.from(document.querySelectorAll("fieldset[data-pour='" + select.name + "']")).forEach(function (block) {
      show(block, select.value === block.getAttribute("data-statut"));
    });
  }
  function wireProfil(form) {
    var url = form.getAttribute("data-questions");
    form.addEventListener("change", function () {
      var data = new URLSearchParams(new FormData(form));
      fetch(url, { method: "POST", body: data, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (needed) {
          if (!needed) { return; }
          Array.from(form.querySelectorAll("fieldset[data-question]")).forEach(function (block) {
            show(block, needed.indexOf(block.getAttribute("data-question")) >= 0);
          });
        });
    });
  }
  function wireAnswers(form) {
    var here = form.querySelector("input[name=ici]");
    form.addEventListener("change", function (event) {
      if (event.target.matches && event.target.matches("select[name$='__statut']")) { statusChanged(event.target); }
    });
    form.addEventListener("focusin", function (event) {
      var block = event.target.closest && event.target.closest("fieldset[data-ici]");
      if (block && here) { here.value = block.getAttribute("data-ici"); }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.from(document.querySelectorAll("form[data-questions]")).forEach(wireProfil);
    var answers = document.getElementById("reponses");
    if (answers) { wireAnswers(answers); }
  });
})();
