// Dashboard charts with Apache ECharts (served from the npm package, no CDN): the months chart and
// the team sparklines. Numbers are in yuan; labels read in 万 for Chinese, CNY for English.
(function () {
  "use strict";
  const source = document.getElementById("chart-data");
  if (!source || typeof echarts === "undefined") return;
  const data = JSON.parse(source.textContent);
  const lang = document.documentElement.lang || "zh-hans";
  const money = (v) => window.SalesOps.amount(Number.isFinite(v) ? v : null, lang); // a gap in a series is "—"
  // English axes count in thousands (500k) to stay narrow; Chinese ones read in 万 like every other amount.
  const axisMoney = (v) => lang.startsWith("zh") ? money(v) : (v / 1000).toLocaleString("en") + "k";
  const charts = [];

  const box = document.getElementById("months-chart");
  if (box) {
    const chart = echarts.init(box, null, { renderer: "svg" });
    const asOf = data.months.indexOf(data.asOf);
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis", valueFormatter: money },
      legend: { top: 0, type: "scroll" },
      grid: { left: 8, right: 8, top: 52, bottom: 8, containLabel: true },  // room for the "as of" label under the legend
      xAxis: { type: "category", data: data.months.map((m) => m.slice(2)) },
      yAxis: [{ type: "value", axisLabel: { formatter: axisMoney } },
              { type: "value", axisLabel: { formatter: axisMoney }, splitLine: { show: false } }],
      series: [
        { name: data.labels.target, type: "bar", data: data.target, itemStyle: { color: "#cbd2d9" } },
        { name: data.labels.actual, type: "bar", data: data.actual, itemStyle: { color: "#b42318" },
          markLine: asOf < 0 ? undefined : { symbol: "none", label: { formatter: data.labels.asOf },
            lineStyle: { type: "dashed", color: "#616e7c" }, data: [{ xAxis: asOf }] } },
        { name: data.labels.cumulativeTarget, type: "line", yAxisIndex: 1, data: data.cumulativeTarget,
          lineStyle: { type: "dashed" }, itemStyle: { color: "#616e7c" }, symbol: "none" },
        { name: data.labels.cumulativeActual, type: "line", yAxisIndex: 1, data: data.cumulativeActual,
          itemStyle: { color: "#1b7f3b" } },
      ],
    });
    charts.push(chart);
  }

  document.querySelectorAll(".sparkline[data-team]").forEach((el) => {
    const values = data.teams[el.dataset.team] || [];
    const chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      animation: false, grid: { left: 0, right: 0, top: 2, bottom: 2 },
      xAxis: { type: "category", show: false, data: values.map((_, i) => i) },
      yAxis: { type: "value", show: false, min: 0 },
      series: [{ type: "line", data: values, symbol: "none", lineStyle: { width: 1.5, color: "#b42318" },
                 areaStyle: { color: "rgba(180,35,24,.12)" } }],
    });
    charts.push(chart);
  });

  window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
})();
