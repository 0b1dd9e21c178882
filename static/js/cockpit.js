/* The leaders' cockpit and its big screen (templates/dashboard/cockpit*.html).

   The figures come from the json_script "cockpit-data" (tuijin/dashboard/metrics.py); the
   charts' words from "cockpit-labels". Each <div data-cockpit-chart="name"> is drawn by
   BUILDERS[name]; every bar, point and cell carries the URL of the list it counts, and a
   click (or tap) opens it. On the big screen (<body data-refresh="seconds"
   data-source="url">) the figures are fetched again every so many seconds and the charts
   and numbers updated in place, without reloading the page. */
(function () {
  "use strict";
  const source = document.getElementById("cockpit-data");
  if (!source || typeof echarts === "undefined") return;
  const L = JSON.parse(document.getElementById("cockpit-labels").textContent);
  const body = document.body;
  const dark = body.classList.contains("cockpit-screen");
  const big = dark;  // the big screen: large type, readable from 5 m
  const font = big ? 22 : 12;
  const COLORS = { red: "#d63939", yellow: "#f0ad00", green: "#2f9e44" };
  const INK = dark ? "#e9ecef" : "#212529";
  const LIGHTS = ["red", "yellow", "green"];
  const charts = {};
  const narrow = () => window.innerWidth < 576;

  const base = () => ({
    backgroundColor: "transparent",
    textStyle: { fontSize: font, color: INK },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, textStyle: { fontSize: font } },
    legend: { bottom: 0, textStyle: { fontSize: font, color: INK } },
    animation: !big,
  });
  const axis = (extra) => Object.assign({ axisLabel: { fontSize: font, color: INK } }, extra);
  const item = (value, url) => ({ value: value, url: url });

  const BUILDERS = {
    parks(d) {
      const parks = d.parks;
      return Object.assign(base(), {
        grid: { left: 8, right: 24, top: 8, bottom: big ? 48 : 32, containLabel: true },
        xAxis: axis({ type: "value", minInterval: 1 }),
        yAxis: axis({ type: "category", inverse: true, data: parks.map((p) => p.name) }),
        series: LIGHTS.map((light) => ({
          name: L[light], type: "bar", stack: "lights", barMaxWidth: big ? 48 : 28,
          itemStyle: { color: COLORS[light] },
          label: { show: true, fontSize: font, color: "#fff", formatter: (p) => (p.value ? p.value : "") },
          data: parks.map((p) => item(p[light], p.urls[light])),
        })),
      });
    },
    stages(d) {
      const stages = d.stages;
      return Object.assign(base(), {
        legend: { show: false },
        grid: { left: 8, right: 8, top: 24, bottom: 8, containLabel: true },
        xAxis: axis({ type: "category", data: stages.map((s) => s.label),
          axisLabel: { fontSize: font, color: INK, interval: 0, rotate: narrow() ? 45 : 0 } }),
        yAxis: axis({ type: "value", minInterval: 1 }),
        series: [{ name: L.projects, type: "bar", itemStyle: { color: "#9b1c1c" },
          label: { show: true, position: "top", fontSize: font, color: INK },
          data: stages.map((s) => item(s.n, s.url)) }],
      });
    },
    investment(d) {
      const inv = d.investment;
      const series = [
        { name: L.monthly, type: "bar", itemStyle: { color: dark ? "#6c757d" : "#adb5bd" },
          data: inv.monthly.map((v) => item(v, inv.url)) },
        { name: L.cumulative, type: "line", itemStyle: { color: dark ? "#ff6b6b" : "#9b1c1c" },
          lineStyle: { width: 3 }, data: inv.cumulative.map((v) => item(v, inv.url)) },
      ];
      if (inv.schedule.length) {
        series.push({ name: L.schedule, type: "line", symbol: "none",
          lineStyle: { type: "dashed", color: "#2f9e44", width: 2 }, itemStyle: { color: "#2f9e44" },
          data: inv.schedule.map((v) => item(v, inv.url)) });
      }
      return Object.assign(base(), {
        tooltip: { trigger: "axis", textStyle: { fontSize: font },
          valueFormatter: (v) => (v == null ? "—" : Number(v).toLocaleString() + " " + L.wan) },
        grid: { left: 8, right: 16, top: 36, bottom: big ? 56 : 40, containLabel: true },
        xAxis: axis({ type: "category", data: inv.months }),
        yAxis: axis({ type: "value", name: L.wan, nameTextStyle: { fontSize: font, color: INK } }),
        series: series,
      });
    },
    starts(d) {
      const parks = d.new_starts.parks;
      return Object.assign(base(), {
        grid: { left: 8, right: 16, top: 16, bottom: big ? 48 : 32, containLabel: true },
        xAxis: axis({ type: "category", data: parks.map((p) => p.name),
          axisLabel: { fontSize: font, color: INK, interval: 0, rotate: narrow() ? 30 : 0 } }),
        yAxis: axis({ type: "value", minInterval: 1 }),
        series: [
          { name: L.planned, type: "bar", itemStyle: { color: dark ? "#6c757d" : "#adb5bd" },
            data: parks.map((p) => item(p.planned, p.url)) },
          { name: L.started, type: "bar", itemStyle: { color: "#2f9e44" },
            data: parks.map((p) => item(p.planned_started, p.url)) },
        ],
      });
    },
    "duban-units"(d) {
      const units = d.duban.units.filter((u) => u.open || u.overdue).slice(0, 10);
      return Object.assign(base(), {
        grid: { left: 8, right: 24, top: 8, bottom: big ? 48 : 32, containLabel: true },
        xAxis: axis({ type: "value", minInterval: 1 }),
        yAxis: axis({ type: "category", inverse: true, data: units.map((u) => u.name) }),
        series: [
          { name: L.overdue, type: "bar", stack: "items", itemStyle: { color: COLORS.red },
            label: { show: true, fontSize: font, color: "#fff", formatter: (p) => (p.value ? p.value : "") },
            data: units.map((u) => item(u.overdue, u.url)) },
          { name: L.open, type: "bar", stack: "items", itemStyle: { color: dark ? "#6c757d" : "#adb5bd" },
            data: units.map((u) => item(u.open - u.overdue, d.duban.urls.open)) },
        ],
      });
    },
    "duban-trend"(d) {
      const trend = d.duban.trend;
      const url = d.duban.urls.overdue;
      return Object.assign(base(), {
        grid: { left: 8, right: 8, top: 36, bottom: big ? 48 : 32, containLabel: true },
        xAxis: axis({ type: "category", data: trend.map((w) => w.label) }),
        yAxis: [axis({ type: "value", minInterval: 1 }),
          axis({ type: "value", max: 100, axisLabel: { fontSize: font, color: INK, formatter: "{value}%" } })],
        series: [
          { name: L.overdue, type: "bar", itemStyle: { color: COLORS.red },
            data: trend.map((w) => item(w.overdue, url)) },
          { name: L.on_time_rate, type: "line", yAxisIndex: 1, connectNulls: true,
            itemStyle: { color: "#2f9e44" }, lineStyle: { width: 3 },
            data: trend.map((w) => item(w.on_time_rate, d.duban.urls.on_time)) },
        ],
      });
    },
    problems(d) {
      const p = d.problems;
      const cats = p.categories;
      const shades = ["#ffc9c9", "#ff8787", "#e03131", "#862e2e"];
      const series = p.ages.map((age, i) => ({
        name: age.label, type: "bar", stack: "problems", itemStyle: { color: shades[i] },
        data: cats.map((c) => item(c.ages[i], c.url)),
      }));
      series.push({ name: L.solved, type: "bar", stack: "problems", itemStyle: { color: "#2f9e44" },
        data: cats.map((c) => item(c.solved, c.all_url)) });
      return Object.assign(base(), {
        grid: { left: 8, right: 24, top: 8, bottom: big ? 80 : 56, containLabel: true },
        xAxis: axis({ type: "value", minInterval: 1 }),
        yAxis: axis({ type: "category", inverse: true, data: cats.map((c) => c.name) }),
        series: series,
      });
    },
    funnel(d) {
      const f = d.funnel;
      if (!f) return { series: [] };
      const stages = f.stages;
      return Object.assign(base(), {
        grid: { left: 8, right: 24, top: 8, bottom: big ? 48 : 32, containLabel: true },
        xAxis: axis({ type: "value", minInterval: 1 }),
        yAxis: axis({ type: "category", inverse: true, data: stages.map((s) => s.label) }),
        series: [{ name: L.leads, type: "bar", itemStyle: { color: "#9b1c1c" },
          label: { show: true, position: "right", fontSize: font, color: INK },
          data: stages.map((s) => ({ value: s.n, url: s.url,
            itemStyle: s.open ? undefined : { color: dark ? "#6c757d" : "#adb5bd" } })) }],
      });
    },
    factors(d) {
      const g = d.factors;
      if (!g) return { series: [] };
      const shades = ["#9b1c1c", "#f08c00", "#2f9e44"];  // land, energy, green
      return Object.assign(base(), {
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, textStyle: { fontSize: font },
          valueFormatter: (v) => (v == null ? "—" : Number(v).toLocaleString()) },
        grid: { left: 8, right: 24, top: 8, bottom: big ? 48 : narrow() ? 60 : 32, containLabel: true },
        xAxis: axis({ type: "value" }),
        yAxis: axis({ type: "category", inverse: true, data: g.parks.map((p) => p.name) }),
        series: g.factors.map((f, i) => ({
          name: f.label + " · " + f.unit, type: "bar", itemStyle: { color: shades[i] },
          // Each factor keeps its colour; a bar left of zero is a shortage (the table: the figure).
          data: g.parks.map((p) => item(p.gaps[i], p.url)),
        })),
      });
    },
    heatmap(d) {
      const w = d.worklogs;
      const cells = [];
      w.units.forEach((u, y) => u.cells.forEach((c, x) => {
        cells.push({ value: [x, y, c.rate == null ? "-" : c.rate], url: w.weekends[x].url });
      }));
      return Object.assign(base(), {
        legend: { show: false },
        tooltip: { position: "top", textStyle: { fontSize: font },
          formatter: (p) => w.units[p.value[1]].name + " · " + w.weekends[p.value[0]].label + ": " +
            (p.value[2] === "-" ? "—" : p.value[2] + "%") },
        grid: { left: 8, right: 8, top: 8, bottom: big ? 72 : 56, containLabel: true },
        xAxis: axis({ type: "category", data: w.weekends.map((x) => x.label), splitArea: { show: true } }),
        yAxis: axis({ type: "category", inverse: true, data: w.units.map((u) => u.name), splitArea: { show: true } }),
        visualMap: { min: 0, max: 100, calculable: false, orient: "horizontal", left: "center", bottom: 0,
          itemHeight: big ? 240 : 120, textStyle: { fontSize: font, color: INK },
          inRange: { color: ["#d63939", "#f0ad00", "#2f9e44"] } },
        series: [{ name: L.rate, type: "heatmap", data: cells,
          label: { show: !narrow(), fontSize: big ? 18 : 10, formatter: (p) => (p.value[2] === "-" ? "" : p.value[2]) } }],
      });
    },
  };

  function open(params) {
    const url = params.data && params.data.url;
    if (url) window.location.href = url;
  }

  function draw(data) {
    document.querySelectorAll("[data-cockpit-chart]").forEach((el) => {
      const name = el.dataset.cockpitChart;
      const build = BUILDERS[name];
      if (!build) return;
      let chart = charts[name];
      if (!chart) {
        chart = echarts.init(el, dark ? "dark" : null, { renderer: "svg" });
        chart.on("click", open);
        charts[name] = chart;
      }
      const option = build(data);
      // A unit's few bars stay bars, not slabs.
      option.series.forEach((s) => {
        if (s.type === "bar" && !s.barMaxWidth) s.barMaxWidth = big ? 56 : 32;
      });
      chart.setOption(option, true);
    });
  }

  // The big screen's numbers: <span data-kpi="duban.overdue" data-suffix="%">.
  function pick(data, path) {
    return path.split(".").reduce((value, key) => (value == null ? value : value[key]), data);
  }
  function numbers(data) {
    document.querySelectorAll("[data-kpi]").forEach((el) => {
      const value = pick(data, el.dataset.kpi);
      el.textContent = value == null ? "—" : value + (el.dataset.suffix || "");
    });
  }

  // The park carousel: one park at a time, every few seconds.
  let parkIndex = 0;
  function carousel(data) {
    const box = document.getElementById("park-carousel");
    if (!box) return;
    const parks = data.parks;
    if (!parks.length) return;
    parkIndex = parkIndex % parks.length;
    const park = parks[parkIndex];
    const invest = data.investment.parks.find((p) => p.park === park.park) || {};
    const starts = data.new_starts.parks.find((p) => p.park === park.park) || {};
    box.querySelector("[data-park-name]").textContent = park.name;
    const link = box.querySelector("[data-park-link]");
    link.href = box.dataset.parkUrl ? box.dataset.parkUrl.replace("999999999", String(park.park)) : park.url;
    const values = {
      red: park.red, yellow: park.yellow, green: park.green, total: park.total,
      completed: invest.completed == null ? "—" : Number(invest.completed).toLocaleString(),
      schedule_rate: invest.schedule_rate == null ? "—" : invest.schedule_rate + "%",
      planned: starts.planned == null ? 0 : starts.planned,
      started: starts.planned_started == null ? 0 : starts.planned_started,
    };
    box.querySelectorAll("[data-park-value]").forEach((el) => {
      el.textContent = values[el.dataset.parkValue];
    });
    box.querySelector("[data-park-position]").textContent = (parkIndex + 1) + " / " + parks.length;
  }

  let current = JSON.parse(source.textContent);
  draw(current);
  numbers(current);
  carousel(current);
  window.addEventListener("resize", () => Object.values(charts).forEach((c) => c.resize()));
  // Printing: the cards are narrower (two a row on A4 landscape): draw the charts again at
  // their printed size, and back when printing ends.
  const resizeAll = () => Object.values(charts).forEach((c) => c.resize());
  window.addEventListener("beforeprint", resizeAll);
  window.addEventListener("afterprint", resizeAll);
  window.matchMedia("print").addEventListener("change", resizeAll);
  // For tests and the curious: the charts and the figures shown.
  window.tuijinCockpit = { charts: charts, data: () => current, refreshes: 0 };

  const refresh = Number(body.dataset.refresh || 0);
  if (refresh > 0 && body.dataset.source) {
    const update = () =>
      fetch(body.dataset.source, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
        .then((data) => {
          current = data;
          draw(data);
          numbers(data);
          carousel(data);
          window.tuijinCockpit.refreshes += 1;
          const stamp = document.getElementById("refreshed-at");
          if (stamp) stamp.textContent = new Date().toLocaleTimeString();
        })
        .catch(() => {});  // keep the last figures; try again next time
    window.setInterval(update, refresh * 1000);
    const turn = Number(body.dataset.carousel || 10);
    window.setInterval(() => { parkIndex += 1; carousel(current); }, turn * 1000);
  }
})();
