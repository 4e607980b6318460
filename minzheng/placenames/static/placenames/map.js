// Place-name map: the district's real outline, names as points and lines, boundary lines, markers (界桩),
// community service facilities. CSP: no inline script.
(function () {
  "use strict";
  function init() {
    var el = document.getElementById("placename-map");
    var dataEl = document.getElementById("placename-map-data");
    if (!el || !dataEl) return;
    if (typeof window.echarts === "undefined") {
      el.textContent = "地图组件未安装（ECharts）。请运行前端依赖安装脚本。";
      return;
    }
    var data = JSON.parse(dataEl.textContent);
    window.echarts.registerMap("fuling", data.outline);
    var chart = window.echarts.init(el);
    var roads = data.lines.filter(function (l) { return l.category !== "boundary"; });
    var bounds = data.lines.filter(function (l) { return l.category === "boundary"; });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "item", formatter: function (p) { var d = p.data || {}; var kind = d.category === "facility" ? "社区综合服务设施 " + d.area + " 平方米" : (d.category && data.categories[d.category]) || ""; return (d.name || "") + (kind ? "<br>" + kind : ""); } },
      legend: { bottom: 0, data: ["地名（点）", "道路街巷（线）", "界线", "界桩", "社区综合服务设施"] },
      geo: { map: "fuling", roam: true, itemStyle: { areaColor: "#f7f3ee", borderColor: "#b3261e", borderWidth: 1.5 }, emphasis: { disabled: true }, label: { show: false } },
      series: [
        { name: "地名（点）", type: "scatter", coordinateSystem: "geo", data: data.points, symbolSize: 5, itemStyle: { color: "#1f5fbf" } },
        { name: "道路街巷（线）", type: "lines", coordinateSystem: "geo", polyline: true, data: roads, lineStyle: { color: "#1a7f37", width: 2 } },
        { name: "界线", type: "lines", coordinateSystem: "geo", polyline: true, data: bounds, lineStyle: { color: "#b35900", width: 2, type: "dashed" } },
        { name: "界桩", type: "scatter", coordinateSystem: "geo", data: data.markers, symbol: "diamond", symbolSize: 8, itemStyle: { color: "#c62828" } },
        { name: "社区综合服务设施", type: "scatter", coordinateSystem: "geo", data: data.facilities || [], symbol: "rect", symbolSize: 7, itemStyle: { color: "#6a1b9a" } }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
    el.setAttribute("data-ready", "1");
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
