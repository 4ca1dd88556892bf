// Charts of the statistics page, drawn with the vendored ECharts from JSON the page embeds.
// Every bar, slice and month opens the ledger rows it counts (the same links as the lists).
(function () {
  var source = document.getElementById("chart-data");
  if (!source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var font = { fontFamily: "system-ui, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif" };
  function open(url) { if (url) { window.location.href = url; } }
  var types = document.getElementById("chart-types");
  if (types) {
    var rows = data.types.slice().reverse();
    var chart = echarts.init(types);
    chart.setOption({
      animation: false,
      textStyle: font,
      tooltip: {},
      grid: { left: 90, right: 20, top: 10, bottom: 20 },
      xAxis: { type: "value" },
      yAxis: { type: "category", data: rows.map(function (r) { return r[0]; }) },
      series: [{ type: "bar", color: "#b3261e", cursor: "pointer", data: rows.map(function (r) { return r[1]; }) }]
    });
    chart.on("click", function (p) { open(rows[p.dataIndex][2]); });
  }
  var satisfaction = document.getElementById("chart-satisfaction");
  if (satisfaction) {
    var pie = echarts.init(satisfaction);
    pie.setOption({
      animation: false,
      textStyle: font,
      tooltip: { trigger: "item" },
      series: [{
        type: "pie", radius: ["40%", "70%"], cursor: "pointer",
        color: ["#2e7d32", "#7cb342", "#fbc02d", "#c62828"],
        data: data.satisfaction.map(function (r) { return { name: r[0], value: r[1], url: r[2] }; })
      }]
    });
    pie.on("click", function (p) { open(p.data.url); });
  }
  var trend = document.getElementById("chart-trend");
  if (trend) {
    var months = data.trend;
    var line = echarts.init(trend);
    line.setOption({
      animation: false,
      textStyle: font,
      tooltip: { trigger: "axis" },
      legend: { data: ["登记", "办理完毕", "满意率%"] },
      grid: { left: 40, right: 50, top: 30, bottom: 20 },
      xAxis: { type: "category", data: months.map(function (m) { return m.month; }) },
      yAxis: [{ type: "value", name: "件" }, { type: "value", name: "%", min: 0, max: 100 }],
      series: [
        { name: "登记", type: "bar", color: "#b3261e", cursor: "pointer", data: months.map(function (m) { return m.registered; }) },
        { name: "办理完毕", type: "bar", color: "#607d8b", cursor: "pointer", data: months.map(function (m) { return m.completed; }) },
        { name: "满意率%", type: "line", yAxisIndex: 1, color: "#2e7d32", data: months.map(function (m) { return m.satisfaction_rate; }) }
      ]
    });
    line.on("click", function (p) {
      var m = months[p.dataIndex];
      open(p.seriesName === "办理完毕" ? m.completed_url : m.url);
    });
  }
})();
