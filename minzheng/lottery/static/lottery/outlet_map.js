// Outlet map: district outline, open and closed 投注站. CSP: no inline script.
(function () {
  "use strict";
  function init() {
    var el = document.getElementById("outlet-map");
    var dataEl = document.getElementById("outlet-map-data");
    if (!el || !dataEl) return;
    if (typeof window.echarts === "undefined") {
      el.textContent = "地图组件未安装（ECharts）。请运行前端依赖安装脚本。";
      return;
    }
    var data = JSON.parse(dataEl.textContent);
    window.echarts.registerMap("fuling", data.outline);
    var chart = window.echarts.init(el);
    function scatter(name, items, color, size, symbol) {
      return { name: name, type: "scatter", coordinateSystem: "geo", data: items, symbol: symbol,
               symbolSize: size, itemStyle: { color: color }, emphasis: { scale: 1.6 } };
    }
    chart.setOption({
      animation: false,
      tooltip: { trigger: "item", formatter: function (p) { return (p.data && p.data.name) || p.name || ""; } },
      legend: { bottom: 0, data: ["营业中", "已关闭"] },
      geo: { map: "fuling", roam: true, itemStyle: { areaColor: "#f7f3ee", borderColor: "#b3261e", borderWidth: 1.5 },
             emphasis: { disabled: true }, label: { show: false } },
      series: [
        scatter("营业中", data.outlets.filter(function (o) { return o.open; }), "#c62828", 8, "circle"),
        scatter("已关闭", data.outlets.filter(function (o) { return !o.open; }), "#888888", 6, "diamond")
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
    el.setAttribute("data-ready", "1");
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
