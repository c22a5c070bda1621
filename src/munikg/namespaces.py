"""IRIs of munikg's own namespaces and the prefixes its files and dumps use (design §4).

>>> graph_iri("icld-partnerships")
'https://w3id.org/munikg/graph/icld-partnerships'
>>> release_iri("0.1.0")
'https://w3id.org/munikg/release/0.1.0'
"""

BASE = "https://w3id.org/munikg/"
ONTOLOGY = BASE + "ontology"
MK = ONTOLOGY + "#"
SHAPES = BASE + "shapes#"
ID = BASE + "id/"
GRAPH = BASE + "graph/"
RELEASE = BASE + "release/"

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SH = "http://www.w3.org/ns/shacl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
VOID = "http://rdfs.org/ns/void#"
WD = "http://www.wikidata.org/entity/"
# What names a thing, the earlier winning over the later in one language (pages, search).
LABEL_PROPERTIES = (SKOS + "prefLabel", RDFS + "label", "http://schema.org/name", DCT + "title")
# CC BY 4.0 as dataportal.se's harvesting rules spell it; one IRI in catalogue, VoID, ontology.
LICENCE = "http://creativecommons.org/licenses/by/4.0/"

# Used to write dumps and to find a triple's line in a source file. Order is irrelevant.
PREFIXES: dict[str, str] = {
    "amount": ID + "amount/",
    "area": ID + "concept/area/",
    "conf": ID + "concept/confidence/",
    "country": ID + "country/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcterms": DCT,
    "ev": ID + "evidence/",
    "figure": ID + "figure/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "funding": ID + "funding/",
    "membership": ID + "membership/",
    "mk": MK,
    "mksh": SHAPES,
    "municipality": ID + "municipality/",
    "network": ID + "network/",
    "org": "http://www.w3.org/ns/org#",
    "organisation": ID + "organisation/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "partnership": ID + "partnership/",
    "person": ID + "person/",
    "place": ID + "place/",
    "programme": ID + "programme/",
    "project": ID + "project/",
    "prov": PROV,
    "qual": ID + "concept/qualifier/",
    "rdf": RDF,
    "rdfs": RDFS,
    "role": ID + "concept/role/",
    "schema": "http://schema.org/",
    "sdgo": "http://metadata.un.org/sdg/ontology#",
    "sh": SH,
    "skos": SKOS,
    "spdx": "http://spdx.org/rdf/terms#",
    "src": ID + "source/",
    "theme": ID + "concept/theme/",
    "vann": "http://purl.org/vocab/vann/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "void": VOID,
    "wd": WD,
    "xsd": XSD,
}


def graph_iri(name: str) -> str:
    """The named graph of an input file, by the file's stem."""
    return GRAPH + name


def release_iri(version: str) -> str:
    """The IRI of a release."""
    return RELEASE + version
