// The SPARQL editor: CodeMirror 6 with SPARQL highlighting, bracket matching, completion of
// the release's prefixes, classes and properties (/editor/vocabulary.json) and of entities by
// name (/search.json), prefixes declared as they are used, Ctrl-Enter to run, and a history
// of the queries run, kept in this browser only.
import {
  autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap,
} from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import {
  StreamLanguage, bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting,
} from "@codemirror/language";
import { sparql } from "@codemirror/legacy-modes/mode/sparql";
import { highlightSelectionMatches, searchKeymap } from "@codemirror/search";
import { EditorState } from "@codemirror/state";
import {
  EditorView, drawSelection, highlightActiveLine, keymap, lineNumbers,
} from "@codemirror/view";
import { folded, t } from "./words.js";

const HISTORY = "munikg.history";
const KEPT = 30;

function declared(text, prefix) {
  return new RegExp(`^\\s*PREFIX\\s+${prefix}:`, "im").test(text);
}

// Where a PREFIX line goes: after the comment header and the declarations already there.
function prefixPosition(doc) {
  let position = 0;
  for (let n = 1; n <= doc.lines; n += 1) {
    const line = doc.line(n);
    if (/^\s*(#.*)?$/.test(line.text) || /^\s*PREFIX\s/i.test(line.text)) {
      if (/^\s*PREFIX\s/i.test(line.text)) position = line.to + 1;
      continue;
    }
    return Math.min(position || line.from, doc.length);
  }
  return position;
}

function prefixChange(state, prefix, vocabulary) {
  const namespace = vocabulary.prefixes[prefix];
  if (!namespace || declared(state.doc.toString(), prefix)) return [];
  return [{ from: prefixPosition(state.doc), insert: `PREFIX ${prefix}: <${namespace}>\n` }];
}

function insertion(text, prefix, vocabulary) {
  return (view, _completion, from, to) => {
    const changes = [{ from, to, insert: text }];
    if (prefix) changes.push(...prefixChange(view.state, prefix, vocabulary));
    view.dispatch(view.state.update({ changes, userEvent: "input.complete" }));
  };
}

function labelOf(term) {
  const lang = document.documentElement.lang;
  return term.label[lang] || term.label.en || "";
}

function termOption(term, vocabulary) {
  const [prefix] = term.curie.split(":");
  return {
    label: term.curie,
    detail: `${t(term.kind)}${labelOf(term) ? " · " + labelOf(term) : ""}`,
    type: term.kind === "class" ? "class" : "property",
    apply: insertion(term.curie, prefix, vocabulary),
  };
}

// An entity as the query should name it: prefix:local where a prefix fits, else <IRI>.
function entityText(iri, vocabulary) {
  let best = null;
  for (const [prefix, namespace] of Object.entries(vocabulary.prefixes)) {
    const local = iri.slice(namespace.length);
    if (iri.startsWith(namespace) && /^[\w-]+$/.test(local) && (!best || namespace.length > best[1].length)) {
      best = [prefix, namespace, local];
    }
  }
  return best ? [`${best[0]}:${best[2]}`, best[0]] : [`<${iri}>`, null];
}

async function entities(text, vocabulary) {
  const response = await fetch(`/search.json?limit=12&q=${encodeURIComponent(text)}`, {
    headers: { Accept: "application/json" },
  });
  if (!response.ok) return [];
  const { hits } = await response.json();
  return hits.map((hit, n) => {
    const [written, prefix] = entityText(hit.iri, vocabulary);
    return {
      label: hit.label,
      detail: `${t("entity")}${hit.types.length ? " · " + hit.types.join(", ") : ""} · ${written}`,
      type: "variable",
      boost: -n,
      apply: insertion(written, prefix, vocabulary),
    };
  });
}

function completions(vocabulary) {
  return async (context) => {
    const named = context.matchBefore(/[A-Za-z][\w-]*:[\w-]*$/);
    if (named) {
      const [prefix, local] = named.text.split(":");
      const options = vocabulary.terms
        .filter((term) => term.curie.startsWith(prefix + ":"))
        .filter((term) => folded(term.curie.split(":")[1]).startsWith(folded(local)) || folded(labelOf(term)).includes(folded(local)))
        .map((term) => termOption(term, vocabulary));
      return { from: named.from, options, filter: false };
    }
    const word = context.matchBefore(/[\p{L}\p{N}][\p{L}\p{N}_-]*$/u);
    if (!word && !context.explicit) return null;
    const from = word ? word.from : context.pos;
    const before = context.state.sliceDoc(Math.max(0, from - 1), from);
    if (before === "?" || before === "$" || before === "<" || before === '"') return null;
    const text = word ? word.text : "";
    if (text.length < 2 && !context.explicit) return null;
    const wanted = folded(text);
    const prefixes = Object.entries(vocabulary.prefixes)
      .filter(([prefix]) => prefix.startsWith(wanted))
      .map(([prefix, namespace]) => ({
        label: `${prefix}:`, detail: `${t("prefix")} · ${namespace}`, type: "namespace",
        apply: insertion(`${prefix}:`, prefix, vocabulary),
      }));
    const terms = wanted.length < 2 ? [] : vocabulary.terms
      .filter((term) => folded(term.curie.split(":")[1]).startsWith(wanted) || folded(labelOf(term)).startsWith(wanted))
      .slice(0, 30)
      .map((term) => termOption(term, vocabulary));
    const found = wanted.length < 2 ? [] : await entities(text, vocabulary);
    return { from, options: [...prefixes, ...terms, ...found], filter: false };
  };
}

// A prefix typed by hand ("mk:") is declared at once, as a completion would have done.
function declareTyped(vocabulary) {
  return EditorView.updateListener.of((update) => {
    if (!update.docChanged || !update.transactions.some((tr) => tr.isUserEvent("input.type"))) return;
    const head = update.state.selection.main.head;
    const before = update.state.sliceDoc(Math.max(0, head - 40), head);
    const typed = /(?:^|[\s(){}.;,/^|])([A-Za-z][\w-]*):$/.exec(before);
    if (!typed) return;
    const changes = prefixChange(update.state, typed[1], vocabulary);
    if (changes.length) update.view.dispatch({ changes });
  });
}

function remember(query) {
  const kept = JSON.parse(localStorage.getItem(HISTORY) || "[]").filter((e) => e.query !== query);
  kept.unshift({ query, at: new Date().toISOString() });
  localStorage.setItem(HISTORY, JSON.stringify(kept.slice(0, KEPT)));
}

function showHistory(view) {
  const box = document.getElementById("history");
  const list = document.getElementById("history-list");
  if (!box || !list) return;
  box.hidden = false;
  const kept = JSON.parse(localStorage.getItem(HISTORY) || "[]");
  list.replaceChildren();
  if (!kept.length) list.append(Object.assign(document.createElement("li"), { textContent: t("nothing_yet") }));
  for (const entry of kept) {
    const item = document.createElement("li");
    const button = Object.assign(document.createElement("button"), { type: "button", textContent: t("load") });
    button.addEventListener("click", () => {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: entry.query } });
      view.focus();
    });
    const code = Object.assign(document.createElement("code"), { textContent: entry.query.replace(/\s+/g, " ").slice(0, 160) });
    const when = Object.assign(document.createElement("span"), { className: "hint", textContent: ` ${entry.at.slice(0, 16).replace("T", " ")} ` });
    item.append(button, when, code);
    list.append(item);
  }
}

export async function mountEditor(textarea) {
  const form = textarea.form;
  const response = await fetch("/editor/vocabulary.json");
  const vocabulary = response.ok ? await response.json() : { prefixes: {}, terms: [] };
  const run = () => {
    form.requestSubmit();
    return true;
  };
  const view = new EditorView({
    parent: textarea.parentElement,
    state: EditorState.create({
      doc: textarea.value,
      extensions: [
        lineNumbers(), history(), drawSelection(), indentOnInput(), bracketMatching(),
        closeBrackets(), highlightActiveLine(), highlightSelectionMatches(),
        StreamLanguage.define(sparql), syntaxHighlighting(defaultHighlightStyle),
        autocompletion({ override: [completions(vocabulary)], activateOnTyping: true }),
        declareTyped(vocabulary),
        keymap.of([
          { key: "Mod-Enter", run },
          ...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...historyKeymap,
          ...completionKeymap, indentWithTab,
        ]),
        EditorView.lineWrapping,
        // The page's Content-Security-Policy admits the editor's style sheets by this nonce.
        EditorView.cspNonce.of(document.querySelector('meta[name="csp-nonce"]')?.content ?? ""),
      ],
    }),
  });
  textarea.hidden = true;
  form.addEventListener("submit", () => {
    textarea.value = view.state.doc.toString();
    remember(textarea.value);
  });
  showHistory(view);
  window.munikgEditor = view; // for the browser tests and the console
  return view;
}
