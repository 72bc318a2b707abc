// The composer keeps what is typed in this browser (localStorage) until it is saved,
// so a crash, a closed tab or an expired session never loses text. Counters, checks and
// previews come from the server through htmx (posts:composer_check): no network rule
// is implemented here.
(function () {
  "use strict";
  var form = document.getElementById("composer");
  if (!form) return;

  // --- Network tabs (WAI-ARIA tabs: arrows, Home, End; one panel shown) ------------------
  var activeKey = null;
  function initTabs() {
    var list = document.getElementById("network-tablist");
    if (!list) return;
    var tabs = Array.prototype.slice.call(list.querySelectorAll("[role=tab]"));
    var keys = tabs.map(function (tab) { return tab.getAttribute("data-tab"); });
    if (keys.indexOf(activeKey) < 0) activeKey = keys.length ? keys[0] : null;
    document.querySelectorAll(".network-panel").forEach(function (panel) {
      panel.hidden = panel.getAttribute("data-panel") !== activeKey;
    });
    tabs.forEach(function (tab) {
      var on = tab.getAttribute("data-tab") === activeKey;
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.tabIndex = on ? 0 : -1;
    });
    return tabs;
  }
  function select(key, focus) {
    activeKey = key;
    var tabs = initTabs() || [];
    if (focus) {
      tabs.forEach(function (tab) { if (tab.getAttribute("data-tab") === key) tab.focus(); });
    }
  }
  document.addEventListener("click", function (event) {
    var tab = event.target.closest("#network-tablist [role=tab]");
    if (tab) select(tab.getAttribute("data-tab"), false);
  });
  document.addEventListener("keydown", function (event) {
    var tab = event.target.closest("#network-tablist [role=tab]");
    if (!tab) return;
    var tabs = Array.prototype.slice.call(tab.parentNode.querySelectorAll("[role=tab]"));
    var index = tabs.indexOf(tab);
    var next = null;
    if (event.key === "ArrowRight") next = tabs[(index + 1) % tabs.length];
    else if (event.key === "ArrowLeft") next = tabs[(index - 1 + tabs.length) % tabs.length];
    else if (event.key === "Home") next = tabs[0];
    else if (event.key === "End") next = tabs[tabs.length - 1];
    if (next) {
      event.preventDefault();
      select(next.getAttribute("data-tab"), true);
    }
  });
  document.body.addEventListener("htmx:afterSettle", function () { initTabs(); });
  initTabs();

  // "Start from the common text" in a network's tab.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-master]");
    if (!button) return;
    var field = document.getElementById(button.getAttribute("data-copy-master"));
    var master = document.getElementById("id_body");
    if (field && master) {
      field.value = master.value;
      field.dispatchEvent(new Event("input", { bubbles: true }));
      field.focus();
    }
  });

  if (!window.localStorage) return;

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
