// The decision page: search-as-you-type for recipients, and the rows of the recipients' formset.
(function () {
  const box = document.getElementById("recipient-search");
  const results = document.getElementById("recipient-results");
  const rows = document.getElementById("rows");
  const template = document.getElementById("row-template");
  const total = document.querySelector("input[name$='-TOTAL_FORMS']");
  const counter = document.getElementById("row-count");
  let timer = null;
  let controller = null;

  function chosen() {
    return new Set([...rows.querySelectorAll("tr.recipient-row:not(.d-none)")].map((tr) => tr.dataset.recipient));
  }

  function renumber() {
    let n = 0;
    rows.querySelectorAll("tr.recipient-row:not(.d-none)").forEach((tr) => {
      n += 1;
      tr.querySelector(".row-number").textContent = n;
    });
    counter.textContent = n ? n + " " + counter.dataset.suffix : "";
  }

  function show(items) {
    results.replaceChildren();
    if (!items.length) {
      const empty = document.createElement("div");
      empty.className = "list-group-item text-muted";
      empty.textContent = box.dataset.none;
      results.append(empty);
      return;
    }
    const already = chosen();
    items.forEach((item) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "list-group-item list-group-item-action recipient-option";
      button.dataset.id = item.id;
      const label = document.createElement("div");
      label.className = "fw-semibold";
      label.textContent = item.label;
      const detail = document.createElement("div");
      detail.className = "small text-muted";
      const notes = [item.detail];
      if (!item.in_scope) notes.push(box.dataset.outside);
      if (already.has(item.id)) notes.push(box.dataset.added);
      detail.textContent = notes.filter(Boolean).join(" · ");
      button.append(label, detail);
      if (already.has(item.id)) button.disabled = true;
      button.addEventListener("click", () => add(item));
      results.append(button);
    });
  }

  async function search() {
    const q = box.value.trim();
    if (q.length < 2) {
      results.replaceChildren();
      return;
    }
    if (controller) controller.abort();
    controller = new AbortController();
    try {
      const response = await fetch(box.dataset.url + "?q=" + encodeURIComponent(q), {
        signal: controller.signal, headers: { Accept: "application/json" }, credentials: "same-origin",
      });
      if (response.ok) show((await response.json()).results);
    } catch (error) {
      if (error.name !== "AbortError") throw error;
    }
  }

  function add(item) {
    if (chosen().has(item.id)) return;
    const index = Number(total.value);
    const html = template.innerHTML.replace(/__prefix__/g, String(index));
    rows.insertAdjacentHTML("beforeend", html);
    const tr = rows.lastElementChild;
    tr.dataset.recipient = item.id;
    tr.querySelector("input[name$='-recipient']").value = item.id;
    tr.querySelector(".recipient-label").textContent = item.label;
    tr.querySelector(".recipient-detail").textContent = item.detail;
    total.value = String(index + 1);
    box.value = "";
    results.replaceChildren();
    renumber();
    box.focus();
  }

  box.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(search, 200);
  });
  box.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      // Enter picks the first match instead of submitting the whole decision.
      event.preventDefault();
      const first = results.querySelector(".recipient-option:not([disabled])");
      if (first) first.click();
    } else if (event.key === "Escape") {
      results.replaceChildren();
    }
  });
  rows.addEventListener("click", (event) => {
    const button = event.target.closest(".remove-row");
    if (!button) return;
    const tr = button.closest("tr");
    tr.querySelector("input[name$='-DELETE']").checked = true;
    tr.classList.add("d-none");
    renumber();
  });
  // A register number is typed only for an authority above (its certificate arrives numbered).
  const outside = new Set((document.getElementById("decision-form").dataset.outsideAuthorities || "").split(","));
  const authority = document.getElementById("id_authority");
  function showNumbers() {
    const above = authority && outside.has(authority.value);
    document.querySelectorAll(".outside-only").forEach((el) => {
      el.hidden = !above && !el.querySelector(".text-danger");
    });
  }
  if (authority) authority.addEventListener("change", showNumbers);
  rows.addEventListener("change", showNumbers);
  new MutationObserver(showNumbers).observe(rows, { childList: true });
  showNumbers();
  renumber();
})();
