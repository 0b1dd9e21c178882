/* Factor charts per park (Apache ECharts): per factor, the supply against what is reserved or
   committed and the year's demand by quarter (stacked), and the gap. Labels come from the
   element's data-label-* attributes (the page's language); data from a json_script element. */
(function () {
  if (typeof echarts === "undefined") return;
  document.querySelectorAll("[data-factor-chart]").forEach((el) => {
    const source = document.getElementById(el.dataset.chartData);
    if (!source) return;
    const all = JSON.parse(source.textContent);
    const d = all[el.dataset.factorChart];
    if (!d) return;
    const l = el.dataset;
    const quarters = (l.labelQ || "Q1,Q2,Q3,Q4").split(/[,,]/);
    const chart = echarts.init(el, null, { renderer: "svg" });
    const series = [
      { name: l.labelSupply, type: "bar", data: [d.supply, null], itemStyle: { color: "#2f9e44" } },
      { name: l.labelTaken, type: "bar", stack: "use", data: [null, d.taken], itemStyle: { color: "#868e96" } },
    ];
    const colours = ["#f08c00", "#e8590c", "#c92a2a", "#862e9c"];
    d.quarters.forEach((value, i) => {
      series.push({ name: quarters[i], type: "bar", stack: "use", data: [null, value], itemStyle: { color: colours[i] } });
    });
    chart.setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" },
        valueFormatter: (v) => (v == null ? "—" : v.toLocaleString("zh-CN") + " " + d.unit) },
      legend: { bottom: 0, itemWidth: 10, itemHeight: 10, textStyle: { fontSize: 11 } },
      grid: { left: 56, right: 12, top: 28, bottom: 56 },
      xAxis: { type: "category", data: [l.labelSupply, l.labelDemand], axisLabel: { interval: 0 } },
      yAxis: { type: "value", name: d.unit },
      series: series,
    });
    window.addEventListener("resize", () => chart.resize());
  });
})();
