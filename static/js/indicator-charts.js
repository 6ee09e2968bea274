// The indicator dashboard's charts. A file, not an inline script: the CSP runs only /static/ scripts.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var data = document.getElementById("indicator-charts");
  var labels = document.getElementById("indicator-chart-labels");
  if (typeof Chart === "undefined" || !data || !labels) { return; }
  JSON.parse(data.textContent).forEach(function (chart) {
    var datasets = [{
      type: "bar",
      label: chart.unit === "count" ? labels.dataset.value : labels.dataset.valuePercent,
      data: chart.values,
      backgroundColor: "#4e79a7"
    }];
    if (chart.target !== null) {
      datasets.push({
        type: "line",
        label: labels.dataset.target,
        data: chart.labels.map(function () { return chart.target; }),
        borderColor: "#e15759",
        pointRadius: 0,
        borderDash: [6, 4]
      });
    }
    var canvas = document.getElementById("chart-" + chart.code);
    if (canvas) {
      new Chart(canvas, {data: {labels: chart.labels, datasets: datasets}, options: {scales: {y: {beginAtZero: true}}}});
    }
  });
});
