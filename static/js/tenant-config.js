// Tenant configuration pages: a window form shows only the part of the kind chosen (timed or
// recurring). Without script both parts stay visible and the server checks the chosen one.
document.addEventListener("DOMContentLoaded", function () {
  var radios = document.querySelectorAll("input[data-window-kind]");
  if (!radios.length) return;
  function apply() {
    var chosen = document.querySelector("input[data-window-kind]:checked");
    var kind = chosen ? chosen.value : "timed";
    document.querySelectorAll("[data-window-part]").forEach(function (part) {
      part.hidden = part.dataset.windowPart !== kind;
    });
  }
  radios.forEach(function (radio) { radio.addEventListener("change", apply); });
  apply();
});
