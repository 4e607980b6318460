// Service-circle map: district outline, facilities, villages coloured by coverage. CSP: no inline script.
(function () {
  "use strict";
  function init() {
    var el = document.getElementById("circle-map");
    var dataEl = document.getElementById("circle-map-data");
    if (!el || !dataEl) return;
    if (typeof window.echarts === "undefined") {
      el.textContent = "地图组件未安装（ECharts）。请运行前端依赖安装脚本。";
      return;
    }
    var data = JSON.parse(dataEl.textContent);
    window.echarts.registerMap("fuling", data.outline);
    var chart = window.echarts.init(el);
    var groups = {
      street_centre: "centre", town_centre: "centre", community_station: "station", village_point: "point"
    };
    var byGroup = { centre: [], station: [], point: [], institution: [] };
    data.facilities.forEach(function (f) {
      (byGroup[groups[f.kind] || "institution"]).push(f);
    });
    var covered = data.villages.filter(function (v) { return v.covered; });
    var uncovered = data.villages.filter(function (v) { return !v.covered; });
    function scatter(name, items, color, size, symbol, z) {
      return { name: name, type: "scatter", coordinateSystem: "geo", data: items, symbol: symbol || "circle",
               symbolSize: size, itemStyle: { color: color }, z: z || 2, emphasis: { scale: 1.6 } };
    }
    chart.setOption({
      animation: false,
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          var d = p.data || {};
          if (d.kind_label) return d.name + "<br>" + d.kind_label + (d.value[2] ? "，床位 " + d.value[2] : "");
          if (d.code) return d.name + "<br>" + (d.covered ? "在服务圈内" : "服务圈外") +
            (d.value[2] !== null ? "，最近设施 " + d.value[2] + " 米" : "");
          return p.name || "";
        }
      },
      legend: { bottom: 0, data: ["养老服务中心", "社区养老服务站", "村养老服务点", "养老机构", "服务圈内村（社区）", "服务圈外村（社区）"] },
      geo: { map: "fuling", roam: true, itemStyle: { areaColor: "#f7f3ee", borderColor: "#b3261e", borderWidth: 1.5 },
             emphasis: { disabled: true }, label: { show: false } },
      series: [
        scatter("服务圈内村（社区）", covered, "#1a7f37", 6, "circle", 1),
        scatter("服务圈外村（社区）", uncovered, "#c62828", 8, "diamond", 3),
        scatter("养老服务中心", byGroup.centre, "#1f5fbf", 11, "rect", 4),
        scatter("社区养老服务站", byGroup.station, "#7b3fb2", 7, "triangle", 4),
        scatter("村养老服务点", byGroup.point, "#b35900", 6, "triangle", 4),
        scatter("养老机构", byGroup.institution, "#5f6b7a", 9, "pin", 4)
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
    el.setAttribute("data-ready", "1");
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
