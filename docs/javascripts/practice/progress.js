/*
 * The progress page (docs/practice/progress.md): counts by section, each tracked page's marks (the
 * table is written at build time by overrides/hooks/practice.py), and export / import / reset of
 * everything the guide keeps in this browser: the studied and attempted marks and the drill's schedule.
 *
 * An export is a JSON file {format, version, exported, progress, drill}; importing one replaces the
 * current state after checking it. Reset asks for confirmation first. Loaded by docs/javascripts/progress.js.
 */
(() => {
  "use strict";

  const FORMAT = "ml-system-design-field-guide/progress";
  const DRILL = "ml-system-design-field-guide:drill:v1";
  const progress = window.fgProgress;

  function drillState() {
    try {
      const data = JSON.parse(localStorage.getItem(DRILL));
      if (data && data.version === 1 && data.cards && typeof data.cards === "object") return data;
    } catch (error) { /* none */ }
    return null;
  }

  function date(ms) {
    return new Date(ms).toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
  }

  function validate(data) {
    if (!data || typeof data !== "object") throw new Error("the file does not hold a JSON object");
    if (data.format !== FORMAT) throw new Error("it is not a progress export of this guide");
    if (data.version !== 1) throw new Error(`it has version ${data.version}; this guide reads version 1`);
    const pages = data.progress && data.progress.pages;
    if (!pages || typeof pages !== "object" || Array.isArray(pages)) throw new Error("it has no page marks");
    for (const [key, marks] of Object.entries(pages)) {
      if (!marks || typeof marks !== "object") throw new Error(`the marks of ${key} are not an object`);
      for (const [name, value] of Object.entries(marks)) {
        if (!["studied", "attempted"].includes(name) || typeof value !== "number") {
          throw new Error(`${key} has an unknown mark ${JSON.stringify(name)}`);
        }
      }
    }
    if (data.drill !== null && data.drill !== undefined
        && (typeof data.drill !== "object" || data.drill.version !== 1 || typeof data.drill.cards !== "object")) {
      throw new Error("its drill schedule is not readable");
    }
    return data;
  }

  function mount(root) {
    const summary = root.querySelector("[data-fg-summary]");
    const actions = root.querySelector("[data-fg-actions]");
    const status = root.querySelector("[data-fg-status]");
    const confirmBox = root.querySelector("[data-fg-confirm]");
    const input = root.querySelector("[data-fg-import]");
    root.querySelector(".fg-app__loading")?.remove();
    actions.hidden = false;

    function say(message) {
      status.textContent = message;
    }

    function render() {
      if (!root.isConnected) return;
      const pages = progress.load().pages;
      const rows = [];
      for (const table of root.querySelectorAll("[data-fg-section]")) {
        let total = 0, studied = 0, cases = 0, attempted = 0;
        for (const row of table.querySelectorAll("tr[data-fg-key]")) {
          const marks = pages[row.dataset.fgKey] || {};
          total += 1;
          if (marks.studied) studied += 1;
          const studiedCell = row.querySelector("[data-fg-cell=studied]");
          studiedCell.textContent = marks.studied ? `✓ ${date(marks.studied)}` : "–";
          row.classList.toggle("fg-progress-table__row--studied", Boolean(marks.studied));
          const attemptedCell = row.querySelector("[data-fg-cell=attempted]");
          if (attemptedCell) {
            cases += 1;
            if (marks.attempted) attempted += 1;
            attemptedCell.textContent = marks.attempted ? `✓ ${date(marks.attempted)}` : "–";
          }
        }
        rows.push({ section: table.dataset.fgSection, total, studied, cases, attempted });
      }
      const drill = drillState();
      const now = Date.now();
      const seen = drill ? Object.values(drill.cards) : [];
      const head = "<thead><tr><th>Section</th><th>Studied</th><th>Attempted</th></tr></thead>";
      const body = rows.map((r) => `<tr data-fg-count="${r.section}"><td>${r.section}</td>`
        + `<td data-fg-studied>${r.studied} of ${r.total}</td>`
        + `<td data-fg-attempted>${r.cases ? `${r.attempted} of ${r.cases}` : ""}</td></tr>`).join("");
      summary.innerHTML = `<table data-fg-summary-table>${head}<tbody>${body}</tbody></table>`;
      const drillLine = document.createElement("p");
      drillLine.dataset.fgDrillSummary = "";
      drillLine.textContent = seen.length
        ? `Drill: ${seen.length} cards reviewed, ${seen.filter((c) => c.due <= now).length} due now.`
        : "Drill: no cards reviewed yet.";
      summary.append(drillLine);
    }

    function exportFile() {
      const data = { format: FORMAT, version: 1, exported: new Date().toISOString(),
        progress: progress.load(), drill: drillState() };
      const blob = new Blob([JSON.stringify(data, null, 2) + "\n"], { type: "application/json" });
      const link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = `ml-system-design-progress-${data.exported.slice(0, 10)}.json`;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
      const count = Object.keys(data.progress.pages).length;
      say(`Exported the marks of ${count} page${count === 1 ? "" : "s"} to ${link.download}.`);
    }

    async function importFile(file) {
      let data;
      try {
        data = validate(JSON.parse(await file.text()));
      } catch (error) {
        say(`Nothing was imported from ${file.name}: ${error instanceof SyntaxError ? "it is not JSON" : error.message}.`);
        return;
      }
      if (data.drill) localStorage.setItem(DRILL, JSON.stringify(data.drill));
      else localStorage.removeItem(DRILL);
      progress.save({ version: 1, pages: data.progress.pages });
      const count = Object.keys(data.progress.pages).length;
      say(`Imported the marks of ${count} page${count === 1 ? "" : "s"} from ${file.name}.`);
    }

    root.addEventListener("click", (event) => {
      const act = event.target.closest("[data-fg-action]")?.dataset.fgAction;
      if (act === "export") exportFile();
      else if (act === "import") input.click();
      else if (act === "reset") {
        confirmBox.hidden = false;
        confirmBox.querySelector("[data-fg-action=reset-no]").focus();
      } else if (act === "reset-no") {
        confirmBox.hidden = true;
        root.querySelector("[data-fg-action=reset]").focus();
        say("Nothing was cleared.");
      } else if (act === "reset-yes") {
        localStorage.removeItem(DRILL);
        progress.save({ version: 1, pages: {} });
        confirmBox.hidden = true;
        root.querySelector("[data-fg-action=reset]").focus();
        say("Your progress and the drill's schedule were cleared.");
      }
    });
    input.addEventListener("change", () => {
      if (input.files && input.files[0]) importFile(input.files[0]).finally(() => { input.value = ""; });
    });
    document.addEventListener("fg:progress", render);
    window.addEventListener("storage", render);
    render();
  }

  window.fgApps.progress = mount;
})();
