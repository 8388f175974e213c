// Behaviour shared by every page; no inline scripts, so a strict Content-Security-Policy holds.
document.querySelectorAll("[data-autosubmit]").forEach((el) => {
  el.addEventListener("change", () => el.form.submit());
});
document.querySelectorAll("form[data-confirm]").forEach((form) => {
  form.addEventListener("submit", (event) => {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });
});
document.querySelectorAll(".pick-all").forEach((box) => {
  box.addEventListener("change", () => {
    box.closest("form").querySelectorAll("input[name=rows]").forEach((row) => { row.checked = box.checked; });
  });
});
// A decision's subject line (trích yếu) follows the default title chosen, until it is edited by hand.
document.querySelectorAll("select[data-subjects]").forEach((select) => {
  const subject = select.form && select.form.querySelector("[name=subject]");
  if (!subject) return;
  const subjects = JSON.parse(select.dataset.subjects);
  let automatic = subject.value === "" || Object.values(subjects).includes(subject.value);
  subject.addEventListener("input", () => { automatic = false; });
  select.addEventListener("change", () => {
    if (automatic && subjects[select.value] !== undefined) subject.value = subjects[select.value];
  });
});
