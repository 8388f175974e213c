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
