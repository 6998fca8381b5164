// One-click opinion templates: choosing a template copies it into the opinion box.
document.querySelectorAll("select[data-fills]").forEach(function (select) {
  select.addEventListener("change", function () {
    var box = document.getElementById(select.dataset.fills);
    if (box && select.value) { box.value = select.value; }
  });
});
