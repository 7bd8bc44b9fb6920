// Entry grid: move like a spreadsheet, check each cell as you type (the rules of services.parse_value),
// recompute the derived columns and the team totals, Ctrl/Cmd+S saves. The server checks everything again.
(function () {
  "use strict";
  const form = document.getElementById("grid-form");
  if (!form) return;
  const config = JSON.parse(document.getElementById("grid-config").textContent);
  const table = form.querySelector("table.entry");
  const rows = Array.from(table.tBodies[0].rows);
  const cells = rows.map((row) => Array.from(row.querySelectorAll("input.cell")));
  const derivedColumns = Array.from(table.tHead.querySelectorAll("th.derived")).map((th) => ({
    code: th.dataset.code, unit: th.dataset.unit, op: th.dataset.op,
    args: th.dataset.args ? th.dataset.args.split(" ") : [],
  }));
  const problems = document.getElementById("grid-problems");
  const status = document.getElementById("grid-status");
  const historyLink = status.querySelector(".history-link");
  let submitting = false;
  // As in a spreadsheet: a cell reached with the keyboard is in "enter" mode (Left/Right move to the next cell);
  // a click or F2 puts it in "edit" mode, where Left/Right move the caret until it reaches the edge.
  let editing = false;

  function show(value, unit) {
    if (value === null) return "—";
    if (unit === "percent") return (value * 100).toFixed(1) + "%";
    if (unit === "count") return String(Math.round(value));
    return window.SalesOps.amount(value, config.lang);
  }

  function decimals(raw, value) {
    if (/e/i.test(raw)) return Math.abs(value * 100 - Math.round(value * 100)) < 1e-6 ? 0 : 3;
    return (raw.split(".")[1] || "").replace(/0+$/, "").length;
  }

  // Returns {value} or {error}: the same rules and messages as services.parse_value (teams/inputs.py): the text
  // bounded before it is read, full-width forms folded (NFKC), currency signs and separators dropped, and the
  // multipliers the server knows (config.limits.scales) applied.
  const SCALES = config.limits.scales;
  function parse(text, unit) {
    if (text.length > config.limits.chars) return { error: config.messages.too_long.replace("{text}", text.slice(0, 20) + "…") };
    const shown = text.normalize("NFKC").trim();
    let raw = shown.replace(/\s+/g, "").replace(new RegExp(config.limits.currency, "gi"), "").replace(/,/g, "");
    if (raw === "") return { value: 0 };
    let scale = 1;
    if (SCALES[raw.slice(-1)]) { scale = SCALES[raw.slice(-1)]; raw = raw.slice(0, -1); }
    if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(raw)) return { error: config.messages.nan.replace("{text}", shown) };
    const value = Number(raw) * scale;
    if (!Number.isFinite(value)) return { error: config.messages.too_large };
    if (value < 0) return { error: config.messages.negative };
    if (unit === "count") {
      if (!Number.isInteger(value)) return { error: config.messages.whole };
      return value > config.limits.count ? { error: config.messages.count_too_large } : { value };
    }
    if ((scale === 1 ? decimals(raw, value) : decimals("1e0", value)) > 2) return { error: config.messages.decimals };
    if (value > config.limits.amount) return { error: config.messages.too_large };
    return { value };
  }

  function check(input) {
    const result = parse(input.value, input.dataset.unit);
    const error = result.error || "";
    input.classList.toggle("invalid", error !== "");
    input.setAttribute("aria-invalid", error ? "true" : "false");
    input.title = error;
    input.dataset.error = error;
    input.classList.toggle("changed", input.value !== input.defaultValue);
    return error ? 0 : result.value;
  }

  // Derived columns in header order: each may use entered codes, the target and the columns before it.
  function derive(values, target) {
    const known = Object.assign({ planned_target: target }, values);
    const out = derivedColumns.map((column) => {
      const args = column.args.map((code) => known[code]);
      let value = null;
      if (column.op === "target") value = target;
      else if (column.op === "sum") value = args.reduce((a, b) => a + (b || 0), 0);
      else if (column.op === "ratio") value = args[0] === null || !args[1] ? null : args[0] / args[1];
      known[column.code] = value;
      return value;
    });
    return out;
  }

  function paint(tds, values) {
    tds.forEach((td, i) => { td.textContent = show(values[i], derivedColumns[i].unit); });
  }

  function refresh() {
    const sums = {};
    let teamTarget = null;
    const bad = [];
    rows.forEach((row, r) => {
      const values = {};
      cells[r].forEach((input) => {
        values[input.dataset.code] = check(input);
        sums[input.dataset.code] = (sums[input.dataset.code] || 0) + values[input.dataset.code];
        if (input.dataset.error) bad.push(input.getAttribute("aria-label") + ": " + input.dataset.error);
      });
      const target = row.dataset.target === "" ? null : Number(row.dataset.target);
      if (target !== null) teamTarget = (teamTarget || 0) + target;
      paint(Array.from(row.querySelectorAll("td.derived")), derive(values, target));
    });
    const foot = table.tFoot.rows[0];
    foot.querySelectorAll("td[data-code]").forEach((td) => { td.textContent = show(sums[td.dataset.code] || 0, td.dataset.unit); });
    paint(Array.from(foot.querySelectorAll("td.derived")), derive(sums, teamTarget));
    problems.hidden = bad.length === 0;
    problems.textContent = bad.join(" · ");
    return bad.length === 0;
  }

  function place(input) {
    for (let r = 0; r < cells.length; r++) {
      const c = cells[r].indexOf(input);
      if (c >= 0) return [r, c];
    }
    return null;
  }

  function go(r, c) {
    const target = cells[r] && cells[r][c];
    if (!target) return false;
    target.focus();
    target.select();
    editing = false;
    return true;
  }

  function caretAt(input, end) {
    if (!editing) return true;
    if (input.selectionStart !== input.selectionEnd) return input.selectionEnd - input.selectionStart === input.value.length;
    return input.selectionStart === (end ? input.value.length : 0);
  }

  table.addEventListener("keydown", (event) => {
    const input = event.target;
    if (!input.classList.contains("cell") || event.altKey || event.ctrlKey || event.metaKey) return;
    const [r, c] = place(input);
    const width = cells[r].length;
    let moved = false;
    if (event.key === "F2") {
      editing = true;
      input.setSelectionRange(input.value.length, input.value.length);
      moved = true;
    } else if (event.key === "Tab") {
      // Row by row; past the last cell the browser's own Tab takes you on to the Save button.
      moved = event.shiftKey ? (c > 0 ? go(r, c - 1) : go(r - 1, width - 1)) : (c < width - 1 ? go(r, c + 1) : go(r + 1, 0));
    } else if (event.key === "Enter") {
      go(event.shiftKey ? r - 1 : r + 1, c);
      moved = true; // never let Enter submit the form half-typed
    } else if (event.key === "ArrowDown") moved = go(r + 1, c) || true;
    else if (event.key === "ArrowUp") moved = go(r - 1, c) || true;
    else if (event.key === "ArrowLeft" && caretAt(input, false)) moved = go(r, c - 1) || true;
    else if (event.key === "ArrowRight" && caretAt(input, true)) moved = go(r, c + 1) || true;
    if (moved) event.preventDefault();
  });

  table.addEventListener("input", refresh);
  let pointer = false;
  table.addEventListener("mousedown", (event) => {
    if (!event.target.classList.contains("cell")) return;
    if (event.target === document.activeElement) editing = true;
    else pointer = true; // focusin follows and opens the cell for editing
  });

  table.addEventListener("focusin", (event) => {
    const input = event.target;
    if (!input.classList.contains("cell")) return;
    editing = pointer;
    pointer = false;
    if (!editing) input.select(); // typing into a cell reached without the mouse replaces what it held
    status.querySelector(".where").textContent = input.getAttribute("aria-label");
    const history = input.dataset.history || "";
    historyLink.hidden = !history;
    historyLink.href = history;
    // htmx loads the history under the grid (hx-target on the link); it reads hx-get when it processes the link.
    historyLink.setAttribute("hx-get", history);
    if (window.htmx) window.htmx.process(historyLink);
  });

  function dirty() {
    return config.unsaved || cells.some((line) => line.some((input) => input.value !== input.defaultValue));
  }

  form.addEventListener("submit", (event) => {
    if (!refresh()) {
      event.preventDefault();
      problems.textContent = config.messages.fix_first + " " + problems.textContent;
      const first = table.querySelector("input.cell.invalid");
      if (first) go(...place(first));
      return;
    }
    submitting = true;
  });

  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
      event.preventDefault();
      if (!config.readonly) form.requestSubmit(document.getElementById("grid-save"));
    }
  });

  const submitForm = document.getElementById("submit-form");
  if (submitForm) {
    submitForm.addEventListener("submit", (event) => {
      if (dirty() && !window.confirm(config.messages.unsaved)) event.preventDefault();
      else submitting = true;
    });
  }

  window.addEventListener("beforeunload", (event) => {
    if (!submitting && !config.readonly && dirty()) event.preventDefault();
  });

  refresh();
}());
