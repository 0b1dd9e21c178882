/* The 12-month trend of a unit's assessment (Apache ECharts): total score as bars, rank as a
   line on an inverted axis. Data from the json_script element named by data-chart-data; labels
   from data-label-*. Drawn when its tab is first shown (a hidden element has no width). */
(function () {
  const el = document.querySelector('[data-assessment-chart="trend"]');
  if (!el || typeof echarts === "undefined") return;
  const source = document.getElementById(el.dataset.chartData);
  if (!source) return;
  const data = JSON.parse(source.textContent);
  let chart = null;
  function draw() {
    if (chart) { chart.resize(); return; }
    chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { bottom: 0 },
      grid: { left: 40, right: 40, top: 24, bottom: 48 },
      xAxis: { type: "category", data: data.months },
      yAxis: [
        { type: "value", min: 0, max: 105, name: el.dataset.labelTotal },
        { type: "value", inverse: true, minInterval: 1, min: 1, name: el.dataset.labelRank },
      ],
      series: [
        { name: el.dataset.labelTotal, type: "bar", data: data.totals, itemStyle: { color: "#9b1c1c" } },
        { name: el.dataset.labelRank, type: "line", yAxisIndex: 1, data: data.ranks, connectNulls: true,
          itemStyle: { color: "#2f9e44" } },
      ],
    });
    window.addEventListener("resize", () => chart.resize());
  }
  const tab = document.getElementById("trend-tab");
  if (tab && !el.offsetWidth) {
    tab.addEventListener("shown.bs.tab", draw);
  } else {
    draw();
  }
})();
