// The bar chart and the timeline of an answer, drawn as SVG from its data block.
import { svgElement, t, titled } from "./words.js";

const WIDTH = 960;
const ROW = 22;
const LABEL = 300;

// A row's name: the texts of its cells that are neither numbers nor dates.
function rowName(columns, row) {
  return columns
    .map((_, n) => row[n])
    .filter((cell) => cell && cell.n === undefined && cell.d === undefined)
    .map((cell) => cell.t)
    .join(" · ");
}

function rowLink(row) {
  return row.find((cell) => cell && cell.h)?.h;
}

function linked(parent, href) {
  return href ? svgElement("a", { href }, parent) : parent;
}

export function numberColumn(answer) {
  return answer.columns.findIndex((_, n) => {
    const cells = answer.rows.map((row) => row[n]).filter(Boolean);
    return cells.length > 0 && cells.every((cell) => cell.n !== undefined);
  });
}

export function dateColumns(answer) {
  return answer.columns
    .map((_, n) => n)
    .filter((n) => answer.rows.some((row) => row[n] && row[n].d !== undefined));
}

export function barChart(answer, into) {
  const column = numberColumn(answer);
  const rows = answer.rows.filter((row) => row[column]);
  const most = Math.max(...rows.map((row) => row[column].n), 0);
  const height = 40 + ROW * rows.length;
  const svg = svgElement("svg", {
    viewBox: `0 0 ${WIDTH} ${height}`,
    width: WIDTH,
    height,
    class: "chart bar-chart",
    role: "img",
    "aria-label": `${t("view_bar")}: ${answer.columns[column].title}`,
  });
  svgElement("text", { x: LABEL + 8, y: 16, class: "axis-title" }, svg).textContent =
    answer.columns[column].title;
  const scale = most > 0 ? (WIDTH - LABEL - 90) / most : 0;
  rows.forEach((row, n) => {
    const y = 28 + ROW * n;
    const name = rowName(answer.columns, row);
    const value = row[column].n;
    const group = linked(svg, rowLink(row));
    titled(group, `${name}: ${row[column].t}`);
    svgElement("text", { x: LABEL, y: y + 15, "text-anchor": "end", class: "label" }, group)
      .textContent = name.length > 44 ? name.slice(0, 43) + "…" : name;
    svgElement("rect", {
      x: LABEL + 8, y: y + 3, width: Math.max(1, value * scale), height: ROW - 6, class: "bar",
    }, group);
    svgElement("text", { x: LABEL + 14 + value * scale, y: y + 15, class: "value" }, group)
      .textContent = row[column].t;
  });
  into.appendChild(svg);
}

function year(date) {
  // "2024", "2024-03", "2024-03-01": a fractional year, for placing on the axis
  const [y, m = "1", d = "1"] = date.split("-");
  return Number(y) + (Number(m) - 1) / 12 + (Number(d) - 1) / 365;
}

export function timeline(answer, into) {
  const [start, end, planned] = dateColumns(answer);
  const rows = answer.rows.filter((row) => row[start]);
  const dates = rows.flatMap((row) => [start, end, planned].filter((n) => n !== undefined && row[n]).map((n) => year(row[n].d)));
  const low = Math.floor(Math.min(...dates));
  const high = Math.max(Math.ceil(Math.max(...dates)), low + 1);
  const height = 50 + ROW * rows.length;
  const svg = svgElement("svg", {
    viewBox: `0 0 ${WIDTH} ${height}`, width: WIDTH, height, class: "chart timeline",
    role: "img", "aria-label": t("view_timeline"),
  });
  const x = (value) => LABEL + 8 + ((value - low) / (high - low)) * (WIDTH - LABEL - 30);
  const step = Math.max(1, Math.ceil((high - low) / 12));
  for (let tick = low; tick <= high; tick += step) {
    svgElement("line", { x1: x(tick), x2: x(tick), y1: 20, y2: height - 4, class: "grid" }, svg);
    svgElement("text", { x: x(tick), y: 14, "text-anchor": "middle", class: "tick" }, svg)
      .textContent = String(tick);
  }
  rows.forEach((row, n) => {
    const y = 26 + ROW * n;
    const name = rowName(answer.columns, row);
    const from = year(row[start].d);
    const stated = end !== undefined && row[end] ? row[end] : null;
    const plan = planned !== undefined && row[planned] ? row[planned] : null;
    const until = stated || plan;
    const group = linked(svg, rowLink(row));
    const span = [row[start].t, until ? until.t : ""].filter(Boolean).join(" – ");
    titled(group, `${name}: ${span}`);
    svgElement("text", { x: LABEL, y: y + 15, "text-anchor": "end", class: "label" }, group)
      .textContent = name.length > 44 ? name.slice(0, 43) + "…" : name;
    // An end the sources state is solid; a planned end only, dashed; no end, a mark.
    const to = until ? Math.max(year(until.d), from) : from;
    const width = Math.max(6, x(to) - x(from) + (until && until.d.length === 4 ? x(low + 1) - x(low) : 0));
    svgElement("rect", {
      x: x(from), y: y + 4, width, height: ROW - 8,
      class: stated ? "span" : plan ? "span planned" : "span open",
    }, group);
  });
  into.appendChild(svg);
}
