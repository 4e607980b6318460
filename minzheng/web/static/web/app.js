// Small behaviours shared by every page (CSP: no inline scripts).
document.addEventListener("click", function (e) {
  var t = e.target.closest("[data-toggle-tree]");
  if (t) { document.getElementById("jurisdiction-tree").classList.toggle("collapsed"); }
  var c = e.target.closest("[data-confirm]");
  if (c && !window.confirm(c.getAttribute("data-confirm"))) { e.preventDefault(); }
});
document.addEventListener("DOMContentLoaded", function () {
  // Mark the division on screen in the (cached, shared) jurisdiction tree.
  var aside = document.getElementById("jurisdiction-tree");
  var current = aside && aside.getAttribute("data-current");
  if (current) {
    var link = aside.querySelector('a[data-code="' + current + '"]');
    if (link) link.classList.add("current");
    var town = aside.querySelector('details[data-code="' + current.slice(0, 9) + '"]');
    if (town) town.open = true;
  }
  if (window.matchMedia("(max-width: 760px)").matches) {
    var tree = document.getElementById("jurisdiction-tree");
    if (tree) tree.classList.add("collapsed");
  }
});
// The person picker (registry/_person_picker.html): Enter in its search box searches, it does
// not submit the form around it.
document.addEventListener("keydown", function (e) {
  var box = e.key === "Enter" && e.target.closest(".person-picker input[type=search]");
  if (box) { e.preventDefault(); if (window.htmx) { window.htmx.trigger(box, "search"); } }
});
// Phones: the header's 菜单 button opens and closes the module menu.
document.addEventListener("click", function (e) {
  var b = e.target.closest("[data-toggle-menu]");
  if (!b) return;
  var open = document.getElementById("topbar").classList.toggle("open");
  b.setAttribute("aria-expanded", open ? "true" : "false");
});
// A table that scrolls sideways inside its .table-wrap must be reachable by keyboard.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".table-wrap").forEach(function (w) {
    if (w.scrollWidth > w.clientWidth && !w.hasAttribute("tabindex")) { w.setAttribute("tabindex", "0"); }
  });
});
