// Progress polling for long jobs; no inline script anywhere (strict CSP).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-poll]").forEach(function (box) {
    if (box.dataset.done) return;
    var timer = setInterval(function () {
      fetch(box.dataset.poll, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (data) {
        box.querySelector("progress").value = data.progress;
        box.querySelector(".progress-label").textContent = data.status_label + "（" + data.progress + "%）";
        if (data.status === "done" || data.status === "failed") { clearInterval(timer); window.location.reload(); }
      }).catch(function () {});
    }, 1500);
  });
});

// Selects whose options belong to a tenant show only the options of the tenant chosen above.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("select[data-scoped-by]").forEach(function (select) {
    var scope = document.getElementById(select.dataset.scopedBy);
    if (!scope) return;
    function apply() {
      Array.prototype.forEach.call(select.options, function (option) {
        if (!option.dataset.tenant) return;
        // Nothing of any tenant until one is chosen: never every city's districts at once.
        var visible = option.dataset.tenant === scope.value;
        option.hidden = !visible;
        option.disabled = !visible;
        if (!visible && option.selected) select.value = "";
      });
    }
    scope.addEventListener("change", apply);
    apply();
  });
});

// A select marked data-autosubmit submits its form when the choice changes (the scoring page's
// member switch). An inline onchange would be blocked by the site's CSP.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () {
      if (!select.form) return;
      if (select.form.requestSubmit) select.form.requestSubmit(); else select.form.submit();
    });
  });
});
