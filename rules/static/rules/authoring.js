// Rule-set clause forms: in a level path, show only the inputs its path type uses ("from").
// The server reads only those inputs whatever is shown; this only keeps the form short.
// No inline script anywhere (strict CSP): wired here with addEventListener.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".clause-row").forEach(function (row) {
    var kind = row.querySelector("select[name$='.from']");
    var cells = row.querySelectorAll("[data-show-for]");
    if (!kind || !cells.length) return;
    function apply() {
      cells.forEach(function (cell) {
        var wanted = cell.dataset.showFor.split(" ");
        cell.hidden = Boolean(kind.value) && wanted.indexOf(kind.value) === -1;
      });
    }
    kind.addEventListener("change", apply);
    apply();
  });
});
