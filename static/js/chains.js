// The validation chain editor: add, remove and reorder levels in the page, saved all at
// once. Without JavaScript the same form works with its "Ordre" and "Retirer" fields and
// an "Ajouter une étape" button that asks the server for one more empty level.
(function () {
  "use strict";

  var editor = document.querySelector("[data-chain-editor]");
  if (!editor) return;
  var list = editor.querySelector("[data-levels]");
  var total = editor.querySelector("input[name$='-TOTAL_FORMS']");
  var template = document.getElementById("level-template");
  var status = editor.querySelector("[data-levels-status]");
  var addButton = editor.querySelector("[data-add-level]");
  var section = editor.querySelector("[data-levels-section]");
  var text = function (name) { return editor.getAttribute("data-text-" + name) || name; };

  function levels() { return Array.prototype.slice.call(list.querySelectorAll("[data-level]")); }
  function kept() { return levels().filter(function (level) { return !level.hidden; }); }
  function field(level, suffix) { return level.querySelector("[name$='-" + suffix + "']"); }
  function say(message) { status.textContent = ""; window.setTimeout(function () { status.textContent = message; }, 50); }

  function renumber() {
    var shown = kept();
    shown.forEach(function (level, index) {
      var number = String(index + 1);
      level.querySelector("[data-level-number]").textContent = number;
      field(level, "ORDER").value = number;
      var up = level.querySelector("[data-move='-1']");
      var down = level.querySelector("[data-move='1']");
      up.disabled = index === 0;
      down.disabled = index === shown.length - 1;
      up.setAttribute("aria-label", text("up") + " " + text("step") + " " + number);
      down.setAttribute("aria-label", text("down") + " " + text("step") + " " + number);
      level.querySelector("[data-remove]").setAttribute("aria-label", text("remove") + " " + text("step") + " " + number);
    });
  }

  function button(label, attribute, value, className) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = className || "secondary outline";
    element.setAttribute(attribute, value);
    element.textContent = label;
    return element;
  }

  function remove(level, quiet) {
    field(level, "DELETE").checked = true;
    level.hidden = true;
    var note = document.createElement("p");
    note.className = "level-removed";
    note.setAttribute("data-removed-note", "");
    var name = field(level, "name").value.trim();
    note.textContent = (name ? "« " + name + " » : " : "") + text("removed") + " ";
    var undo = button(text("undo"), "data-undo", "", "link-button");
    undo.addEventListener("click", function () {
      field(level, "DELETE").checked = false;
      level.hidden = false;
      note.remove();
      renumber();
      field(level, "name").focus();
    });
    note.appendChild(undo);
    level.parentNode.insertBefore(note, level.nextSibling);
    renumber();
    if (quiet) return;
    undo.focus();
    say(text("removed"));
  }

  function move(level, step) {
    var shown = kept();
    var index = shown.indexOf(level);
    var other = shown[index + step];
    if (!other) return;
    if (step < 0) {
      list.insertBefore(level, other);
    } else {
      list.insertBefore(level, other.nextSibling);
    }
    // A "removed" note follows its level.
    levels().forEach(function (each) {
      var note = each.nextElementSibling;
      if (!each.hidden || !note || !note.hasAttribute("data-removed-note")) return;
      list.insertBefore(note, each.nextSibling);
    });
    renumber();
    say(text("moved") + " " + (kept().indexOf(level) + 1) + ".");
  }

  function enhance(level) {
    level.querySelectorAll("[data-no-js]").forEach(function (element) { element.hidden = true; });
    var tools = document.createElement("div");
    tools.className = "level-buttons";
    tools.appendChild(button("↑ " + text("up"), "data-move", "-1"));
    tools.appendChild(button("↓ " + text("down"), "data-move", "1"));
    tools.appendChild(button(text("remove"), "data-remove", "", "secondary outline level-remove"));
    level.appendChild(tools);
    tools.addEventListener("click", function (event) {
      var target = event.target.closest("button");
      if (!target) return;
      if (target.hasAttribute("data-move")) move(level, Number(target.getAttribute("data-move")));
      if (target.hasAttribute("data-remove")) remove(level);
    });
  }

  function add() {
    var index = Number(total.value);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    var level = holder.firstElementChild;
    list.appendChild(level);
    total.value = String(index + 1);
    enhance(level);
    renumber();
    field(level, "name").focus();
    say(text("added"));
  }

  editor.querySelectorAll("[data-no-js]").forEach(function (element) { element.hidden = true; });
  levels().forEach(enhance);
  levels().forEach(function (level) {
    if (field(level, "DELETE").checked) remove(level, true);
  });
  renumber();

  // The button asks the server for an empty level without JavaScript; here it adds one
  // in the page (and, as a plain button, is no longer the one Enter presses).
  addButton.type = "button";
  addButton.addEventListener("click", add);

  // The levels matter only with "Avec les étapes ci-dessous".
  function showLevels() {
    var chosen = editor.querySelector("input[name='mode']:checked");
    section.hidden = !!chosen && chosen.value !== "levels";
  }
  editor.querySelectorAll("input[name='mode']").forEach(function (radio) {
    radio.addEventListener("change", showLevels);
  });
  showLevels();
})();
