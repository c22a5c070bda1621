// The site's words for its scripts, sent by the server with every page (serve/i18n.py).
const block = document.getElementById("words");
const words = block ? JSON.parse(block.textContent) : {};

export function t(key, values = {}) {
  const text = words[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
}

// Text without case or diacritics, as the server's search folds it.
export function folded(text) {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLocaleLowerCase();
}

export const SVG = "http://www.w3.org/2000/svg";

export function svgElement(name, attributes = {}, parent = null) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
  if (parent) parent.appendChild(element);
  return element;
}

export function titled(element, text) {
  svgElement("title", {}, element).textContent = text;
  return element;
}
