// Application form: autosave every few seconds of change, a warning before leaving with unsaved
// changes, character counters, and submit buttons that cannot be pressed twice.
(function () {
  "use strict";
  var SAVE_DELAY = 2500;

  // The words this script writes come from the page, in the page's language (the template's
  // #filing-messages data attributes, rendered with {% translate %}); {n}, {time} and {messages}
  // are filled in here.
  function say(key, values) {
    var island = document.getElementById("filing-messages");
    var text = (island && island.dataset[key]) || "";
    Object.keys(values || {}).forEach(function (name) { text = text.split("{" + name + "}").join(values[name]); });
    return text;
  }

  function countChars(text) { return text.replace(/\s+/g, "").length; }

  function counters() {
    document.querySelectorAll("textarea[data-max-chars], textarea[data-min-chars]").forEach(function (area) {
      var out = document.createElement("p");
      out.className = "counter help";
      out.setAttribute("aria-live", "polite");
      area.insertAdjacentElement("afterend", out);
      function update() {
        var n = countChars(area.value), max = +area.dataset.maxChars || 0, min = +area.dataset.minChars || 0;
        var parts = [say("typed", {n: n})];
        if (min) parts.push(say("atLeast", {n: min}));
        if (max) parts.push(say("atMost", {n: max}));
        out.textContent = parts.join(say("separator"));
        out.classList.toggle("over", (max && n > max) || (min && n < min));
      }
      area.addEventListener("input", update);
      update();
    });
  }

  function autosave(form) {
    var url = form.dataset.autosave;
    var status = form.querySelector(".autosave-status");
    var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    var changed = {};
    var dirty = false;
    var timer = null;
    var saving = null;

    function value(name) {
      var fields = form.querySelectorAll("[name='" + name + "']");
      if (name === "achievement_ids") {
        return Array.prototype.filter.call(fields, function (f) { return f.checked; }).map(function (f) { return f.value; });
      }
      var field = fields[0];
      return field.type === "checkbox" ? field.checked : field.value;
    }

    function save() {
      if (timer) { clearTimeout(timer); timer = null; }
      var names = Object.keys(changed);
      if (!names.length) return saving || Promise.resolve();
      var data = {};
      names.forEach(function (name) { data[name] = value(name); });
      changed = {};
      status.textContent = say("saving");
      saving = fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: {"Content-Type": "application/json", "X-CSRFToken": token},
        body: JSON.stringify(data)
      }).then(function (response) {
        return response.json().then(function (body) {
          if (body.saved) {
            if (!Object.keys(changed).length) dirty = false;
            status.textContent = say("saved", {time: body.saved_at});
            status.classList.remove("error");
          } else {
            names.forEach(function (name) { changed[name] = true; });
            var messages = [];
            Object.keys(body.errors || {}).forEach(function (k) { messages = messages.concat(body.errors[k]); });
            status.textContent = say("notSaved", {messages: messages.join(" ")});
            status.classList.add("error");
          }
        });
      }).catch(function () {
        names.forEach(function (name) { changed[name] = true; });
        status.textContent = say("offline");
        status.classList.add("error");
        timer = setTimeout(save, SAVE_DELAY * 2);
      }).then(function () { saving = null; });
      return saving;
    }

    function onChange(event) {
      var name = event.target.name;
      if (!name || name === "csrfmiddlewaretoken") return;
      changed[name] = true;
      dirty = true;
      status.textContent = say("unsaved");
      if (!timer) timer = setTimeout(save, SAVE_DELAY);
    }
    form.addEventListener("input", onChange);
    form.addEventListener("change", onChange);

    // Anything typed before this script ran (a slow connection, a quick typist) differs from the
    // value the server rendered: save it like any other change instead of losing it.
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.name === "csrfmiddlewaretoken") return;
      var edited = false;
      if (field.type === "checkbox" || field.type === "radio") edited = field.checked !== field.defaultChecked;
      else if (field.type === "select-one") {
        var initial = Array.prototype.findIndex.call(field.options, function (o) { return o.defaultSelected; });
        edited = field.selectedIndex !== Math.max(initial, 0);
      } else if (field.type === "select-multiple") {
        edited = Array.prototype.some.call(field.options, function (o) { return o.selected !== o.defaultSelected; });
      } else if ("defaultValue" in field) edited = field.value !== field.defaultValue;
      if (edited) onChange({target: field});
    });
    form.addEventListener("submit", function () { dirty = false; });

    // Other forms on the page (uploads, pledge, submit) save the draft first.
    document.querySelectorAll("form").forEach(function (other) {
      if (other === form) return;
      other.addEventListener("submit", function (event) {
        if (!dirty) return;
        event.preventDefault();
        save().then(function () { dirty = false; other.submit(); });
      });
    });

    window.addEventListener("beforeunload", function (event) {
      if (!dirty) return;
      event.preventDefault();
      event.returnValue = "";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    counters();
    document.querySelectorAll("form[data-autosave]").forEach(autosave);
    document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
      form.addEventListener("submit", function () {
        var button = form.querySelector("button[type=submit]");
        setTimeout(function () { button.disabled = true; button.textContent = say("submitting"); }, 0);
      });
    });
  });
})();
