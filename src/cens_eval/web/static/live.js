// cens-eval: refresh a form's score panel when an answer changes (the forms work without it).
(function () {
  "use strict";
  function wire(form) {
    var url = form.getAttribute("data-panneau");
    var aside = form.parentNode.querySelector("aside");
    if (!url || !aside) { return; }
    var pending = null;
    function refresh() {
      var data = new FormData(form);
      // A chosen file is not sent before the save: its name is, and it counts as provided.
      Array.from(form.querySelectorAll("input[type=file]")).forEach(function (f) {
        data.delete(f.name);
        if (f.files && f.files.length) { data.append(f.name.replace(/__upload$/, "__choisi"), f.files[0].name); }
      });
      // Sent as a URL-encoded form: no file goes with it, and nothing to cut in parts.
      fetch(url, { method: "POST", body: new URLSearchParams(data), credentials: "same-origin" })
        .then(function (r) { return r.text(); })
        .then(function (html) { aside.innerHTML = html; });
    }
    form.addEventListener("change", function () {
      if (pending) { clearTimeout(pending); }
      pending = setTimeout(refresh, 150);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.from(document.querySelectorAll("form[data-panneau]")).forEach(wire);
  });
})();
