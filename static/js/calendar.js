// The editorial calendar: FullCalendar on the page's data, moves checked by the server.
// No inline script (CSP): configuration comes from #calendar-config (json_script) and
// translated texts from #calendar-texts (data- attributes).
(function () {
  "use strict";

  var element = document.querySelector("[data-calendar]");
  if (!element || !window.FullCalendar) return;

  var config = JSON.parse(document.getElementById("calendar-config").textContent);
  var texts = document.getElementById("calendar-texts").dataset;
  var status = document.getElementById("calendar-status");
  var loadedAt = Date.now();
  var VIEW_PARAM = { dayGridMonth: "month", timeGridWeek: "week", listMonth: "list" };

  function say(message, isError) {
    status.textContent = message;
    status.classList.toggle("message-error", !!isError);
    status.setAttribute("role", isError ? "alert" : "status");
  }

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
  }

  function filterParams() {
    var params = new URLSearchParams();
    Object.keys(config.filters || {}).forEach(function (key) { params.set(key, config.filters[key]); });
    return params;
  }

  function csrfToken() {
    var input = document.querySelector("[data-move-form] input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // The library's wall-clock now (FullCalendar runs in the library's timezone without
  // a timezone plugin, so dates are wall-clock times carried as UTC).
  function libraryNow() { return new Date(config.nowMs + (Date.now() - loadedAt)); }

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function wallString(date) {
    return date.getUTCFullYear() + "-" + pad(date.getUTCMonth() + 1) + "-" + pad(date.getUTCDate()) +
      "T" + pad(date.getUTCHours()) + ":" + pad(date.getUTCMinutes());
  }

  // A travelling user sees the library's time, and is told so.
  try {
    var deviceZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (deviceZone && deviceZone !== config.timeZone) {
      var note = document.querySelector("[data-travel-note]");
      note.querySelector("[data-device-tz]").textContent = deviceZone;
      note.hidden = false;
    }
  } catch (e) { /* old browsers: the library's timezone is labelled anyway */ }

  function postMove(postId, scheduledAt) {
    var body = new FormData();
    body.set("scheduled_at", scheduledAt);
    body.set("timezone", config.timeZone);
    return fetch(config.moveUrl.replace("{id}", postId), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken() }
    }).then(function (response) {
      return response.json().catch(function () { return { ok: false, error: texts.error }; })
        .then(function (data) { data.ok = response.ok && data.ok; return data; });
    }, function () { return { ok: false, error: texts.error }; });
  }

  // Posts come as rows of scalars with lookup tables (editorial_calendar/events.py,
  // post_events): thousands of posts share a few lines, authors and sets of networks.
  function expandPosts(posts) {
    var at = {};
    posts.columns.forEach(function (name, index) { at[name] = index; });
    return posts.rows.map(function (row) {
      var id = row[at.id];
      var state = row[at.state];
      var line = row[at.line] === null ? posts.noLine : posts.lines[row[at.line]];
      return {
        id: "post-" + id,
        title: row[at.title],
        start: row[at.start],
        url: config.postUrl.replace("{id}", id),
        color: line.color,
        textColor: line.textColor,
        classNames: ["state-" + state],
        extendedProps: {
          kind: "post",
          postId: id,
          state: state,
          line: line.name,
          networks: posts.targets[row[at.targets]],
          author: posts.authors[row[at.author]],
          library: posts.libraries[row[at.library]] || "",
          refusal: posts.refusals[row[at.refusal]]
        }
      };
    });
  }

  function stateOf(props) { return config.states[props.state] || { label: props.state, symbol: "" }; }

  // How the post went on one account, once publishing took it over ("" before).
  function publicationState(target) {
    if (!target.state) return null;
    return config.publicationStates[target.state] || { label: target.state, symbol: "" };
  }

  function targetLabel(target) {
    var state = publicationState(target);
    return state ? fill(texts.targetState, { name: target.name, state: state.label }) : target.name;
  }

  function describe(event) {
    var props = event.extendedProps;
    var parts = [event.start ? wallString(event.start).slice(11) : "", event.title, stateOf(props).label];
    if (props.networks.length) parts.push(props.networks.map(targetLabel).join(", "));
    if (props.line) parts.push(texts.line + " " + props.line);
    if (props.library) parts.push(props.library);
    parts.push(texts.by + " " + props.author);
    return parts.filter(Boolean).join(" — ");
  }

  function renderPost(arg) {
    var props = arg.event.extendedProps;
    var box = document.createElement("span");
    box.className = "ev";
    if (arg.timeText && arg.view.type !== "listMonth") {
      var time = document.createElement("span");
      time.className = "ev-time";
      time.textContent = arg.timeText;
      box.appendChild(time);
    }
    var state = document.createElement("span");
    state.className = "ev-state";
    state.setAttribute("aria-hidden", "true");
    state.title = stateOf(props).label;
    state.textContent = stateOf(props).symbol;
    box.appendChild(state);
    // The list view has no link of its own around a custom content: give it one.
    var inList = arg.view.type === "listMonth";
    var title = document.createElement(inList ? "a" : "span");
    title.className = "ev-title";
    title.textContent = arg.event.title;
    if (inList) title.href = arg.event.url;
    box.appendChild(title);
    props.networks.forEach(function (target) {
      var badge = document.createElement("span");
      var state = publicationState(target);
      badge.className = "ev-net" + (state ? " pub-" + target.state : "");
      badge.title = targetLabel(target);
      badge.setAttribute("aria-hidden", "true");
      badge.textContent = target.badge + (state ? " " + state.symbol : "");
      box.appendChild(badge);
    });
    if (arg.view.type === "listMonth") {
      var extra = document.createElement("span");
      extra.className = "ev-meta";
      extra.textContent = stateOf(props).label + (props.line ? " · " + props.line : "") +
        (props.library ? " · " + props.library : "");
      box.appendChild(extra);
    }
    return { domNodes: [box] };
  }

  // --- "Move to…": the keyboard and screen-reader alternative to dragging -------------
  var dialog = document.getElementById("move-dialog");
  var moveForm = dialog.querySelector("[data-move-form]");
  var moveError = dialog.querySelector("[data-move-error]");
  var movingId = null;
  var opener = null;

  function openMove(event, button) {
    movingId = event.extendedProps.postId;
    opener = button;
    dialog.querySelector("[data-move-title]").textContent = event.title;
    moveForm.elements.scheduled_at.value = wallString(event.start);
    moveError.textContent = "";
    dialog.showModal();
    moveForm.elements.scheduled_at.focus();
  }

  dialog.querySelector("[data-move-cancel]").addEventListener("click", function () { dialog.close(); });
  dialog.addEventListener("close", function () { if (opener) opener.focus(); });
  moveForm.addEventListener("submit", function (submitEvent) {
    submitEvent.preventDefault();
    moveError.textContent = texts.moving;
    postMove(movingId, moveForm.elements.scheduled_at.value).then(function (data) {
      if (data.ok) {
        dialog.close();
        say(data.message || texts.moved);
        calendar.refetchEvents();
      } else {
        moveError.textContent = texts.refused + " " + data.error;
      }
    });
  });

  function addMoveButton(info) {
    var cell = info.el.querySelector(".fc-list-event-title");
    if (!cell) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "move-button secondary outline";
    button.textContent = texts.move;
    button.setAttribute("aria-label", fill(texts.moveLabel, { title: info.event.title }));
    if (info.event.extendedProps.refusal) {
      button.setAttribute("aria-describedby", "");
      button.title = info.event.extendedProps.refusal;
    }
    button.addEventListener("click", function (clickEvent) {
      // The list row follows the event's URL on click: this button must not.
      clickEvent.preventDefault();
      clickEvent.stopPropagation();
      openMove(info.event, button);
    });
    cell.appendChild(button);
  }

  // --- the calendar -------------------------------------------------------------------
  var calendar = new FullCalendar.Calendar(element, {
    timeZone: config.timeZone,
    locale: texts.locale === "fr" ? "fr" : "en",
    initialView: config.initialView,
    initialDate: config.initialDate,
    now: libraryNow,
    headerToolbar: { left: "prev,next today", center: "title", right: "dayGridMonth,timeGridWeek,listMonth" },
    buttonText: { month: texts.month, week: texts.week, list: texts.list, today: texts.today },
    height: "auto",
    firstDay: 1,
    dayMaxEvents: 6,
    eventDisplay: "block",
    editable: true,
    eventDurationEditable: false,
    eventResizableFromStart: false,
    defaultTimedEventDuration: "00:30",
    displayEventEnd: false,
    scrollTime: "08:00:00",
    views: { timeGridWeek: { contentHeight: 640 } },
    eventTimeFormat: { hour: "2-digit", minute: "2-digit", hour12: false },
    slotLabelFormat: { hour: "2-digit", minute: "2-digit", hour12: false },
    noEventsText: texts.noEvents,
    events: function (info, success, failure) {
      var params = filterParams();
      params.set("start", info.startStr);
      params.set("end", info.endStr);
      params.set("timeZone", config.timeZone);
      fetch(config.eventsUrl + "?" + params.toString(), {
        credentials: "same-origin", headers: { "Accept": "application/json" }
      }).then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok) throw new Error(data.error || texts.error);
          return data;
        });
      }).then(function (data) {
        var posts = expandPosts(data.posts);
        success(posts.concat(data.events));
        var count = posts.length;
        element.setAttribute("data-loaded", "true");
        element.setAttribute("aria-description", fill(texts.loaded, { n: count }));
      }, function (error) {
        say(error.message || texts.error, true);
        failure(error);
      });
    },
    eventContent: function (arg) {
      if (arg.event.extendedProps.kind !== "post") return true;
      return renderPost(arg);
    },
    eventDidMount: function (info) {
      if (info.event.extendedProps.kind !== "post") {
        info.el.setAttribute("title", info.event.title);
        return;
      }
      info.el.classList.add("post-event");
      var label = describe(info.event);
      var link = info.el.tagName === "A" ? info.el : info.el.querySelector("a.ev-title") || info.el;
      link.setAttribute("aria-label", label);
      link.setAttribute("title", label);
      if (info.view.type === "listMonth") addMoveButton(info);
    },
    // A timed post never becomes an all-day event; only posts move.
    eventAllow: function (drop, dragged) {
      return dragged.extendedProps.kind === "post" && !(drop.allDay && !dragged.allDay);
    },
    eventDrop: function (info) {
      say(texts.moving);
      postMove(info.event.extendedProps.postId, wallString(info.event.start)).then(function (data) {
        if (data.ok) {
          say(data.message || texts.moved);
          calendar.refetchEvents();
        } else {
          info.revert();
          say(texts.refused + " " + data.error, true);
        }
      });
    },
    dateClick: function (info) {
      var when = info.allDay ? info.dateStr + "T10:00" : wallString(info.date);
      var startOfDay = new Date(Date.UTC(info.date.getUTCFullYear(), info.date.getUTCMonth(), info.date.getUTCDate() + 1));
      if ((info.allDay ? startOfDay : info.date) <= libraryNow()) {
        say(texts.past, true);
        return;
      }
      var url = new URL(config.newPostUrl, window.location.href);
      url.searchParams.set("scheduled_at", when);
      window.location.href = url.toString();
    },
    datesSet: function (info) {
      var month = info.view.currentStart;
      var monthParam = month.getUTCFullYear() + "-" + pad(month.getUTCMonth() + 1);
      var url = new URL(window.location.href);
      url.searchParams.set("view", VIEW_PARAM[info.view.type] || "month");
      url.searchParams.set("date", wallString(info.view.currentStart).slice(0, 10));
      window.history.replaceState(null, "", url.toString());
      document.querySelectorAll("[data-keep]").forEach(function (input) {
        input.value = url.searchParams.get(input.getAttribute("data-keep")) || "";
      });
      var range = filterParams();
      range.set("start", info.startStr);
      range.set("end", info.endStr);
      document.querySelector("[data-export-link]").href = config.exportUrl + "?" + range.toString();
      var printParams = filterParams();
      printParams.set("month", monthParam);
      document.querySelector("[data-print-link]").href = config.printUrl + "?" + printParams.toString();
      refreshSummary(monthParam);
    }
  });

  var shownMonth = null;
  function refreshSummary(monthParam) {
    if (monthParam === shownMonth) return;
    var first = shownMonth === null;
    shownMonth = monthParam;
    if (first && monthParam === config.initialDate.slice(0, 7)) return; // rendered with the page
    var params = filterParams();
    params.set("month", monthParam);
    fetch(config.summaryUrl + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(); })
      .then(function (html) { document.getElementById("calendar-summary").innerHTML = html; },
        function () { say(texts.error, true); });
  }

  calendar.render();
  window.annexeCalendar = calendar;
})();
