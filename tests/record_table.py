"""The ICLD record's reference table (``data/sources/reference-partnerships.md``) read
straight from its Markdown, independently of the curated CSV files: the tests' oracle.

Only the table's own cells are used — ids, sources, SDG numbers, codes, URLs — never the
build's output."""

import re
from dataclasses import dataclass
from pathlib import Path

REFERENCE = Path(__file__).parent.parent / "data" / "sources" / "reference-partnerships.md"
KEY = re.compile(r"\bS\d{3}\b")


@dataclass(frozen=True)
class Reference:
    partnerships: list[dict[str, str]]  # Table 1, without the country group rows
    rounds: list[dict[str, str]]  # Table 2
    municipalities: list[dict[str, str]]  # Table 3, 6a
    bodies: list[dict[str, str]]  # Table 3, 6b
    partners: list[dict[str, str]]  # Table 4
    intentions: list[dict[str, str]]  # section 2: not partnerships
    relations: list[dict[str, str]]  # section 3: twin towns, twin regions, a sponsor town
    register: dict[str, dict[str, str]]  # section 9, by key
    counts: dict[str, str]  # the Counts table: what → count


def _cells(line: str) -> list[str]:
    # an escaped bar (\|) is part of a cell, not a border
    parts = re.split(r"(?<!\\)\|", line.strip())[1:-1]
    return [p.strip().replace("\\|", "|") for p in parts]


def _tables(text: str) -> dict[str, list[dict[str, str]]]:
    """Each section's first table, by its heading."""
    tables: dict[str, list[dict[str, str]]] = {}
    heading = ""
    header: list[str] | None = None
    collecting = False
    for line in text.splitlines():
        if not line.startswith("|"):
            header = None  # a table ends at its first other line
            if line.startswith("#"):
                heading = line.lstrip("#").strip()
            continue
        cells = _cells(line)
        if header is None:
            header, collecting = cells, heading not in tables
            if collecting:
                tables[heading] = []
        elif collecting and not set("".join(cells)) <= set("-: "):  # not the delimiter row
            tables[heading].append(dict(zip(header, cells, strict=True)))
    return tables


def _section(tables: dict[str, list[dict[str, str]]], start: str) -> list[dict[str, str]]:
    (name,) = [h for h in tables if h.startswith(start)]
    return tables[name]


def read() -> Reference:
    tables = _tables(REFERENCE.read_text(encoding="utf-8"))
    table1 = [r for r in _section(tables, "1. Partnerships") if not r["id"].startswith("**")]
    return Reference(
        partnerships=table1,
        rounds=_section(tables, "5. Grant rounds"),
        municipalities=_section(tables, "6a."),
        bodies=_section(tables, "6b."),
        partners=_section(tables, "7. Foreign partners"),
        intentions=_section(tables, "2. Intentions"),
        relations=_section(tables, "3. Other relations"),
        register={r["key"]: r for r in _section(tables, "9. Source register")},
        counts={r["what"]: r["count"].strip("*") for r in _section(tables, "Counts")},
    )


def keys(cell: str) -> list[str]:
    """The register keys a cell cites, in order, once each."""
    return list(dict.fromkeys(KEY.findall(cell)))


def file_of(register: dict[str, dict[str, str]], key: str) -> str:
    return register[key]["file"].strip("`")


def sdgs(cell: str) -> set[int]:
    """The goal numbers a Table 1 SDG cell states ("11, 5 [S061]"; "not stated …": none)."""
    if cell.startswith("not stated"):
        return set()
    return {int(n) for n in re.findall(r"\b(\d{1,2})\b", KEY.sub("", cell))}


def partner_country(row: dict[str, str]) -> str:
    """A Table 4 row's country: the code it states, or its grade-C reading ("C: ID by the
    name") where it states none."""
    cell = row["country"]
    return cell.split()[0] if cell[:2].isupper() else cell.split("C: ")[1][:2]


def rows_of(row: dict[str, str]) -> list[str]:
    """The Table 1 ids a Table 3 or Table 4 row names."""
    return [
        r.strip()
        for r in row["rows in Table 1" if "rows in Table 1" in row else "Table 1 row(s)"].split(";")
    ]


def kommunkod(row: dict[str, str]) -> str:
    return row["SCB kommunkod (se.csv `shortcode`)"][:4]
