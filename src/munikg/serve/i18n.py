"""The site's own words in English and Swedish; the data carries its own labels.

>>> t = translator("sv")
>>> t("queries"), translator("en")("queries")
('Färdiga frågor', 'Canned queries')
>>> t("rows", n=3)
'3 rader'
"""

from collections.abc import Callable
from urllib.parse import urlencode

from starlette.requests import Request

LANGUAGES = ("en", "sv")

TEXT: dict[str, tuple[str, str]] = {  # key: (English, Swedish)
    "site_title": (
        "Swedish municipal international cooperation",
        "Svenska kommuners internationella samarbete",
    ),
    "tagline": (
        "A knowledge graph of who cooperates with whom, on what, funded by whom — every fact "
        "with its source and the sentence it was read from.",
        "En kunskapsgraf över vem som samarbetar med vem, om vad och med vems pengar — varje "
        "uppgift med sin källa och meningen den lästes ur.",
    ),
    "home": ("Home", "Start"),
    "queries": ("Canned queries", "Färdiga frågor"),
    "editor": ("SPARQL editor", "SPARQL-redigerare"),
    "partnerships": ("Partnerships", "Partnerskap"),
    "ontology": ("Ontology", "Ontologi"),
    "downloads": ("Downloads", "Nedladdningar"),
    "switch_language": ("På svenska", "In English"),
    "release": ("Release", "Version"),
    "released": ("released", "publicerad"),
    "licence": ("Licence", "Licens"),
    "licence_text": (
        "The data is published under Creative Commons Attribution 4.0 (CC BY 4.0).",
        "Uppgifterna publiceras under Creative Commons Erkännande 4.0 (CC BY 4.0).",
    ),
    "holds": ("What the graph holds", "Vad grafen innehåller"),
    "class": ("Class", "Klass"),
    "count": ("Count", "Antal"),
    "triples": ("triples", "tripplar"),
    "sources": ("Sources", "Källor"),
    "cite": ("How to cite", "Så citerar du"),
    "cite_text": (
        "Cite the release you used, by its version and IRI:",
        "Citera versionen du använde, med dess versionsnummer och IRI:",
    ),
    "machines": ("For programs", "För program"),
    "search": ("Search by name", "Sök på namn"),
    "search_button": ("Search", "Sök"),
    "type": ("Type", "Typ"),
    "iri": ("IRI", "IRI"),
    "properties": ("Properties", "Egenskaper"),
    "property": ("Property", "Egenskap"),
    "value": ("Value", "Värde"),
    "incoming": ("Referred to by", "Refereras av"),
    "identifiers": ("External identifiers", "Externa identifierare"),
    "evidence": ("Sources and quotations", "Källor och citat"),
    "statement": ("Statement", "Påstående"),
    "quote": ("Quotation", "Citat"),
    "quoted_from": ("Quoted from", "Citerat ur"),
    "stated_in": ("Stated in", "Anges i"),
    "inferred": (
        "Editor's inference, not stated by a source",
        "Redaktörens slutsats, inte angiven av en källa",
    ),
    "confidence": ("Confidence", "Tillförlitlighet"),
    "cited_sources": ("Cited sources", "Anförda källor"),
    "about_entity": ("about this entity", "om denna entitet"),
    "download_as": ("This description as", "Denna beskrivning som"),
    "no_evidence": (
        "No quotation is recorded for this entity.",
        "Inget citat finns registrerat för denna entitet.",
    ),
    "parameters": ("Parameters", "Parametrar"),
    "run": ("Run", "Kör"),
    "results": ("Results", "Svar"),
    "rows": ("{n} rows", "{n} rader"),
    "no_rows": ("No answers.", "Inga svar."),
    "download": ("Download", "Ladda ned"),
    "share": ("Link to this answer", "Länk till detta svar"),
    "pinned": (
        "The link names release {version}; opened against another release it says so.",
        "Länken anger version {version}; öppnas den mot en annan version sägs det.",
    ),
    "other_release": (
        "This link was made for release {pinned}; this server holds release {version}. The "
        "answer below is from {version}.",
        "Länken gjordes för version {pinned}; denna server har version {version}. Svaret nedan "
        "kommer från {version}.",
    ),
    "query_text": ("The query", "Frågan"),
    "default": ("default", "standard"),
    "required": ("required", "krävs"),
    "any": ("(any)", "(alla)"),
    "examples": ("Examples", "Exempel"),
    "load_example": ("Load", "Hämta"),
    "run_query": ("Run query", "Kör frågan"),
    "limits": ("Limits", "Gränser"),
    "limits_text": (
        "This endpoint is read-only. A query may run {seconds} s and return {rows} rows (or "
        "triples); a longer answer is cut and marked as truncated. SERVICE, LOAD and updates "
        "are refused. For more, download the release and query it locally.",
        "Denna slutpunkt kan bara läsas. En fråga får köra i {seconds} s och ge {rows} rader "
        "(eller tripplar); ett längre svar kapas och märks som avkortat. SERVICE, LOAD och "
        "uppdateringar avvisas. Behöver du mer, ladda ned versionen och fråga lokalt.",
    ),
    "truncated": (
        "Only the first {rows} rows are shown: the answer was longer than this endpoint's limit.",
        "Endast de första {rows} raderna visas: svaret var längre än slutpunktens gräns.",
    ),
    "graph_answer": ("The answer is a graph:", "Svaret är en graf:"),
    "boolean_answer": ("The answer is:", "Svaret är:"),
    "picture_title": (
        "Swedish municipalities and their partners",
        "Svenska kommuner och deras partner",
    ),
    "picture_text": (
        "Each line is a partnership the sources name: Swedish municipalities on the left, "
        "their partners on the right, grouped by country. Select a name to open its page.",
        "Varje linje är ett partnerskap som källorna nämner: svenska kommuner till vänster, "
        "deras partner till höger, ordnade efter land. Välj ett namn för att öppna dess sida.",
    ),
    "files": ("Files of this release", "Filer i denna version"),
    "file": ("File", "Fil"),
    "size": ("Size", "Storlek"),
    "checksum": ("SHA-256", "SHA-256"),
    "not_found": (
        "There is nothing at this address in this release.",
        "Det finns inget på denna adress i denna version.",
    ),
    "error": ("Error", "Fel"),
    "search_results": ("Find by name", "Sök på namn"),
    "no_hits": ("Nothing is named like “{q}”.", "Inget heter något som liknar ”{q}”."),
    "answer_count": ("{n} rows in {ms} ms", "{n} rader på {ms} ms"),
    "triples_count": ("{n} triples in {ms} ms", "{n} tripplar på {ms} ms"),
    "code": ("Code for this query", "Kod för denna fråga"),
    "history": (
        "Your earlier queries (kept in this browser)",
        "Dina tidigare frågor (sparade i denna webbläsare)",
    ),
    "ctrl_enter": ("or Ctrl-Enter", "eller Ctrl-Enter"),
    "editor_help": (
        "Prefixes of this release are added when you use them. Ctrl-Space completes prefixes, "
        "classes and properties, and names of entities.",
        "Prefix i denna version läggs till när du använder dem. Ctrl-Mellanslag fyller i "
        "prefix, klasser och egenskaper samt namn på entiteter.",
    ),
    "browse": ("Browse", "Bläddra"),
    "instances": ("All {label}", "Alla: {label}"),
    "facets": ("Narrow down", "Avgränsa"),
    "clear_facets": ("Clear all", "Rensa alla"),
    "page_of": ("Rows {first}–{last} of {total}", "Rad {first}–{last} av {total}"),
    "previous": ("Previous", "Föregående"),
    "next": ("Next", "Nästa"),
    "name": ("Name", "Namn"),
    "definition": ("What it is", "Vad det är"),
    "more_facet": ("{n} more", "{n} till"),
    "colour_by": ("Colour by", "Färg efter"),
    "programme": ("Programme", "Program"),
    "area": ("Cooperation area", "Samarbetsområde"),
    "country": ("Country", "Land"),
    "show": ("Show", "Visa"),
    "view_map": ("The same on a map", "Samma sak på en karta"),
    "other": ("other or not stated", "annat eller ej angivet"),
    "hint_text": ("text", "text"),
    "hint_langstring": (
        "text and its language, e.g. vatten@sv",
        "text och dess språk, t.ex. vatten@sv",
    ),
    "hint_integer": ("a whole number", "ett heltal"),
    "hint_decimal": ("a number", "ett tal"),
    "hint_date": ("a date", "ett datum"),
    "hint_year": ("a year, e.g. 2024", "ett årtal, t.ex. 2024"),
    "hint_country": ("a country", "ett land"),
    "hint_entity": (
        "the web address of an entity (from its page), or its last part, e.g. se-1080",
        "webbadressen till en entitet (från dess sida), eller dess sista del, t.ex. se-1080",
    ),
    "hint_between": ("from {low} to {high}", "från {low} till {high}"),
    "bad_parameter": ("The parameters could not be used", "Parametrarna kunde inte användas"),
    "page_rows": (
        "Rows {first}–{last} of {count} (page {page} of {pages}); the downloads hold every row.",
        "Rad {first}–{last} av {count} (sida {page} av {pages}); nedladdningarna har alla rader.",
    ),
    "previous_page": ("Previous page", "Föregående sida"),
    "next_page": ("Next page", "Nästa sida"),
}


# The words the browser's scripts show (views, table tools, the editor), sent with each page.
SCRIPT_WORDS: dict[str, tuple[str, str]] = {
    "view_table": ("Table", "Tabell"),
    "view_bar": ("Bar chart", "Stapeldiagram"),
    "view_timeline": ("Timeline", "Tidslinje"),
    "view_map": ("Map", "Karta"),
    "views": ("Show as", "Visa som"),
    "filter": ("Filter rows", "Filtrera rader"),
    "shown": ("{n} of {m} rows", "{n} av {m} rader"),
    "sort": ("Sort by this column", "Sortera efter denna kolumn"),
    "load": ("Load", "Hämta"),
    "forget": ("Forget all", "Glöm alla"),
    "nothing_yet": ("Nothing yet.", "Inget ännu."),
    "entity": ("entity", "entitet"),
    "class": ("class", "klass"),
    "property": ("property", "egenskap"),
    "prefix": ("prefix", "prefix"),
    "map_note": (
        "Country outlines: Natural Earth (public domain). Lines join Sweden to each partner "
        "country; their width is the number of rows. The graph holds no coordinates of places, "
        "so no points are drawn.",
        "Landsgränser: Natural Earth (allmän egendom). Linjerna går från Sverige till varje "
        "partnerland; bredden är antalet rader. Grafen har inga koordinater för orter, så inga "
        "punkter ritas.",
    ),
    "map_rows": ("{n} rows", "{n} rader"),
    "no_values": ("No numbers to draw.", "Inga tal att rita."),
}


def script_words(lang: str) -> dict[str, str]:
    index = 1 if lang == "sv" else 0
    return {key: pair[index] for key, pair in SCRIPT_WORDS.items()}


def translator(lang: str) -> Callable[..., str]:
    """``t(key, **values)`` in ``lang``; an unknown key is shown as itself, to be noticed."""
    index = 1 if lang == "sv" else 0

    def t(key: str, **values: object) -> str:
        pair = TEXT.get(key)
        text = pair[index] if pair else key
        return text.format(**values) if values else text

    return t


def switch_url(request: Request, lang: str) -> str:
    """This page's address in the other language."""
    other = "sv" if lang == "en" else "en"
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return f"{request.url.path}?{urlencode([*params, ('lang', other)])}"
