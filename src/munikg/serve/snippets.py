"""The current query as code to paste: Python with SPARQLWrapper and with ``munikg.api``,
curl, and R (base R only), each against this site's endpoint and runnable as shown.

>>> code = snippets('SELECT ?s WHERE { ?s ?p "a\\\\"b" }', "http://127.0.0.1:8000/sparql")
>>> compile(code["python"], "<python>", "exec") and compile(code["munikg"], "<api>", "exec") and 1
1
>>> "--data-urlencode" in code["curl"]
True
"""

import shlex

SNIPPET_NAMES = {
    "python": "Python (SPARQLWrapper)",
    "munikg": "Python (munikg.api)",
    "curl": "curl",
    "r": "R",
}


def _python_string(text: str) -> str:
    """``text`` as a Python literal: triple-quoted where that reads the same, else repr."""
    if '"""' not in text and "\\" not in text and not text.endswith('"'):
        return '"""' + text + '"""'
    return repr(text)


def _r_string(text: str) -> str:
    """``text`` as an R string literal (R's escapes are C's)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def snippets(query: str, endpoint: str) -> dict[str, str]:
    text = query.strip("\n")
    literal = _python_string("\n" + text + "\n")
    return {
        "python": (
            "from SPARQLWrapper import JSON, SPARQLWrapper\n\n"
            f'sparql = SPARQLWrapper("{endpoint}")\n'
            f"sparql.setQuery({literal})\n"
            "sparql.setReturnFormat(JSON)\n"
            'for row in sparql.queryAndConvert()["results"]["bindings"]:\n'
            '    print({name: cell["value"] for name, cell in row.items()})\n'
        ),
        "munikg": (
            "from munikg.api import open_endpoint\n\n"
            f'kg = open_endpoint("{endpoint}")\n'
            f"print(kg.sparql({literal}).values())\n"
        ),
        "curl": (
            f"curl -H 'Accept: text/csv' {shlex.quote(endpoint)} \\\n"
            f"  --data-urlencode query={shlex.quote(text)}\n"
        ),
        "r": (
            f"query <- {_r_string(text)}\n"
            f'url <- paste0("{endpoint}?query=", URLencode(query, reserved = TRUE))\n'
            'answer <- read.csv(url(url, headers = c(Accept = "text/csv")))\n'
            "print(answer)\n"
        ),
    }
