// Small behaviours shared by every page (CSP: no inline scripts).
document.addEventListener("click", function (e) {
  var t = e.target.closest("[data-toggle-tree]");
  if (t) { document.getElementById("jurisdiction-tree").classList.toggle("collapsed"); }
  var c = e.target.closest("[data-confirm]");
  if (c && !window.confirm(c.getAttribute("data-confirm"))) { e.preventDefault(); }
});
document.addEventListener("DOMContentLoaded", function () {
  if (window.matchMedia("(max-width: 760px)").matches) {
    var tree = document.getElementById("jurisdiction-tree");
    if (tree) tree.classList.add("collapsed");
  }
});
