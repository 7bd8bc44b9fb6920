// Plan form: month labels, phase of each month, phase and year totals as you type, bad cells in red.
(function () {
  "use strict";
  const form = document.getElementById("plan-form");
  if (!form) return;
  const lang = form.dataset.lang || "zh-hans";
  const chinese = lang.startsWith("zh");
  const monthFormat = new Intl.DateTimeFormat(chinese ? "zh-CN" : "en", { year: "numeric", month: "long" });

  function parseTarget(input) {
    const raw = input.value.replace(/,/g, "").trim();
    const ok = raw === "" || /^\d+$/.test(raw);
    input.classList.toggle("invalid", !ok);
    input.title = ok ? "" : form.dataset.bad;
    input.setAttribute("aria-invalid", ok ? "false" : "true");
    return ok && raw !== "" ? Number(raw) : 0;
  }

  function phases() {
    return Array.from(form.querySelectorAll(".phase-row")).map((row) => ({
      name: row.querySelector("[name=phase_name]").value || "?",
      months: parseInt(row.querySelector("[name=phase_months]").value, 10) || 0,
    }));
  }

  function refresh() {
    const first = form.querySelector("[name=first_month]").value; // YYYY-MM
    const [year, month] = first.split("-").map(Number);
    const rows = Array.from(form.querySelectorAll("#months tbody tr"));
    const plan = phases();
    const owner = [];
    plan.forEach((p, i) => { for (let k = 0; k < p.months; k++) owner.push(i); });
    const sums = plan.map(() => 0);
    let total = 0;
    rows.forEach((row, i) => {
      row.querySelector(".month-label").textContent =
        year && month ? monthFormat.format(new Date(year, month - 1 + i, 1)) : "";
      const phase = owner[i];
      row.querySelector(".phase-label").textContent = phase === undefined ? "—" : plan[phase].name;
      const value = parseTarget(row.querySelector("input"));
      total += value;
      if (phase !== undefined) sums[phase] += value;
    });
    const covered = plan.reduce((n, p) => n + p.months, 0);
    const check = document.getElementById("phase-check");
    check.textContent = form.dataset.covered + " " + covered + " / 12";
    check.className = covered === 12 ? "muted" : "error";
    const foot = document.getElementById("totals");
    foot.innerHTML = "";
    plan.forEach((p, i) => foot.appendChild(line(p.name, sums[i])));
    foot.appendChild(line(form.dataset.year, total, true));
  }

  function line(label, value, strong) {
    const tr = document.createElement("tr");
    tr.className = strong ? "total" : "subtotal";
    const th = document.createElement("th");
    th.colSpan = 3;
    th.textContent = label;
    const td = document.createElement("td");
    td.className = "num";
    td.textContent = window.SalesOps.amount(value, lang);
    td.dataset.yuan = String(value);
    tr.append(th, td);
    return tr;
  }

  form.addEventListener("input", refresh);
  form.addEventListener("click", (event) => {
    if (event.target.classList.contains("remove-phase") && form.querySelectorAll(".phase-row").length > 1) {
      event.target.closest(".phase-row").remove();
      refresh();
    }
  });
  const addPhase = document.getElementById("add-phase");
  if (addPhase) addPhase.addEventListener("click", () => {
    const rows = form.querySelectorAll(".phase-row");
    const copy = rows[rows.length - 1].cloneNode(true);
    copy.querySelector("[name=phase_name]").value = form.dataset.phase + " " + (rows.length + 1);
    copy.querySelector("[name=phase_months]").value = "1";
    document.getElementById("phases").appendChild(copy);
    refresh();
  });
  refresh();
})();
