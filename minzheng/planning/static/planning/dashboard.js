// 规划监测驾驶舱: trend chart and the Fuling map. Data comes from the json_script block
// "dashboard-data" (CSP: no inline scripts); ECharts is vendored under /static/vendor/echarts/.
(function () {
  "use strict";

  function readData() {
    var el = document.getElementById("dashboard-data");
    return el ? JSON.parse(el.textContent) : null;
  }

  function autosubmit() {
    document.querySelectorAll("select[data-autosubmit]").forEach(function (sel) {
      sel.addEventListener("change", function () { sel.form.submit(); });
    });
  }

  function fmt(v) {
    if (v === null || v === undefined) { return "—"; }
    return (Math.round(v * 100) / 100).toLocaleString("zh-CN");
  }

  function trendOption(t) {
    var series = [{
      name: "实际值", type: "line", data: t.values, connectNulls: false, symbolSize: 7,
      lineStyle: { width: 3, color: "#b3261e" }, itemStyle: { color: "#b3261e" },
      label: { show: true, position: "top", formatter: function (p) { return fmt(p.value); } }
    }];
    if (t.target !== null) {
      series.push({
        name: "目标值", type: "line", data: t.years.map(function () { return t.target; }), symbol: "none",
        lineStyle: { type: "dashed", color: "#5f6b7a" }, itemStyle: { color: "#5f6b7a" }
      });
    }
    if (t.path) {
      series.push({
        name: "时序进度线", type: "line", data: t.path, symbol: "none",
        lineStyle: { type: "dotted", color: "#1f5fbf" }, itemStyle: { color: "#1f5fbf" }
      });
    }
    return {
      animation: false,
      title: { text: t.code + " " + t.name, left: "center", textStyle: { fontSize: 13 } },
      tooltip: { trigger: "axis", valueFormatter: fmt },
      legend: { bottom: 0 },
      grid: { left: 56, right: 20, top: 40, bottom: 48 },
      xAxis: { type: "category", data: t.years },
      yAxis: { type: "value", name: t.unit, scale: true },
      series: series
    };
  }

  function initTrend(data) {
    var el = document.getElementById("trend-chart");
    var select = document.getElementById("trend-select");
    if (!el || !data.trends || !window.echarts) { return null; }
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    function show(code) {
      var t = data.trends[code];
      if (t) { chart.setOption(trendOption(t), true); }
    }
    if (select) {
      if (data.trendDefault) { select.value = data.trendDefault; }
      select.addEventListener("change", function () { show(select.value); });
      show(select.value);
    }
    return chart;
  }

  function initMap(data) {
    var el = document.getElementById("map-chart");
    if (!el || !data.map || !window.echarts) { return null; }
    window.echarts.registerMap("fuling", data.map.outline);
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    var unit = data.map.indicator.unit;
    chart.setOption({
      animation: false,
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          if (!p.data || !p.data.code) { return p.name || ""; }
          return p.data.name + "<br>" + data.map.indicator.name + "：" + p.data.shown + " " + unit +
            "<br>状态：" + p.data.status + (p.data.as_of ? "<br>数据截至 " + p.data.as_of : "");
        }
      },
      geo: {
        map: "fuling", roam: true, zoom: 1.1,
        itemStyle: { areaColor: "#f3f5f8", borderColor: "#8c1d18", borderWidth: 1.5 },
        emphasis: { disabled: true }, label: { show: false }
      },
      series: [{
        type: "scatter", coordinateSystem: "geo", symbolSize: 13,
        label: { show: true, position: "right", fontSize: 10, formatter: "{b}" },
        data: data.map.towns.map(function (t) {
          return {
            name: t.name, value: [t.lon, t.lat, t.value], code: t.code, shown: t.shown, status: t.status,
            as_of: t.as_of, url: t.url, itemStyle: { color: t.colour, borderColor: "#fff", borderWidth: 1 }
          };
        })
      }]
    });
    chart.on("click", function (p) {
      if (p.data && p.data.url) { window.location.href = p.data.url; }
    });
    return chart;
  }

  document.addEventListener("DOMContentLoaded", function () {
    autosubmit();
    var data = readData();
    if (!data) { return; }
    var charts = [initTrend(data), initMap(data)].filter(Boolean);
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
    document.body.setAttribute("data-dashboard-ready", String(charts.length));
  });
})();
