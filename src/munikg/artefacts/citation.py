"""``CITATION.cff`` for a data release (Citation File Format 1.2.0, type dataset)."""

import json

from munikg.namespaces import release_iri

TITLE = "munikg: a knowledge graph of Swedish municipal international cooperation"


def citation_cff(version: str, date: str) -> str:
    """The citation file; values are JSON-quoted, which is valid YAML.

    >>> print(citation_cff("0.1.0+abc", "2026-11-23").splitlines()[3])
    type: dataset
    """
    fields = {
        "cff-version": "1.2.0",
        "message": "If you use this dataset, please cite this release as below.",
        "title": TITLE,
        "type": "dataset",
        "version": version,
        "date-released": date,
        "license": "CC-BY-4.0",
        "url": release_iri(version),
    }
    lines = [
        f"{key}: {json.dumps(value, ensure_ascii=False) if key != 'type' else value}"
        for key, value in fields.items()
    ]
    lines += [
        "authors:",
        '  - name: "munikg contributors"',
        "identifiers:",
        "  - type: url",
        f"    value: {json.dumps(release_iri(version))}",
        '    description: "The release IRI"',
    ]
    return "\n".join(lines) + "\n"
