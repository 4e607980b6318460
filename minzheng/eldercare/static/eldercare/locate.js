// Fills longitude/latitude fields of forms marked data-geolocate from the phone's location.
(function () {
  "use strict";
  function fill(form, status) {
    if (!navigator.geolocation) { if (status) status.textContent = "此设备不支持定位。"; return; }
    navigator.geolocation.getCurrentPosition(function (pos) {
      var lon = form.querySelector("[name=lon]"), lat = form.querySelector("[name=lat]");
      if (lon) lon.value = pos.coords.longitude.toFixed(6);
      if (lat) lat.value = pos.coords.latitude.toFixed(6);
      if (status) status.textContent = "已获取当前位置。";
    }, function () { if (status) status.textContent = "未能获取位置（可手工填写或不附带定位）。"; },
    { enableHighAccuracy: true, timeout: 8000, maximumAge: 60000 });
  }
  document.addEventListener("click", function (e) {
    var b = e.target.closest("[data-locate]");
    if (b) { e.preventDefault(); fill(b.closest("form"), null); }
  });
  document.addEventListener("DOMContentLoaded", function () {
    var f = document.getElementById("visit-form");
    if (f) fill(f, f.querySelector("[data-location-status]"));
  });
})();
