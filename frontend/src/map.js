// The map view: countries of an answer's cells shaded by how many rows name them, and a line
// from Sweden to each. Outlines are Natural Earth's (world-atlas), served by this site. The
// graph holds no coordinates of places, so nothing is placed more finely than a country.
import { geoCentroid, geoNaturalEarth1, geoPath } from "d3-geo";
import countries from "i18n-iso-countries";
import { feature } from "topojson-client";
import { svgElement, t, titled } from "./words.js";

const WIDTH = 960;
const HEIGHT = 560;
const ATLAS = "/static/vendor/countries-50m.json";
let atlas = null;

async function outlines() {
  if (!atlas) {
    const response = await fetch(ATLAS);
    const topology = await response.json();
    atlas = feature(topology, topology.objects.countries).features;
  }
  return atlas;
}

// Natural Earth leaves a few places without an ISO number (Kosovo); those go by name.
const BY_NAME = { xk: "Kosovo" };

function outlineOf(features, code) {
  const numeric = countries.alpha2ToNumeric(code.toUpperCase());
  return features.find((f) => (numeric && f.id === numeric) || f.properties.name === BY_NAME[code]);
}

export function mappable(answer) {
  return answer.rows.some((row) => row.some((cell) => cell && cell.c && cell.c !== "se"));
}

export async function drawMap(answer, into) {
  const features = await outlines();
  const counted = new Map(); // country code -> {rows, names}
  for (const row of answer.rows) {
    const codes = new Set(row.filter((c) => c && c.c && c.c !== "se").map((c) => c.c));
    for (const code of codes) {
      const entry = counted.get(code) ?? { rows: 0, names: new Set() };
      entry.rows += 1;
      row.filter((c) => c && c.c === code && !c.i?.includes("/country/")).forEach((c) => entry.names.add(c.t));
      counted.set(code, entry);
    }
  }
  const sweden = outlineOf(features, "se");
  const shown = [...counted.keys()].map((code) => [code, outlineOf(features, code)]).filter(([, f]) => f);
  const projection = geoNaturalEarth1().fitExtent(
    [[20, 20], [WIDTH - 20, HEIGHT - 20]],
    { type: "FeatureCollection", features: [sweden, ...shown.map(([, f]) => f)] },
  );
  const path = geoPath(projection);
  const svg = svgElement("svg", {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`, width: WIDTH, height: HEIGHT, class: "chart map",
    role: "img", "aria-label": t("view_map"),
  });
  const most = Math.max(...[...counted.values()].map((e) => e.rows), 1);
  const shownIds = new Set(shown.map(([, f]) => f));
  for (const country of features) {
    if (shownIds.has(country) || country === sweden) continue;
    svgElement("path", { d: path(country) || "", class: "land" }, svg);
  }
  svgElement("path", { d: path(sweden), class: "land sweden" }, svg);
  const from = geoCentroid(sweden);
  for (const [code, country] of shown) {
    const entry = counted.get(code);
    const share = entry.rows / most;
    const area = svgElement("path", {
      d: path(country), class: "land partner", "fill-opacity": (0.3 + 0.7 * share).toFixed(2),
      "data-country": code,
    }, svg);
    const names = [...entry.names].slice(0, 12).join(", ");
    titled(area, `${country.properties.name}: ${t("map_rows", { n: entry.rows })}${names ? " — " + names : ""}`);
    const line = svgElement("path", {
      d: path({ type: "LineString", coordinates: [from, geoCentroid(country)] }),
      class: "route", "stroke-width": (1.5 + 5 * share).toFixed(1), fill: "none",
    }, svg);
    titled(line, `${country.properties.name}: ${t("map_rows", { n: entry.rows })}`);
  }
  // The legend: the shading of one row and of the most rows.
  const legend = svgElement("g", { class: "legend", transform: `translate(24 ${HEIGHT - 64})` }, svg);
  svgElement("rect", { x: -8, y: -18, width: 250, height: 56, class: "legend-box" }, legend);
  [[1, 0.3 + 0.7 / most], [most, 1]].forEach(([n, opacity], k) => {
    svgElement("rect", { x: 0, y: k * 20 - 10, width: 16, height: 14, class: "land partner", "fill-opacity": opacity.toFixed(2) }, legend);
    svgElement("text", { x: 24, y: k * 20 + 2 }, legend).textContent = t("map_rows", { n });
  });
  into.appendChild(svg);
  const note = document.createElement("p");
  note.className = "hint map-note";
  note.textContent = t("map_note");
  into.appendChild(note);
}
