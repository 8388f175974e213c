// A job's page (awards/jobs): while the worker runs it, ask for its figures every second and move
// the bar; when it is done, offer the file (or the way on). A reload finds the same job.
(() => {
  const box = document.getElementById("job");
  if (!box || !box.hasAttribute("data-running")) return;
  const bar = document.getElementById("job-progress");
  const count = document.getElementById("job-count");
  const state = document.getElementById("job-state");
  const message = document.getElementById("job-message");
  const file = document.getElementById("job-file");
  const result = document.getElementById("job-result");
  const units = count.dataset.units;
  const tick = () => {
    fetch(box.dataset.statusUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then((response) => response.ok ? response.json() : Promise.reject(response.status))
      .then((figures) => {
        bar.max = Math.max(figures.total, 1);
        bar.value = figures.state === "done" ? bar.max : figures.done;
        bar.textContent = figures.percent + "%";
        count.textContent = (figures.phase ? figures.phase + ": " : "") +
          figures.done.toLocaleString("vi-VN") + " / " + figures.total.toLocaleString("vi-VN") + " " + units;
        state.textContent = figures.state_label;
        box.dataset.state = figures.state;
        if (figures.finished) {
          box.removeAttribute("data-running");
          state.className = "badge text-bg-" + (figures.state === "done" ? "success" : "danger");
          message.textContent = figures.message;
          message.classList.toggle("text-danger", figures.state === "failed");
          if (figures.file_url) { file.href = figures.file_url; file.classList.remove("d-none"); }
          if (figures.result_url) {
            result.href = figures.result_url;
            result.classList.remove("d-none");
            // Done: the way on replaces the way back (an import's file is gone once written).
            const back = document.getElementById("job-back");
            if (back && figures.state === "done") back.classList.add("d-none");
          }
          return;
        }
        window.setTimeout(tick, 1000);
      })
      .catch(() => window.setTimeout(tick, 3000));
  };
  window.setTimeout(tick, 500);
})();
