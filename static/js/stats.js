// Charts of the statistics page, drawn with the vendored ECharts from JSON the page embeds.
(function () {
  var source = document.getElementById("chart-data");
  if (!source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var font = { fontFamily: "system-ui, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif" };
  var types = document.getElementById("chart-types");
  if (types) {
    echarts.init(types).setOption({
      animation: false,
      textStyle: font,
      tooltip: {},
      grid: { left: 90, right: 20, top: 10, bottom: 20 },
      xAxis: { type: "value" },
      yAxis: { type: "category", data: data.types.map(function (r) { return r[0]; }).reverse() },
      series: [{ type: "bar", color: "#b3261e", data: data.types.map(function (r) { return r[1]; }).reverse() }]
    });
  }
  var satisfaction = document.getElementById("chart-satisfaction");
  if (satisfaction) {
    echarts.init(satisfaction).setOption({
      animation: false,
      textStyle: font,
      tooltip: { trigger: "item" },
      series: [{
        type: "pie", radius: ["40%", "70%"],
        color: ["#2e7d32", "#7cb342", "#fbc02d", "#c62828"],
        data: data.satisfaction.map(function (r) { return { name: r[0], value: r[1] }; })
      }]
    });
  }
})();
