// Progressive enhancement of [data-upload-zone]: drag and drop, and one request per file
// with its own status line. Without JavaScript the form (or the composer's save) sends
// the files itself.
(function () {
  "use strict";

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function setup(zone) {
    var input = zone.querySelector("input[type=file]");
    var status = zone.querySelector("[data-upload-status]");
    var url = zone.getAttribute("data-upload-url");
    var fragment = zone.getAttribute("data-fragment") || "composer";
    var target = document.querySelector(zone.getAttribute("data-target") || "#composer-media-list");
    var submit = zone.querySelector("[data-upload-submit]");
    if (!input || !status || !url || !target) return;
    if (submit) submit.hidden = true;
    // Files go up one by one as soon as they are chosen: the form must not send them again.
    input.removeAttribute("name");
    zone.classList.add("js-upload");

    function line(text, className) {
      var li = document.createElement("li");
      li.textContent = text;
      if (className) li.className = className;
      status.appendChild(li);
      return li;
    }

    function uploadOne(file) {
      var li = line(file.name + " — " + (zone.getAttribute("data-sending") || "…"));
      var data = new FormData();
      data.append("files", file);
      data.append("fragment", fragment);
      return fetch(url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken() }
      }).then(function (response) {
        return response.text().then(function (html) {
          if (response.ok) {
            target.insertAdjacentHTML("beforeend", html);
            var added = target.lastElementChild;
            if (window.htmx && added) window.htmx.process(added);
            // New photos go last: number their order after the others.
            var position = added && added.querySelector("input[name^=media_position-]");
            if (position) position.value = target.children.length;
            var empty = target.querySelector(".empty");
            if (empty) empty.remove();
            li.textContent = file.name + " — " + (zone.getAttribute("data-done") || "OK");
            li.className = "ok";
            document.body.dispatchEvent(new CustomEvent("composer-changed"));
          } else if (response.status === 422) {
            li.innerHTML = html;  // rendered and escaped by the server
            li.className = "error";
          } else {
            li.textContent = file.name + " — " + (zone.getAttribute("data-expired") || response.status);
            li.className = "error";
          }
        });
      }).catch(function () {
        li.textContent = file.name + " — " + (zone.getAttribute("data-failed") || "error");
        li.className = "error";
      });
    }

    function uploadAll(files) {
      var chain = Promise.resolve();
      files.forEach(function (file) { chain = chain.then(function () { return uploadOne(file); }); });
      return chain;
    }

    input.addEventListener("change", function () {
      var files = Array.prototype.slice.call(input.files || []);
      input.value = "";
      uploadAll(files);
    });
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.add("dragging");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.remove("dragging");
      });
    });
    zone.addEventListener("drop", function (event) {
      uploadAll(Array.prototype.slice.call(event.dataTransfer.files || []));
    });
  }

  document.querySelectorAll("[data-upload-zone]").forEach(setup);
})();
