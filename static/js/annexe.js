// Annexe's small shared behaviours. No inline scripts (CSP): pages opt in with data- attributes.
(function () {
  "use strict";

  // Ask before a destructive action: <button data-confirm="Sure?">.
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-confirm]");
    if (target && !window.confirm(target.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // Copy a value to the clipboard: <button data-copy="#element-id">.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (!source) return;
    var text = source.value !== undefined ? source.value : source.textContent;
    var done = function () {
      var label = button.getAttribute("data-copied") || "OK";
      var status = document.getElementById(button.getAttribute("aria-describedby") || "");
      if (status) { status.textContent = label; }
    };
    if (navigator.clipboard) {
      navigator.clipboard.writeText(text).then(done, function () { source.select && source.select(); });
    } else if (source.select) {
      source.select();
      document.execCommand("copy");
      done();
    }
  });

  // htmx: send the CSRF token on every request (also set on <body hx-headers>), and show
  // server-side errors instead of failing silently.
  document.addEventListener("htmx:responseError", function (event) {
    var box = document.getElementById("htmx-error");
    if (!box) {
      box = document.createElement("p");
      box.id = "htmx-error";
      box.className = "message message-error";
      box.setAttribute("role", "alert");
      var main = document.getElementById("main");
      main.insertBefore(box, main.firstChild);
    }
    box.textContent = event.detail.xhr.getResponseHeader("X-Annexe-Error") ||
      document.documentElement.getAttribute("data-error-text") ||
      "Error " + event.detail.xhr.status;
  });

  // Logging in again (in another tab) changes the CSRF token: always send the current one,
  // so a page opened before still saves (posts.views.recovery explains the whole scheme).
  function currentCsrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : null;
  }
  document.addEventListener("submit", function (event) {
    var token = currentCsrfToken();
    var field = event.target.querySelector && event.target.querySelector("input[name=csrfmiddlewaretoken]");
    if (token && field) field.value = token;
  }, true);
  document.addEventListener("htmx:configRequest", function (event) {
    var token = currentCsrfToken();
    if (token) event.detail.headers["X-CSRFToken"] = token;
  });
})();
