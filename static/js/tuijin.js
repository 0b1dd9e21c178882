/* Behaviour any page may use, wired by data- attributes: the Content-Security-Policy refuses
   inline scripts and on…= handlers (docs/security.md), so pages say what they want here.
   Listeners sit on the document, so content swapped in by htmx is covered too. */
document.addEventListener("change", (event) => {
  // <select data-autosubmit>: choosing an option submits its form (a year, a unit, the language).
  const field = event.target.closest("[data-autosubmit]");
  if (field && field.form) field.form.submit();
});
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
// A link to one of a page's tabs: …/#comments opens the tab whose target is #tab-comments.
if (location.hash.length > 1 && window.bootstrap) {
  const name = CSS.escape(location.hash.slice(1));
  const tab = document.querySelector(`[data-bs-toggle="tab"][data-bs-target="#tab-${name}"]`);
  if (tab) bootstrap.Tab.getOrCreateInstance(tab).show();
}
document.addEventListener("change", (event) => {
  // <input type="checkbox" data-check-all="items">: ticks or clears every checkbox named
  // "items" in its form (the board's 催办所选).
  const all = event.target.closest("[data-check-all]");
  if (!all || !all.form) return;
  for (const box of all.form.querySelectorAll(`input[type=checkbox][name="${all.dataset.checkAll}"]`)) {
    box.checked = all.checked;
  }
});
