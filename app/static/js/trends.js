// Run charts: show a point's <title> in a tooltip on hover (the data table says the same for
// screen readers), and the Print button. The charts work without this script.
(function () {
  "use strict";
  document.querySelectorAll(".chart-figure").forEach(function (figure) {
    var tip = figure.querySelector(".chart-tip");
    if (!tip) return;
    figure.querySelectorAll(".run-chart .point").forEach(function (point) {
      point.addEventListener("mouseenter", function () {
        var title = point.querySelector("title");
        tip.textContent = title ? title.textContent : "";
        var box = point.getBoundingClientRect();
        var frame = figure.getBoundingClientRect();
        var left = Math.min(Math.max(box.left - frame.left - 40, 0), Math.max(frame.width - 260, 0));
        tip.style.left = left + "px";
        tip.style.top = Math.max(box.top - frame.top - 40, 0) + "px";
        tip.hidden = false;
      });
      point.addEventListener("mouseleave", function () { tip.hidden = true; });
    });
  });
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
