// Draws the report's charts from the rows of the tables beside them (json_script "chart-data").
// A chart shows the whole-number columns (counts, minutes); rates and averages stay in the
// table, where they are not dwarfed by the counts.
(function () {
  "use strict";
  function numeric(rows, column) {
    return rows.map(function (row) { var v = row[column]; return typeof v === "number" ? v : null; });
  }
  function draw() {
    var source = document.getElementById("chart-data");
    if (!source || typeof Chart === "undefined") return;
    JSON.parse(source.textContent).forEach(function (chart) {
      var canvas = document.getElementById(chart.id);
      if (!canvas || !chart.rows.length) return;
      var labels = chart.rows.map(function (row) { return String(row[0]); });
      var datasets = [];
      for (var column = 1; column < chart.headers.length; column++) {
        var values = numeric(chart.rows, column);
        var present = values.filter(function (v) { return v !== null; });
        if (present.length && present.every(Number.isInteger)) {
          datasets.push({ label: chart.headers[column], data: values });
        }
      }
      new Chart(canvas, {
        type: chart.kind,
        data: { labels: labels, datasets: datasets },
        options: { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { position: "bottom" } } },
      });
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
})();
