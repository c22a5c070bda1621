"""The DCAT-AP catalogue of a release (``catalog.rdf``, ``catalog.ttl``), for open-data
portals to harvest: the Swedish portal dataportal.se (profile DCAT-AP-SE) reads RDF/XML with
absolute IRIs and no blank nodes for catalogue, dataset, distributions, publisher or contact.

The dataset keeps one IRI and ``dcterms:identifier`` across releases; each release is a new
version of it. Distributions are the release's dumps, with media type, EU file type, byte
size, SHA-256 and download URL under the release's base URL.
"""

import re
from dataclasses import asdict, dataclass
from pathlib import Path

import pyoxigraph as ox

from munikg.artefacts.checksums import sha256
from munikg.artefacts.export import FORMATS
from munikg.errors import MunikgError
from munikg.identifiers import luhn_ok
from munikg.namespaces import ID, LICENCE, PREFIXES, RDF
from munikg.store import select

DCAT = PREFIXES["dcat"]
DCT = PREFIXES["dcterms"]
FOAF = PREFIXES["foaf"]
VCARD = PREFIXES["vcard"]
SPDX = PREFIXES["spdx"]
XSD = PREFIXES["xsd"]
EU = "http://publications.europa.eu/resource/authority/"
DATASET = ID + "dataset/munikg"
DEFAULT_PUBLISHER = "The munikg project"
CONTACT = ID + "contact/munikg"
FILE_TYPES = {
    "trig": "RDF_TRIG",
    "nq": "RDF_N_QUADS",
    "ttl": "RDF_TURTLE",
    "nt": "RDF_N_TRIPLES",
    "rdf": "RDF_XML",
    "jsonld": "JSON_LD",
}
IANA = "http://www.iana.org/assignments/media-types/"
DCATAP = "http://data.europa.eu/r5r/"
ATTRIBUTION = "http://purl.org/adms/licencetype/Attribution"
CATALOG_SV = "Öppna länkade data om svenska kommuners och regioners internationella samarbete."
CATALOG_EN = (
    "Open linked data on the international cooperation of Swedish municipalities and regions."
)
DATASET_SV = (
    "Kunskapsgraf över svenska kommuners och regioners internationella samarbete: "
    "partnerskap, projekt, finansiering, samarbetsområden och globala mål, med källa och "
    "citat för varje uppgift."
)
DATASET_EN = (
    "A knowledge graph of Swedish municipal and regional international cooperation: "
    "partnerships, projects, funding, cooperation areas and global goals, each fact with its "
    "source and quote."
)
SKOS = PREFIXES["skos"]
THEMES = {"GOVE": "Government and public sector", "INTR": "International issues"}
COUNTRIES = ("SWE", "UKR", "ZAF")
LANGUAGES = ("SWE", "ENG", "UKR")
DATES = "SELECT DISTINCT (STR(?d) AS ?date) WHERE { ?s <http://schema.org/%s> ?d }"


def _date(text: str) -> ox.Literal:
    """A date at the precision stated: YYYY, YYYY-MM or YYYY-MM-DD."""
    kind = {4: "gYear", 7: "gYearMonth"}.get(len(text), "date")
    return ox.Literal(text, datatype=ox.NamedNode(XSD + kind))


def _dates(store: ox.Store, predicate: str) -> list[str]:
    return [row["date"].value for row in select(store, DATES % predicate)]


ADMS_PUBLISHER_TYPE = "http://purl.org/adms/publishertype/"
# The ADMS publisher type vocabulary DCAT-AP recommends for dct:type, with its labels.
PUBLISHER_TYPES = {
    "Academia-ScientificOrganisation": "Academia/Scientific organisation",
    "Company": "Company",
    "IndustryConsortium": "Industry consortium",
    "InternationalOrganisation": "International organisation",
    "LocalAuthority": "Local Authority",
    "NationalAuthority": "National authority",
    "NonGovernmentalOrganisation": "Non-Governmental Organisation",
    "NonProfitOrganisation": "Non-Profit Organisation",
    "PrivateIndividual(s)": "Private Individual(s)",
    "RegionalAuthority": "Regional authority",
    "StandardisationBody": "Standardisation body",
    "SupraNationalAuthority": "Supra-national authority",
}
_EMAIL = re.compile(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+")


@dataclass(frozen=True)
class Publisher:
    """Who publishes the release, as the catalogue names them: given by the publisher at build
    time (``--publisher``, ``--publisher-orgnr``, ``--contact-email``), never invented."""

    name: str = DEFAULT_PUBLISHER
    orgnr: str | None = None
    email: str | None = None
    kind: str | None = None  # an ADMS publisher type, e.g. LocalAuthority

    def __post_init__(self) -> None:
        if self.orgnr is not None and not luhn_ok(self.orgnr):
            raise MunikgError(
                f"--publisher-orgnr {self.orgnr!r}: NNNNNN-NNNN with a valid check digit"
            )
        if self.email is not None and not _EMAIL.fullmatch(self.email):
            raise MunikgError(f"--contact-email {self.email!r}: an e-mail address")
        if self.kind is not None and self.kind not in PUBLISHER_TYPES:
            raise MunikgError(
                f"--publisher-type {self.kind!r}: one of {', '.join(PUBLISHER_TYPES)}"
            )

    def as_options(self) -> dict[str, str | None]:
        return asdict(self)


def publisher_iri(orgnr: str | None) -> str:
    """dataportal.se's IRI for a publisher with a Swedish organisation number, else munikg's.

    >>> publisher_iri("222000-0315")
    'http://dataportal.se/organisation/SE2220000315'
    >>> publisher_iri(None)
    'https://w3id.org/munikg/id/organisation/munikg'
    """
    if orgnr is None:
        return ID + "organisation/munikg"
    return "http://dataportal.se/organisation/SE" + orgnr.replace("-", "")


def catalog_description(
    store: ox.Store,
    release: Path,
    version: str,
    date: str,
    base_url: str,
    publisher: Publisher | None = None,
) -> list[ox.Quad]:
    """The catalogue's triples; ``release`` is the directory holding the dumps."""
    publisher = publisher or Publisher()
    publisher_node = publisher_iri(publisher.orgnr)
    base = base_url.rstrip("/") + "/"
    catalog = base + "catalog"
    service = base + "sparql"
    out: list[ox.Quad] = []

    def add(s: str, p: str, o: ox.NamedNode | ox.Literal) -> None:
        out.append(ox.Quad(ox.NamedNode(s), ox.NamedNode(p), o))

    def iri(value: str) -> ox.NamedNode:
        return ox.NamedNode(value)

    def text(value: str, lang: str) -> ox.Literal:
        return ox.Literal(value, language=lang)

    issued = ox.Literal(date, datatype=ox.NamedNode(XSD + "date"))

    add(catalog, RDF + "type", iri(DCAT + "Catalog"))
    add(catalog, DCT + "title", text("munikg – katalog", "sv"))
    add(catalog, DCT + "title", text("munikg catalogue", "en"))
    add(catalog, DCT + "description", text(CATALOG_SV, "sv"))
    add(catalog, DCT + "description", text(CATALOG_EN, "en"))
    add(catalog, DCT + "publisher", iri(publisher_node))
    add(catalog, DCT + "license", iri(LICENCE))
    add(catalog, DCT + "language", iri(EU + "language/SWE"))
    add(catalog, DCT + "language", iri(EU + "language/ENG"))
    for country in COUNTRIES:
        add(catalog, DCT + "spatial", iri(EU + "country/" + country))
    add(catalog, DCT + "issued", issued)
    add(catalog, DCT + "modified", issued)
    add(catalog, FOAF + "homepage", iri(base))
    add(catalog, DCAT + "themeTaxonomy", iri(EU + "data-theme"))
    add(catalog, DCAT + "dataset", iri(DATASET))
    add(catalog, DCAT + "service", iri(service))

    add(publisher_node, RDF + "type", iri(FOAF + "Organization"))
    add(publisher_node, RDF + "type", iri(FOAF + "Agent"))
    add(publisher_node, FOAF + "name", ox.Literal(publisher.name))
    if publisher.orgnr is not None:
        add(publisher_node, DCT + "identifier", ox.Literal(publisher.orgnr))
    if publisher.kind is not None:
        kind = ADMS_PUBLISHER_TYPE + publisher.kind
        add(publisher_node, DCT + "type", iri(kind))
        add(kind, RDF + "type", iri(SKOS + "Concept"))
        add(kind, SKOS + "prefLabel", text(PUBLISHER_TYPES[publisher.kind], "en"))
    add(CONTACT, RDF + "type", iri(VCARD + "Organization"))
    add(CONTACT, VCARD + "fn", ox.Literal("munikg"))
    add(CONTACT, VCARD + "hasURL", iri(base))
    if publisher.email is not None:  # DCAT-AP-SE requires one; only the publisher knows it
        add(CONTACT, VCARD + "hasEmail", iri("mailto:" + publisher.email))

    add(DATASET, RDF + "type", iri(DCAT + "Dataset"))
    add(DATASET, DCT + "identifier", ox.Literal("munikg"))
    add(DATASET, DCT + "title", text("munikg: svenska kommuners internationella samarbete", "sv"))
    add(DATASET, DCT + "title", text("munikg: Swedish municipal international cooperation", "en"))
    add(DATASET, DCT + "description", text(DATASET_SV, "sv"))
    add(DATASET, DCT + "description", text(DATASET_EN, "en"))
    add(DATASET, DCT + "publisher", iri(publisher_node))
    add(DATASET, DCAT + "contactPoint", iri(CONTACT))
    add(DATASET, DCT + "license", iri(LICENCE))
    add(DATASET, DCT + "accessRights", iri(EU + "access-right/PUBLIC"))
    add(DATASET, DCAT + "version", ox.Literal(version))
    add(DATASET, DCT + "issued", issued)
    add(DATASET, DCT + "modified", issued)
    add(DATASET, FOAF + "page", iri(base))
    for theme in THEMES:
        add(DATASET, DCAT + "theme", iri(EU + "data-theme/" + theme))
    for country in COUNTRIES:
        add(DATASET, DCT + "spatial", iri(EU + "country/" + country))
    for language in LANGUAGES:
        add(DATASET, DCT + "language", iri(EU + "language/" + language))
    for keyword, lang in (
        ("kommuner", "sv"),
        ("internationellt samarbete", "sv"),
        ("municipalities", "en"),
        ("international cooperation", "en"),
    ):
        add(DATASET, DCAT + "keyword", text(keyword, lang))
    starts = _dates(store, "startDate")
    ends = _dates(store, "endDate")
    if starts and ends:  # compared as text: YYYY, YYYY-MM, YYYY-MM-DD sort in time order
        period = DATASET + "#period"
        add(DATASET, DCT + "temporal", iri(period))
        add(period, RDF + "type", iri(DCT + "PeriodOfTime"))
        add(period, DCAT + "startDate", _date(min(starts)))
        add(period, DCAT + "endDate", _date(max(ends)))

    for name, fmt in FORMATS.items():
        distribution = f"{DATASET}/distribution/{name}"
        checksum = distribution + "#sha256"
        path = release / fmt.file
        url = iri(base + "download/" + fmt.file)
        add(DATASET, DCAT + "distribution", iri(distribution))
        add(distribution, RDF + "type", iri(DCAT + "Distribution"))
        add(distribution, DCT + "title", text(f"munikg som {fmt.file}", "sv"))
        add(distribution, DCT + "title", text(f"munikg as {fmt.file}", "en"))
        add(
            distribution,
            DCT + "description",
            text(f"Hela releasen {version} som {fmt.file}.", "sv"),
        )
        add(
            distribution,
            DCT + "description",
            text(f"The whole release {version} as {fmt.file}.", "en"),
        )
        add(distribution, DCATAP + "availability", iri(EU + "planned-availability/STABLE"))
        add(distribution, DCAT + "accessURL", url)
        add(distribution, DCAT + "downloadURL", url)
        add(
            distribution,
            DCAT + "mediaType",
            iri(IANA + fmt.media_type),
        )
        add(distribution, DCT + "format", iri(EU + "file-type/" + FILE_TYPES[name]))
        add(distribution, DCT + "license", iri(LICENCE))
        add(
            distribution,
            DCAT + "byteSize",
            ox.Literal(str(path.stat().st_size), datatype=ox.NamedNode(XSD + "nonNegativeInteger")),
        )
        add(distribution, SPDX + "checksum", iri(checksum))
        add(checksum, RDF + "type", iri(SPDX + "Checksum"))
        add(checksum, SPDX + "algorithm", iri(SPDX + "checksumAlgorithm_sha256"))
        add(
            checksum,
            SPDX + "checksumValue",
            ox.Literal(sha256(path), datatype=ox.NamedNode(XSD + "hexBinary")),
        )

    add(service, RDF + "type", iri(DCAT + "DataService"))
    add(service, DCT + "title", text("munikg SPARQL-ändpunkt", "sv"))
    add(service, DCT + "title", text("munikg SPARQL endpoint", "en"))
    add(service, DCAT + "endpointURL", iri(service))
    add(service, DCAT + "endpointDescription", iri(service))  # Service Description on GET
    add(service, DCT + "publisher", iri(publisher_node))
    add(service, DCAT + "contactPoint", iri(CONTACT))
    for theme in THEMES:
        add(service, DCAT + "theme", iri(EU + "data-theme/" + theme))
    add(service, DCAT + "keyword", ox.Literal("SPARQL"))
    add(service, DCAT + "servesDataset", iri(DATASET))
    add(service, DCT + "conformsTo", iri("https://www.w3.org/TR/sparql11-protocol/"))
    add(service, DCT + "license", iri(LICENCE))
    add(service, DCT + "accessRights", iri(EU + "access-right/PUBLIC"))

    # DCAT-AP's range shapes expect the referenced resources typed; the EU vocabularies would
    # say so, and harvesters read the catalogue alone, so it says so itself.
    add(CONTACT, RDF + "type", iri(VCARD + "Kind"))
    add(LICENCE, RDF + "type", iri(DCT + "LicenseDocument"))
    add(LICENCE, DCT + "type", iri(ATTRIBUTION))
    for concept, label in (
        (ATTRIBUTION, "Attribution"),
        (EU + "planned-availability/STABLE", "stable"),
    ):
        add(concept, RDF + "type", iri(SKOS + "Concept"))
        add(concept, SKOS + "prefLabel", text(label, "en"))
    add(EU + "access-right/PUBLIC", RDF + "type", iri(DCT + "RightsStatement"))
    add("https://www.w3.org/TR/sparql11-protocol/", RDF + "type", iri(DCT + "Standard"))
    add(base, RDF + "type", iri(FOAF + "Document"))
    add(EU + "data-theme", RDF + "type", iri(SKOS + "ConceptScheme"))
    add(EU + "data-theme", DCT + "title", text("Data theme", "en"))
    for theme, label in THEMES.items():
        add(EU + "data-theme/" + theme, RDF + "type", iri(SKOS + "Concept"))
        add(EU + "data-theme/" + theme, SKOS + "prefLabel", text(label, "en"))
        add(EU + "data-theme/" + theme, SKOS + "inScheme", iri(EU + "data-theme"))
    for country in COUNTRIES:
        add(EU + "country/" + country, RDF + "type", iri(DCT + "Location"))
    for language in LANGUAGES:
        add(EU + "language/" + language, RDF + "type", iri(DCT + "LinguisticSystem"))
    for name, fmt in FORMATS.items():
        add(EU + "file-type/" + FILE_TYPES[name], RDF + "type", iri(DCT + "MediaTypeOrExtent"))
        add(IANA + fmt.media_type, RDF + "type", iri(DCT + "MediaType"))
    return out
