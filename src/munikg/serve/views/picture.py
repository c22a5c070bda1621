"""Partnerships as a picture: Swedish municipalities on the left, their partners on the right
grouped by country, a line for each partnership, coloured by programme or cooperation area
with a legend. Both sides are ordered to cross as little as they can (the barycentre
heuristic of layered graph drawing, a few sweeps), and the reader may keep one country or one
programme. SVG drawn on the server, no map tiles; every name is escaped before it enters it.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from statistics import mean
from xml.sax.saxutils import escape, quoteattr

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from munikg.namespaces import ID, MK
from munikg.serve.browse import slug
from munikg.serve.describe import local_path
from munikg.serve.i18n import translator
from munikg.serve.labels import Labels
from munikg.serve.site import site_of

PARTNERSHIPS = f"""
PREFIX org: <http://www.w3.org/ns/org#>
SELECT ?partnership ?swedish ?partner ?country
       (MIN(STR(?programme)) AS ?inProgramme) (MIN(STR(?area)) AS ?inArea) WHERE {{
  ?partnership a <{MK}Partnership> ; org:hasMember ?swedish , ?partner .
  ?swedish <{MK}country> <{ID}country/se> .
  ?partner <{MK}country> ?country .
  FILTER (?partner != ?swedish && ?country != <{ID}country/se>)
  OPTIONAL {{ ?partnership <{MK}inProgramme> ?programme }}
  OPTIONAL {{ ?partnership <{MK}cooperationArea>|<{MK}focus> ?area }}
}} GROUP BY ?partnership ?swedish ?partner ?country
"""
ROW = 24
TOP = 48
WIDTH = 1220
LEGEND_X = 930
LEFT_X = 290
RIGHT_X = 640
SWEEPS = 4
# Colour-blind-safe (Okabe–Ito, then Tol's muted); more kinds than colours share grey.
PALETTE = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00",
    "#56B4E9", "#882255", "#117733", "#999933", "#44AA99",
)  # fmt: skip
OTHER = "#9aa3ad"
COLOUR_BY = ("programme", "area")


@dataclass(frozen=True)
class Link:
    partnership: str
    swedish: str
    partner: str
    country: str
    programme: str | None = None
    area: str | None = None

    def kind(self, by: str) -> str | None:
        return self.programme if by == "programme" else self.area


def links(store: object) -> list[Link]:
    def value(row: object, name: str) -> str | None:
        term = row[name]  # type: ignore[index]
        return term.value if term is not None else None

    return [
        Link(
            r["partnership"].value,
            r["swedish"].value,
            r["partner"].value,
            r["country"].value,
            value(r, "inProgramme"),
            value(r, "inArea"),
        )
        for r in store.query(PARTNERSHIPS)  # type: ignore[attr-defined]
    ]


def ordered(found: list[Link], label: Callable[[str], str]) -> tuple[list[str], list[str]]:
    """The Swedish side and the countries' partners, top to bottom, each node moved to the
    mean position of its neighbours on the other side, sweep after sweep (ties by name)."""
    swedish = sorted({k.swedish for k in found}, key=lambda i: label(i).lower())
    partners = sorted({k.partner for k in found}, key=lambda i: label(i).lower())
    country_of = {k.partner: k.country for k in found}
    across: dict[str, set[str]] = defaultdict(set)
    for k in found:
        across[k.swedish].add(k.partner)
        across[k.partner].add(k.swedish)

    def by_neighbours(nodes: list[str], others: list[str]) -> list[str]:
        place = {n: i for i, n in enumerate(others)}
        return sorted(nodes, key=lambda n: (mean(place[o] for o in across[n]), label(n).lower()))

    for _ in range(SWEEPS):
        partners = by_neighbours(partners, swedish)
        # partners stay grouped by country: a country goes where its partners' mean is
        place = {p: i for i, p in enumerate(partners)}
        groups: dict[str, list[str]] = defaultdict(list)
        for p in partners:
            groups[country_of[p]].append(p)
        order = sorted(groups, key=lambda c: (mean(place[p] for p in groups[c]), label(c)))
        partners = [p for c in order for p in groups[c]]
        swedish = by_neighbours(swedish, partners)
    return swedish, partners


def draw(found: list[Link], labels: Labels, lang: str, title: str, by: str = "programme") -> str:
    """The SVG text.

    >>> import pyoxigraph as ox
    >>> found = [Link("http://e/p", "http://e/falun", "http://e/<b>", "http://e/ua")]
    >>> svg = draw(found, Labels(ox.Store()), "en", "Partnerships")
    >>> "<b>" in svg, "&lt;b&gt;" in svg, svg.count('class="link"')
    (False, True, 1)
    """
    t = translator(lang)

    def label(iri: str | None) -> str:
        return (labels.get(iri, lang) or iri.rsplit("/", 1)[-1]) if iri else ""

    swedish, partners = ordered(found, label)
    kinds = sorted(
        {k.kind(by) for k in found if k.kind(by)},
        key=lambda kind: (-sum(1 for k in found if k.kind(by) == kind), label(kind or "")),
    )
    colour = {kind: PALETTE[n] for n, kind in enumerate(kinds[: len(PALETTE)])}
    right: list[tuple[str, str]] = []  # ("country" | "partner", iri), top to bottom
    country_of = {k.partner: k.country for k in found}
    for partner in partners:
        if not right or country_of[right[-1][1]] != country_of[partner]:
            right.append(("country", country_of[partner]))
        right.append(("partner", partner))
    y_left = {iri: TOP + ROW * n for n, iri in enumerate(swedish)}
    y_right = {iri: TOP + ROW * n for n, (kind, iri) in enumerate(right) if kind == "partner"}
    legend = [(colour[k], label(k)) for k in kinds[: len(PALETTE)]]
    if len(kinds) > len(PALETTE) or any(k.kind(by) is None for k in found):
        legend.append((OTHER, t("other")))
    height = max(TOP + ROW * max(len(swedish), len(right), 1) + 16, TOP + 20 * len(legend) + 40)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-label={quoteattr(title)} '
        'font-family="system-ui, sans-serif" font-size="14">',
        f"<title>{escape(title)}</title>",
    ]
    for link in sorted(found, key=lambda k: (y_left[k.swedish], y_right[k.partner])):
        y1, y2 = y_left[link.swedish] - 4, y_right[link.partner] - 4
        middle = (LEFT_X + RIGHT_X) / 2
        path = f"M{LEFT_X + 8} {y1} C{middle} {y1} {middle} {y2} {RIGHT_X - 8} {y2}"
        stroke = colour.get(link.kind(by) or "", OTHER)
        kind = label(link.kind(by)) if link.kind(by) else t("other")
        out.append(
            _anchor(
                link.partnership,
                f'<path class="link" d="{path}" fill="none" stroke="{stroke}" stroke-width="2">'
                f"<title>{escape(label(link.partnership))} · {escape(kind)}</title></path>",
            )
        )
    for iri, y in y_left.items():
        out.append(
            _anchor(
                iri,
                f'<text x="{LEFT_X}" y="{y}" text-anchor="end" class="swedish">'
                f"{escape(label(iri))}</text>",
            )
        )
    for n, (kind, iri) in enumerate(right):
        y = TOP + ROW * n
        if kind == "country":
            out.append(
                f'<text x="{RIGHT_X}" y="{y}" font-weight="bold" class="country">'
                f"{escape(label(iri))}</text>"
            )
        else:
            out.append(
                _anchor(
                    iri,
                    f'<text x="{RIGHT_X + 12}" y="{y}" class="partner">{escape(label(iri))}</text>',
                )
            )
    heading = t("colour_by") + ": " + t(by)
    out.append(f'<g class="legend" transform="translate({LEGEND_X} {TOP})">')
    out.append(f'<text x="0" y="-20" font-weight="bold">{escape(heading)}</text>')
    for n, (fill, name) in enumerate(legend):
        short_name = name if len(name) <= 30 else name[:29] + "…"
        out.append(
            f'<rect x="0" y="{20 * n - 11}" width="14" height="14" fill="{fill}"/>'
            f'<text x="20" y="{20 * n}">{escape(short_name)}<title>{escape(name)}</title></text>'
        )
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


def _anchor(iri: str, inner: str) -> str:
    path = local_path(iri)
    if path is None:
        return inner
    return f"<a href={quoteattr(path)}>{inner}</a>"


def _chosen(request: Request) -> tuple[str, str | None, str | None] | str:
    """(colour by, country, programme) as asked, or the message for a bad parameter."""
    by = request.query_params.get("colour", "programme")
    if by not in COLOUR_BY:
        return f"parameter colour: {by!r} is not one of {', '.join(COLOUR_BY)}"
    return (
        by,
        request.query_params.get("country") or None,
        request.query_params.get("programme") or None,
    )


async def _picture(
    request: Request,
) -> tuple[str, list[Link], tuple[str, str | None, str | None]] | str:
    site = site_of(request)
    lang = site.lang(request)
    chosen = _chosen(request)
    if isinstance(chosen, str):
        return chosen
    by, country, programme = chosen
    every = await run_in_threadpool(
        site.figure, "partnership-links", lambda: links(site.release.store)
    )

    def drawn() -> str:
        kept = [
            k
            for k in every
            if (country is None or slug(("uri", k.country)) == country)
            and (programme is None or (k.programme and slug(("uri", k.programme)) == programme))
        ]
        return draw(kept, site.labels, lang, translator(lang)("picture_title"), by)

    picture = await run_in_threadpool(site.figure, ("picture", lang, *chosen), drawn)
    return picture, every, chosen


async def svg(request: Request) -> Response:
    drawn = await _picture(request)
    if isinstance(drawn, str):
        return Response(drawn + "\n", 400, media_type="text/plain")
    return Response(drawn[0], media_type="image/svg+xml")


async def page(request: Request) -> Response:
    site = site_of(request)
    lang = site.lang(request)
    drawn = await _picture(request)
    if isinstance(drawn, str):
        return site.error_page(request, 400, drawn)
    picture, every, (by, country, programme) = drawn

    def options(iris: set[str]) -> list[tuple[str, str]]:
        return sorted(
            ((slug(("uri", i)), site.labels.get(i, lang) or slug(("uri", i))) for i in iris),
            key=lambda o: o[1].lower(),
        )

    context = {
        "svg": picture,
        "countries": options({k.country for k in every}),
        "programmes": options({k.programme for k in every if k.programme}),
        "colour": by,
        "country": country,
        "programme": programme,
        "query": request.url.query,
    }
    return site.page(request, "partnerships.html", context)
