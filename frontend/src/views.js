// An answer's views: the table, and where its data allows, a bar chart, a timeline and a map.
// The view shown first is the query's (its "# view:" line); the reader switches with the
// buttons, and the choice is kept in the address (#view=map) so a link shows the same.
import { barChart, dateColumns, numberColumn, timeline } from "./charts.js";
import { drawMap, mappable } from "./map.js";
import { enhanceTable } from "./tables.js";
import { t } from "./words.js";

const DRAW = {
  bar: [(answer) => numberColumn(answer) >= 0, barChart],
  timeline: [(answer) => dateColumns(answer).length > 0, timeline],
  map: [mappable, drawMap],
};

export function enhanceAnswer(container) {
  const block = container.querySelector("#answer-data");
  const table = container.querySelector("table");
  if (table) enhanceTable(table);
  if (!block) return;
  const answer = JSON.parse(block.textContent);
  const names = ["table", ...Object.keys(DRAW).filter((name) => DRAW[name][0](answer))];
  if (names.length === 1) return;
  const panes = { table: container.querySelector('.view[data-name="table"]') };
  const bar = document.createElement("p");
  bar.className = "view-switch";
  bar.setAttribute("role", "toolbar");
  bar.append(t("views") + ": ");
  const buttons = {};
  const show = async (name) => {
    if (!panes[name]) {
      panes[name] = document.createElement("div");
      panes[name].className = "view";
      panes[name].dataset.name = name;
      container.appendChild(panes[name]);
      await DRAW[name][1](answer, panes[name]);
    }
    for (const [other, pane] of Object.entries(panes)) pane.hidden = other !== name;
    for (const [other, button] of Object.entries(buttons)) {
      button.setAttribute("aria-pressed", String(other === name));
    }
    container.dataset.shown = name;
    const tools = container.querySelector(".table-tools");
    if (tools) tools.hidden = name !== "table";
  };
  for (const name of names) {
    const button = document.createElement("button");
    button.type = "button";
    button.id = `view-${name}`;
    button.textContent = t(`view_${name}`);
    button.addEventListener("click", () => {
      history.replaceState(null, "", `#view=${name}`);
      show(name);
    });
    buttons[name] = button;
    bar.append(button, " ");
  }
  container.prepend(bar);
  const asked = /^#view=(\w+)$/.exec(location.hash)?.[1];
  const first = [asked, answer.view].find((name) => names.includes(name)) ?? "table";
  show(first);
}
