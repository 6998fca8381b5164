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
