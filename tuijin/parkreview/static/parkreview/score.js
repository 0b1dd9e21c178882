/* The evaluator's form, stop by stop: one section shown at a time (上一站 / 下一站), the last
   one the points; the whole form kept as a draft on the phone (draft.js), the step too, so a
   dropped connection loses nothing. Without JavaScript every section shows. */
(function () {
  const form = document.getElementById("score-form");
  if (!form) return;
  const steps = Array.from(form.querySelectorAll(".score-step"));
  const label = document.getElementById("step-label");
  const prev = document.getElementById("step-prev");
  const next = document.getElementById("step-next");
  const stepKey = "tuijin-draft-step:" + form.dataset.draft;
  let current = 0;
  const show = (index) => {
    current = Math.max(0, Math.min(index, steps.length - 1));
    steps.forEach((step, i) => step.classList.toggle("d-none", i !== current));
    label.textContent = steps[current].dataset.label;
    prev.disabled = current === 0;
    next.classList.toggle("d-none", current === steps.length - 1);
    try { localStorage.setItem(stepKey, String(current)); } catch (e) { /* private mode */ }
  };
  const total = () => {
    let sum = 0;
    form.querySelectorAll("[name^=points_]").forEach((el) => { sum += parseFloat(el.value) || 0; });
    document.getElementById("score-total").textContent = sum.toFixed(1).replace(/\.0$/, "");
  };
  tuijinDraft(form);
  document.getElementById("step-nav").classList.remove("d-none");
  prev.addEventListener("click", () => { show(current - 1); window.scrollTo(0, 0); });
  next.addEventListener("click", () => { show(current + 1); window.scrollTo(0, 0); });
  form.addEventListener("input", total);
  total();
  // Errors are on the points: show them; otherwise where the evaluator was.
  const saved = parseInt(localStorage.getItem(stepKey) || "0", 10);
  show(form.querySelector(".alert-danger") ? steps.length - 1 : saved);
})();
