// Metrics charts: Chart.js (static/vendor, from npm) on data the page carries in
// <script type="application/json"> blocks (json_script). No inline script (CSP).
// Each <canvas data-chart="ID"> is drawn from the JSON in #ID; the same figures are in
// the table that follows it, for screen readers and for people who prefer numbers.
(function () {
  "use strict";
  if (!window.Chart) return;

  var PALETTE = ["#1d4e89", "#d1495b", "#00798c", "#edae49", "#66a182", "#8d5a97",
                 "#30638e", "#b5651d", "#4d4d4d", "#9c2c77"];
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) return;
    var spec = JSON.parse(source.textContent);
    var datasets = spec.datasets.map(function (set, i) {
      var colour = set.colour || PALETTE[i % PALETTE.length];
      return {
        label: set.label,
        data: set.data,
        borderColor: colour,
        backgroundColor: spec.type === "line" ? colour : colour + "cc",
        borderWidth: 2,
        pointRadius: spec.type === "line" && set.data.length > 60 ? 0 : 3,
        tension: 0.2,
        fill: false
      };
    });
    var stacked = !!spec.stacked;
    var chart = new window.Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: reduceMotion ? false : { duration: 400 },
        indexAxis: spec.indexAxis || "x",
        interaction: { mode: "index", intersect: false },
        plugins: { legend: { display: datasets.length > 1, position: "bottom" } },
        scales: {
          x: { stacked: stacked, beginAtZero: true, ticks: { precision: 0 } },
          y: { stacked: stacked, beginAtZero: true, ticks: { precision: 0 } }
        }
      }
    });
    canvas.dataset.rendered = "true";
    return chart;
  }

  function start() {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
    document.documentElement.dataset.chartsReady = "true";
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
