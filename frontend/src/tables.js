// An answer's table, sortable by any column and filtered as one types (in the browser: the
// whole answer is on the page, at most the endpoint's row limit).
import { folded, t } from "./words.js";

function compare(a, b, numeric) {
  return numeric ? Number(a) - Number(b) : a.localeCompare(b);
}

export function enhanceTable(table) {
  const body = table.tBodies[0];
  if (!body) return;
  const rows = Array.from(body.rows);
  const total = rows.length;
  const tools = document.createElement("p");
  tools.className = "table-tools";
  const label = document.createElement("label");
  label.textContent = t("filter") + " ";
  const input = document.createElement("input");
  input.type = "search";
  input.className = "table-filter";
  label.appendChild(input);
  const count = document.createElement("span");
  count.className = "shown hint";
  tools.append(label, " ", count);
  table.closest(".view, .scroll")?.before(tools);
  const texts = rows.map((row) => folded(row.textContent));
  const showCount = (n) => {
    count.textContent = t("shown", { n, m: total });
  };
  showCount(total);
  input.addEventListener("input", () => {
    const wanted = folded(input.value.trim());
    let shown = 0;
    rows.forEach((row, n) => {
      row.hidden = wanted !== "" && !texts[n].includes(wanted);
      if (!row.hidden) shown += 1;
    });
    showCount(shown);
  });
  Array.from(table.tHead.rows[0].cells).forEach((th, column) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    button.title = t("sort");
    button.textContent = th.textContent;
    th.textContent = "";
    th.appendChild(button);
    button.addEventListener("click", () => {
      const ascending = th.getAttribute("aria-sort") !== "ascending";
      for (const other of table.tHead.rows[0].cells) other.removeAttribute("aria-sort");
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      const key = (row) => row.cells[column]?.dataset.sort ?? "";
      const numeric = rows.every((row) => key(row) === "" || !Number.isNaN(Number(key(row))));
      const sorted = rows
        .map((row, n) => [row, n])
        .sort(([a, i], [b, j]) => {
          const [ka, kb] = [key(a), key(b)];
          if ((ka === "") !== (kb === "")) return ka === "" ? 1 : -1; // empty cells last
          const order = compare(ka, kb, numeric);
          return (ascending ? order : -order) || i - j;
        });
      for (const [row] of sorted) body.appendChild(row);
    });
  });
}
