// munikg's workbench: progressive enhancement of the server's pages (each works without it).
import { mountEditor } from "./editor.js";
import { enhanceAnswer } from "./views.js";

function start() {
  const textarea = document.querySelector("textarea#query");
  if (textarea) mountEditor(textarea);
  const example = document.getElementById("example");
  if (example) {
    document.getElementById("load-example")?.setAttribute("hidden", "");
    example.addEventListener("change", () => example.form.submit());
  }
  for (const answer of document.querySelectorAll(".answer")) enhanceAnswer(answer);
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
