/* Tuijin charts (Apache ECharts). Small functions, one per chart kind. The series and axis
   names come from the element's data-label-* attributes, in the page's language. */
function tuijinInvestmentChart(el, data) {
  if (!el || typeof echarts === "undefined") return;
  const chart = echarts.init(el, null, { renderer: "svg" });
  const label = el.dataset;
  const unit = label.labelUnit || "万元";
  const series = [
    { name: label.labelMonthly || "当月完成", type: "bar", data: data.monthly, itemStyle: { color: "#adb5bd" } },
    { name: label.labelCumulative || "累计完成", type: "line", data: data.cumulative, smooth: false,
      itemStyle: { color: "#9b1c1c" }, lineStyle: { width: 3 } },
  ];
  if (data.schedule.length) {
    series.push({ name: label.labelSchedule || "序时进度", type: "line", data: data.schedule, symbol: "none",
      lineStyle: { type: "dashed", color: "#2f9e44" }, itemStyle: { color: "#2f9e44" } });
  }
  chart.setOption({
    tooltip: { trigger: "axis", valueFormatter: (v) => (v == null ? "—" : v.toLocaleString("zh-CN") + " " + unit) },
    legend: { bottom: 0 },
    grid: { left: 56, right: 16, top: 36, bottom: 48 },  // room for the axis name 万元
    xAxis: { type: "category", data: data.months },
    yAxis: { type: "value", name: unit },
    series: series,
  });
  window.addEventListener("resize", () => chart.resize());
}

function tuijinRateChart(el, data) {
  if (!el || typeof echarts === "undefined") return;
  const chart = echarts.init(el, null, { renderer: "svg" });
  chart.setOption({
    tooltip: { trigger: "axis", valueFormatter: (v) => v + "%" },
    legend: { bottom: 0 },
    grid: { left: 40, right: 12, top: 16, bottom: 40 },
    xAxis: { type: "category", data: data.map((d) => d.weekend) },
    yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
    series: [
      { name: el.dataset.labelRate || "提交率", type: "bar", data: data.map((d) => d.rate), itemStyle: { color: "#9b1c1c" } },
      { name: el.dataset.labelOnTime || "按时率", type: "line", data: data.map((d) => d.on_time), itemStyle: { color: "#2f9e44" } },
    ],
  });
  window.addEventListener("resize", () => chart.resize());
}

/* <div data-chart="investment" data-chart-data="chart-data">: drawn with the JSON of the
   json_script element of that id (no inline script: the CSP refuses it). */
const TUIJIN_CHARTS = { investment: tuijinInvestmentChart, rate: tuijinRateChart };
document.querySelectorAll("[data-chart]").forEach((el) => {
  const draw = TUIJIN_CHARTS[el.dataset.chart];
  const source = document.getElementById(el.dataset.chartData);
  if (draw && source) draw(el, JSON.parse(source.textContent));
});
