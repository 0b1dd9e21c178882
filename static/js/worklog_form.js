/* The work log form: add a visit from the <template>, keep the whole form as a draft
   (draft.js) and give a restored draft back as many visits as it had. */
(function () {
  const form = document.getElementById("log-form");
  if (!form) return;
  const box = document.getElementById("visits");
  const total = form.querySelector("[name=visits-TOTAL_FORMS]");
  function addVisit() {
    const i = parseInt(total.value, 10);
    const html = document.getElementById("visit-template").innerHTML
      .replace(/__prefix__/g, i).replace(/__n__/g, i + 1);
    box.insertAdjacentHTML("beforeend", html);
    total.value = i + 1;
  }
  document.getElementById("add-visit").addEventListener("click", addVisit);
  tuijinDraft(form, { beforeRestore: (saved) => {
    const want = parseInt(saved["visits-TOTAL_FORMS"] || "0", 10);
    while (parseInt(total.value, 10) < want) addVisit();
  }});
})();
