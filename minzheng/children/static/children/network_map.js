// Protection-network map: district outline, towns by 未成年人保护工作站, villages by 儿童主任. CSP: no inline script.
(function () {
  "use strict";
  function init() {
    var el = document.getElementById("network-map");
    var dataEl = document.getElementById("network-map-data");
    if (!el || !dataEl) return;
    if (typeof window.echarts === "undefined") {
      el.textContent = "地图组件未安装（ECharts）。请运行前端依赖安装脚本。";
      return;
    }
    var data = JSON.parse(dataEl.textContent);
    window.echarts.registerMap("fuling", data.outline);
    var chart = window.echarts.init(el);
    function pick(items, test) { return items.filter(test); }
    function scatter(name, items, color, size, symbol, z) {
      return { name: name, type: "scatter", coordinateSystem: "geo", data: items, symbol: symbol,
               symbolSize: size, itemStyle: { color: color }, z: z, emphasis: { scale: 1.6 } };
    }
    chart.setOption({
      animation: false,
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          var d = p.data || {};
          if (d.directors !== undefined) return d.name + "<br>工作站：" + (d.station ? "已设立" : "未设立") +
            "<br>儿童督导员：" + (d.supervisor ? "已配备" : "未配备") + "<br>儿童主任：" + d.directors;
          if (d.director !== undefined) return d.name + "<br>儿童主任：" + (d.director ? "已配备" : "未配备");
          return p.name || "";
        }
      },
      legend: { bottom: 0, data: ["有工作站的乡镇（街道）", "无工作站的乡镇（街道）", "有儿童主任的村（社区）", "无儿童主任的村（社区）"] },
      geo: { map: "fuling", roam: true, itemStyle: { areaColor: "#f7f3ee", borderColor: "#b3261e", borderWidth: 1.5 },
             emphasis: { disabled: true }, label: { show: false } },
      series: [
        scatter("有儿童主任的村（社区）", pick(data.villages, function (v) { return v.director; }), "#1a7f37", 5, "circle", 1),
        scatter("无儿童主任的村（社区）", pick(data.villages, function (v) { return !v.director; }), "#c62828", 7, "diamond", 2),
        scatter("有工作站的乡镇（街道）", pick(data.towns, function (t) { return t.station; }), "#1f5fbf", 13, "rect", 4),
        scatter("无工作站的乡镇（街道）", pick(data.towns, function (t) { return !t.station; }), "#b35900", 13, "triangle", 4)
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
    el.setAttribute("data-ready", "1");
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
