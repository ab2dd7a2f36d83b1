// Dashboard charts: bars for registered / recognised, a line for the yearly trend.
// Data comes from the json_script "dashboard-data"; each bar drills down to the
// registrations list. Without Chart.js the canvases are removed and the tables remain.
(function () {
  "use strict";

  var COLORS = { registered: "#2f6db5", recognized: "#2e8b57" };

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function number(n) {
    return new Intl.NumberFormat("vi-VN").format(n);
  }

  function build(canvas, block, labels, horizontal, line) {
    var datasets = [
      { label: labels.registered, data: block.registered, backgroundColor: COLORS.registered,
        borderColor: COLORS.registered },
      { label: labels.recognized, data: block.recognized, backgroundColor: COLORS.recognized,
        borderColor: COLORS.recognized }
    ];
    if (horizontal) {
      // A row per label, so a province's hundred communes are all named (CSSOM, not an
      // inline style attribute: the page's CSP allows it).
      var box = canvas.parentNode;
      box.style.height = Math.max(box.clientHeight, block.labels.length * 22 + 70) + "px";
    }
    var chart = new window.Chart(canvas, {
      type: line ? "line" : "bar",
      data: { labels: block.labels, datasets: datasets },
      options: {
        locale: "vi-VN",
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: { position: "bottom" },
          tooltip: { callbacks: { label: function (ctx) {
            return ctx.dataset.label + ": " + number(ctx.raw);
          } } }
        },
        scales: {
          // Every unit, field or sector keeps its label: no category tick is skipped.
          x: { beginAtZero: true, ticks: { precision: 0, autoSkip: horizontal } },
          y: { beginAtZero: true, ticks: { precision: 0, autoSkip: !horizontal } }
        },
        onHover: function (event, elements) {
          event.native.target.style.cursor = elements.length ? "pointer" : "default";
        },
        onClick: function (event, elements) {
          if (!elements.length) return;
          var url = block.links[elements[0].index];
          if (url) window.location.href = url;
        }
      }
    });
    canvas.setAttribute("data-rendered", "1");
    return chart;
  }

  ready(function () {
    var node = document.getElementById("dashboard-data");
    if (!node) return;
    var data = JSON.parse(node.textContent);
    var canvases = document.querySelectorAll("canvas[data-chart]");
    if (typeof window.Chart === "undefined") {
      canvases.forEach(function (c) { c.parentNode.remove(); });
      return;
    }
    canvases.forEach(function (canvas) {
      var key = canvas.getAttribute("data-chart");
      var block = data[key];
      if (!block || !block.labels.length) { canvas.parentNode.remove(); return; }
      build(canvas, block, data.labels, key === "unit" || key === "sector", key === "trend");
    });
  });
})();
