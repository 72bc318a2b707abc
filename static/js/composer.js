// The composer keeps what is typed in this browser (localStorage) until it is saved,
// so a crash, a closed tab or an expired session never loses text. Counters, checks and
// previews come from the server through htmx (posts:composer_check): no network rule
// is implemented here.
(function () {
  "use strict";
  var form = document.getElementById("composer");
  if (!form || !window.localStorage) return;

  var PREFIX = "annexe:draft:";
  var key = PREFIX + form.getAttribute("data-draft-key");
  var version = form.getAttribute("data-draft-version");
  var notice = document.getElementById("draft-restored");

  if (form.hasAttribute("data-draft-clear")) {
    localStorage.removeItem(PREFIX + form.getAttribute("data-draft-clear"));
  }

  function textFields() {
    return form.querySelectorAll("textarea[name], input[type=text][name], input[type=url][name]");
  }
  function snapshot() {
    var data = {};
    textFields().forEach(function (el) { data[el.name] = el.value; });
    return data;
  }
  function differs(a, b) {
    return Object.keys(a).some(function (name) { return b[name] !== undefined && a[name] !== b[name]; });
  }
  function apply(fields) {
    textFields().forEach(function (el) {
      if (Object.prototype.hasOwnProperty.call(fields, el.name) && el.value !== fields[el.name]) {
        el.value = fields[el.name];
        el.dispatchEvent(new Event("input", { bubbles: true }));
      }
    });
  }

  var initial = snapshot();
  var stored = null;
  try { stored = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { stored = null; }

  if (stored && stored.version === version && differs(stored.fields, initial)) {
    apply(stored.fields);
    if (notice) {
      var when = new Date(stored.savedAt || Date.now());
      notice.textContent = (notice.getAttribute("data-text") || "") + " " + when.toLocaleString();
      var undo = document.createElement("button");
      undo.type = "button";
      undo.className = "secondary outline";
      undo.textContent = notice.getAttribute("data-undo") || "Undo";
      undo.addEventListener("click", function () {
        apply(initial);
        localStorage.removeItem(key);
        notice.hidden = true;
      });
      notice.appendChild(document.createTextNode(" "));
      notice.appendChild(undo);
      notice.hidden = false;
    }
  } else if (stored && stored.version !== version) {
    // The server holds a newer save than this copy was typed on: it was saved.
    localStorage.removeItem(key);
  }

  var timer = null;
  function remember() {
    var now = snapshot();
    if (differs(now, initial)) {
      localStorage.setItem(key, JSON.stringify({ version: version, fields: now, savedAt: Date.now() }));
    } else {
      localStorage.removeItem(key);
    }
  }
  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(remember, 400);
  });
  // Keep the latest keystrokes even if the page goes away before the timer fires.
  window.addEventListener("pagehide", remember);
  form.addEventListener("submit", remember);
})();
