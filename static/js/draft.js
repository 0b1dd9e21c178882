/* Form drafts kept in localStorage, so a dropped connection on site loses nothing.
   <form data-draft="key"> is saved on every change and restored on the next visit; the page
   shown after a successful submit carries data-draft-clear="key" and removes the draft.
   File inputs cannot be saved; the page says so. */
function tuijinDraft(form, options) {
  if (!form || !window.localStorage) return;
  const key = "tuijin-draft:" + form.dataset.draft;
  const fields = () => Array.from(form.elements).filter(
    (el) => el.name && el.type !== "file" && el.type !== "hidden" && el.type !== "submit");
  const save = () => {
    const data = { "visits-TOTAL_FORMS": (form.querySelector("[name$=TOTAL_FORMS]") || {}).value };
    fields().forEach((el) => { data[el.name] = el.type === "checkbox" ? el.checked : el.value; });
    localStorage.setItem(key, JSON.stringify(data));
  };
  const raw = localStorage.getItem(key);
  // A form re-shown with errors already holds what was posted: keep it, don't overwrite.
  const hasErrors = form.querySelector(".alert-danger");
  if (raw && !hasErrors) {
    const saved = JSON.parse(raw);
    if (options && options.beforeRestore) options.beforeRestore(saved);
    fields().forEach((el) => {
      if (!(el.name in saved)) return;
      if (el.type === "checkbox") el.checked = saved[el.name]; else el.value = saved[el.name];
    });
    const note = document.getElementById("draft-restored");
    if (note) note.classList.remove("d-none");
  }
  form.addEventListener("input", save);
  form.addEventListener("change", save);
  const discard = document.getElementById("draft-discard");
  if (discard) discard.addEventListener("click", () => { localStorage.removeItem(key); location.reload(); });
}
document.querySelectorAll("[data-draft-clear]").forEach((el) => {
  try { localStorage.removeItem("tuijin-draft:" + el.dataset.draftClear); } catch (e) { /* private mode */ }
});
