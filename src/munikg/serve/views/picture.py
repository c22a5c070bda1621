"""Partnerships as a picture: Swedish municipalities on the left, their partners on the right
grouped by country, a line for each partnership. SVG drawn on the server, no map tiles.

Every name is escaped before it enters the SVG, which is then safe to inline in a page.
"""

from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from munikg.namespaces import ID, MK
from munikg.serve.describe import local_path
from munikg.serve.i18n import translator
from munikg.serve.labels import Labels
from munikg.serve.site import site_of

PARTNERSHIPS = f"""
PREFIX org: <http://www.w3.org/ns/org#>
SELECT DISTINCT ?partnership ?swedish ?partner ?country WHERE {{
  ?partnership a <{MK}Partnership> ; org:hasMember ?swedish , ?partner .
  ?swedish <{MK}country> <{ID}country/se> .
  ?partner <{MK}country> ?country .
  FILTER (?partner != ?swedish && ?country != <{ID}country/se>)
}}
"""
ROW = 26
TOP = 48
WIDTH = 960
LEFT_X = 300
RIGHT_X = 660


@dataclass(frozen=True)
class Link:
    partnership: str
    swedish: str
    partner: str
    country: str


def links(store: object) -> list[Link]:
    return [
        Link(r["partnership"].value, r["swedish"].value, r["partner"].value, r["country"].value)
        for r in store.query(PARTNERSHIPS)  # type: ignore[attr-defined]
    ]


def draw(found: list[Link], labels: Labels, lang: str, title: str) -> str:
    """The SVG text.

    >>> import pyoxigraph as ox
    >>> found = [Link("http://e/p", "http://e/falun", "http://e/<b>", "http://e/ua")]
    >>> svg = draw(found, Labels(ox.Store()), "en", "Partnerships")
    >>> "<b>" in svg, "&lt;b&gt;" in svg, svg.count("<path")
    (False, True, 1)
    """

    def label(iri: str) -> str:
        return labels.get(iri, lang) or iri.rsplit("/", 1)[-1]

    swedish = sorted({link.swedish for link in found}, key=lambda i: label(i).lower())
    countries = sorted({link.country for link in found}, key=lambda i: label(i).lower())
    right: list[tuple[str, str]] = []  # ("country" | "partner", iri), top to bottom
    for country in countries:
        right.append(("country", country))
        partners = {link.partner for link in found if link.country == country}
        right += [("partner", p) for p in sorted(partners, key=lambda i: label(i).lower())]
    y_left = {iri: TOP + ROW * n for n, iri in enumerate(swedish)}
    y_right = {iri: TOP + ROW * n for n, (kind, iri) in enumerate(right) if kind == "partner"}
    height = TOP + ROW * max(len(swedish), len(right), 1) + 16
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
        out.append(
            _anchor(
                link.partnership,
                f'<path class="link" d="{path}" fill="none" stroke="#3b6ea5" stroke-width="2">'
                f"<title>{escape(label(link.partnership))}</title></path>",
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
    out.append("</svg>")
    return "\n".join(out)


def _anchor(iri: str, inner: str) -> str:
    path = local_path(iri)
    if path is None:
        return inner
    return f"<a href={quoteattr(path)}>{inner}</a>"


async def _svg(request: Request) -> str:
    site = site_of(request)
    lang = site.lang(request)
    found = await run_in_threadpool(links, site.release.store)
    return draw(found, site.labels, lang, translator(lang)("picture_title"))


async def svg(request: Request) -> Response:
    return Response(await _svg(request), media_type="image/svg+xml")


async def page(request: Request) -> Response:
    site = site_of(request)
    return site.page(request, "partnerships.html", {"svg": await _svg(request)})
