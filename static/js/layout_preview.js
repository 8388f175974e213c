// A layout on a pre-printed blank drawn as SVG in millimetres: the paper, an outline of what the
// blank carries (its border and national heading), and each field's box with sample text.
// Used by the layout page (from its JSON) and by the back office's editor (from its form, live).
(function () {
  const NS = "http://www.w3.org/2000/svg";
  const PT = 25.4 / 72; // one point in millimetres

  function el(name, attrs, text) {
    const node = document.createElementNS(NS, name);
    Object.entries(attrs).forEach(([k, v]) => node.setAttribute(k, v));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function draw(svg, spec) {
    const w = Number(spec.width) || 297, h = Number(spec.height) || 210;
    const s = Math.min(w / 297, h / 210);
    svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
    svg.replaceChildren();
    svg.appendChild(el("rect", { x: 0, y: 0, width: w, height: h, fill: "#fffdf6", stroke: "#888", "stroke-width": 0.4 }));
    // The outline of the blank: its printed border and heading, in grey.
    svg.appendChild(el("rect", { x: 5 * s, y: 5 * s, width: w - 10 * s, height: h - 10 * s, fill: "none",
      stroke: "#c9b27a", "stroke-width": 1.2 * s }));
    svg.appendChild(el("rect", { x: 8 * s, y: 8 * s, width: w - 16 * s, height: h - 16 * s, fill: "none",
      stroke: "#d8c79c", "stroke-width": 0.4 * s }));
    const heading = el("text", { x: w / 2, y: 22 * s, "text-anchor": "middle", "font-size": 4.9 * s,
      "font-weight": "bold", fill: "#bbb", "font-family": "serif" }, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    svg.appendChild(heading);
    svg.appendChild(el("text", { x: w / 2, y: 28.5 * s, "text-anchor": "middle", "font-size": 4.7 * s,
      "font-weight": "bold", fill: "#bbb", "font-family": "serif" }, "Độc lập - Tự do - Hạnh phúc"));
    (spec.boxes || []).forEach((b) => {
      const x = Number(b.x), y = Number(b.y), bw = Number(b.w), bh = Number(b.h);
      if ([x, y, bw, bh].some((v) => Number.isNaN(v))) return;
      const g = el("g", { class: "layout-box", "data-field": b.field });
      g.appendChild(el("rect", { x, y, width: bw, height: bh, fill: "rgba(40,90,200,0.08)", stroke: "#2a5ac8",
        "stroke-width": 0.3, "stroke-dasharray": "1.2 0.8" }));
      g.appendChild(el("text", { x: x + 0.8, y: y - 0.8, "font-size": 2.4, fill: "#2a5ac8", "font-family": "sans-serif" }, b.label || b.field));
      if (b.field === "qr") {
        const side = Math.min(bw, bh);
        g.appendChild(el("rect", { x, y, width: side, height: side, fill: "#333", opacity: 0.6 }));
      } else {
        const size = (Number(b.size) || 12) * PT;
        const anchor = b.align === "left" ? "start" : b.align === "right" ? "end" : "middle";
        const tx = b.align === "left" ? x : b.align === "right" ? x + bw : x + bw / 2;
        const lines = String((spec.samples || {})[b.field] || "").split("\n");
        lines.forEach((line, i) => {
          const t = el("text", { x: tx, y: y + size * 0.8 + i * size * 1.2, "text-anchor": anchor, "font-size": size,
            "font-family": "serif", fill: b.colour === "red" ? "#b0121c" : "#151519",
            "font-weight": b.style === "bold" ? "bold" : "normal", "font-style": b.style === "italic" ? "italic" : "normal" }, line);
          g.appendChild(t);
          // Shrink to the box's width, as the print does for a field that shrinks to fit.
          try {
            const len = t.getComputedTextLength();
            if (len > bw) t.setAttribute("font-size", size * bw / len);
          } catch (e) { /* not rendered yet */ }
        });
      }
      svg.appendChild(g);
    });
  }

  window.drawBlankLayout = draw;

  // The layout page: its JSON, drawn once.
  const svg = document.getElementById("layout-preview");
  if (svg && svg.dataset.layout) draw(svg, JSON.parse(svg.dataset.layout));

  // The back office's editor: redrawn from the form on every change.
  const editor = document.getElementById("layout-editor");
  if (!editor || !svg) return;
  const labels = JSON.parse(editor.dataset.labels);
  const samples = JSON.parse(editor.dataset.samples);
  const form = editor.closest("form") || document.querySelector("#content-main form");
  const papers = { A4: [297, 210], A3: [420, 297], "400x300": [400, 300], "450x350": [450, 350] };
  function value(row, name) {
    const input = row.querySelector(`[name$='-${name}']`);
    if (!input) return "";
    return input.type === "checkbox" ? input.checked : input.value;
  }
  function spec() {
    const paper = form.querySelector("[name='paper']");
    let size = papers[paper ? paper.value : "A4"];
    if (!size) size = [Number(form.querySelector("[name='paper_width_mm']").value) || 297,
      Number(form.querySelector("[name='paper_height_mm']").value) || 210];
    const boxes = [];
    form.querySelectorAll("tr.form-row, tr.dynamic-fields").forEach((row) => {
      if (row.classList.contains("empty-form")) return;
      const field = value(row, "field");
      const del = row.querySelector("[name$='-DELETE']");
      if (!field || (del && del.checked)) return;
      boxes.push({ field, label: labels[field] || field, x: value(row, "x_mm"), y: value(row, "y_mm"),
        w: value(row, "width_mm"), h: value(row, "height_mm"), size: value(row, "font_size"),
        style: value(row, "style"), align: value(row, "align"), colour: value(row, "colour") });
    });
    return { width: size[0], height: size[1], boxes, samples };
  }
  const redraw = () => draw(svg, spec());
  form.addEventListener("input", redraw);
  form.addEventListener("change", redraw);
  // Rows added or removed in the fields' table (not the preview's own drawing, which is in the form too).
  const group = document.getElementById("fields-group");
  if (group) new MutationObserver(redraw).observe(group, { childList: true, subtree: true });
  redraw();
})();
