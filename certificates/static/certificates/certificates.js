// Follows a certificate batch until it finishes: updates the progress bar and the counts, then
// shows the result. No inline script anywhere (strict CSP).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-batch-status]").forEach(function (box) {
    if (box.dataset.finished) return;
    var timer = setInterval(function () {
      fetch(box.dataset.batchStatus, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) { return response.json(); })
        .then(function (batch) {
          box.querySelector("progress").value = batch.progress;
          box.querySelector(".batch-status").textContent = batch.status_label;
          box.querySelector(".batch-done").textContent = batch.done;
          box.querySelector(".batch-total").textContent = batch.total;
          if (batch.finished) {
            clearInterval(timer);
            box.dataset.finished = "1";
            box.querySelector(".batch-issued").textContent = batch.issued;
            box.querySelector(".batch-failed").textContent = batch.failed;
            box.querySelector(".batch-result").hidden = false;
          }
        })
        .catch(function () {});
    }, 700);
  });
});
