// Follows document jobs that are still queued or rendering; reloads once they finish so that the
// download button appears. No inline script anywhere (strict CSP).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-job-status]").forEach(function (box) {
    if (box.dataset.finished) return;
    var timer = setInterval(function () {
      fetch(box.dataset.jobStatus, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) { return response.json(); })
        .then(function (job) {
          box.querySelector("progress").value = job.progress;
          box.querySelector(".document-status").textContent = job.status_label;
          if (job.status === "done" || job.status === "failed") {
            clearInterval(timer);
            window.location.reload();
          }
        })
        .catch(function () {});
    }, 1000);
  });
});
