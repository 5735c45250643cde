/* The unusual-value rule of enterprises.services.kpi.unusual_value_reasons, in the page:
   a value outside the KPI's plausible range, or more than data-far percent away from the
   previous reading, shows the confirmation box (checkbox + reason) beside it. The server
   enforces the same rule; this only shows the box before sending (and offline). */
(function () {
  "use strict";

  function num(text) {
    if (text === undefined || text === null || String(text).trim() === "") return null;
    var value = Number(String(text).replace(",", "."));
    return isFinite(value) ? value : null;
  }

  function limits(input) {
    var source = input;
    var row = input.closest("[data-kpi-row]") || input.form;
    if (input.dataset.min === undefined && row) {
      var select = row.querySelector("select[name$='kpi']");
      source = select && select.selectedOptions[0] ? select.selectedOptions[0] : null;
    }
    if (!source) return null;
    return {
      min: num(source.dataset.min),
      max: num(source.dataset.max),
      previous: num(source.dataset.previous),
      far: num(input.dataset.far) || 80
    };
  }

  function isUnusual(value, rule) {
    if (value === null || !rule) return false;
    if (rule.min !== null && value < rule.min) return true;
    if (rule.max !== null && value > rule.max) return true;
    if (rule.previous !== null && rule.previous !== 0) {
      return (Math.abs(value - rule.previous) / Math.abs(rule.previous)) * 100 > rule.far;
    }
    return false;
  }

  function update(input) {
    var row = input.closest("[data-kpi-row]") || input.form;
    if (!row) return;
    var box = row.querySelector(".unusual-confirm");
    if (!box) return;
    var unusual = isUnusual(num(input.value), limits(input));
    var hasError = box.querySelector(".is-invalid, .invalid-feedback") !== null;
    box.classList.toggle("d-none", !(unusual || hasError));
    input.dataset.unusual = unusual ? "1" : "";
  }

  window.scoreKpiCheck = { isUnusual: isUnusual, limits: limits, num: num };

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-unusual-check]").forEach(function (input) {
      update(input);
      input.addEventListener("input", function () { update(input); });
      var row = input.closest("[data-kpi-row]") || input.form;
      var select = row && row.querySelector("select[name$='kpi']");
      if (select) select.addEventListener("change", function () { update(input); });
    });
  });
})();
