"""The workbench in Debian's headless chromium (issue 18): typing a query with completions of a
class and an entity, running it with Ctrl-Enter, sorting, downloading CSV, switching views,
and a class table narrowed by a facet, in English and Swedish. Screenshots go to
tests/artifacts/ (not committed)."""

import time
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.wait import WebDriverWait

from tests import record_table
from tests.servers import Served
from tests.test_browser import browser, shot, wait

pytestmark = [pytest.mark.server, pytest.mark.browser]
__all__ = ["browser"]  # the fixture, shared with the page tests
REF = record_table.read()


def completions(driver: WebDriver) -> list[str]:
    WebDriverWait(driver, 15).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".cm-tooltip-autocomplete li")
    )
    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".cm-tooltip-autocomplete li")]


def typed(driver: WebDriver, text: str) -> None:
    editor = driver.find_element(By.CSS_SELECTOR, ".cm-content")
    editor.send_keys(text)


def document_text(driver: WebDriver) -> str:
    return str(driver.execute_script("return window.munikgEditor.state.doc.toString()"))


def no_console_errors(driver: WebDriver) -> None:
    errors = [
        e["message"]
        for e in driver.get_log("browser")
        if e["level"] == "SEVERE" and "favicon" not in e["message"]
    ]
    assert errors == []  # a blocked style sheet or script would be reported here


def test_editor_completes_a_class_and_an_entity_and_runs_on_ctrl_enter(
    browser: WebDriver, full_site: Served
) -> None:
    browser.get(full_site.url + "editor?lang=en")
    wait(browser, ".cm-content")
    editor = browser.find_element(By.CSS_SELECTOR, ".cm-content")
    editor.send_keys(Keys.CONTROL, "a")
    editor.send_keys(Keys.DELETE)
    typed(browser, "SELECT ?p ?m WHERE { ?p a mk:Partn")
    options = completions(browser)
    assert any(o.startswith("mk:Partnership") for o in options)
    shot(browser, "20-editor-class-completion")
    typed(browser, Keys.ENTER)
    typed(browser, " ; org:hasMember ?m . FILTER (?m = Kolomy")
    options = completions(browser)
    assert any("Kolomyia" in o for o in options)
    shot(browser, "21-editor-entity-completion")
    typed(browser, Keys.ENTER)
    typed(browser, ") }")
    text = document_text(browser)
    # the prefixes the completions used were declared at the top, once each
    assert text.count("PREFIX mk: <https://w3id.org/munikg/ontology#>") == 1
    assert "mk:Partnership" in text and "municipality:ua-" in text
    assert "PREFIX municipality: <https://w3id.org/munikg/id/municipality/>" in text
    typed(browser, "")  # org: was typed by hand; it is declared too
    assert "PREFIX org: <http://www.w3.org/ns/org#>" in text
    editor.send_keys(Keys.CONTROL, Keys.ENTER)
    wait(browser, "table#results")
    rows = browser.find_elements(By.CSS_SELECTOR, "table#results tbody tr")
    # document 001: Falun–Kolomyia is Kolomyia's one partnership
    assert len(rows) == 1 and "Falun–Kolomyia" in rows[0].text
    assert "1 rows in" in browser.find_element(By.ID, "answer-count").text
    no_console_errors(browser)
    shot(browser, "22-editor-answer")


def test_sorting_filtering_and_downloading_an_answer(
    browser: WebDriver, full_site: Served, tmp_path: Path
) -> None:
    browser.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)}
    )
    browser.get(full_site.url + "editor?lang=en&example=grant-rounds")
    wait(browser, ".cm-content")
    browser.find_element(By.ID, "run").click()
    wait(browser, "table#results th button.sort")
    header = browser.find_element(By.CSS_SELECTOR, 'th[data-column="round"] button.sort')
    header.click()
    names = [
        r.text
        for r in browser.find_elements(By.CSS_SELECTOR, "table#results tbody tr td:first-child")
    ]
    assert names == sorted(names, key=str.lower) and len(names) > 1
    header.click()
    reversed_names = [
        r.text
        for r in browser.find_elements(By.CSS_SELECTOR, "table#results tbody tr td:first-child")
    ]
    assert reversed_names == names[::-1]
    box = browser.find_element(By.CSS_SELECTOR, "input.table-filter")
    box.send_keys("APPLICATION PERIOD")  # the record's 2016 rounds, found without regard to case
    shown = [
        r
        for r in browser.find_elements(By.CSS_SELECTOR, "table#results tbody tr")
        if r.is_displayed()
    ]
    assert 0 < len(shown) < len(names) and all("application period" in r.text for r in shown)
    shot(browser, "23-sorted-filtered")
    browser.find_element(By.ID, "download-csv").click()
    deadline = time.monotonic() + 20
    while not list(tmp_path.glob("*.csv")) and time.monotonic() < deadline:
        time.sleep(0.2)
    (downloaded,) = tmp_path.glob("*.csv")
    lines = downloaded.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("round,") and len(lines) == 1 + len(names)  # every row shown


@pytest.mark.parametrize(
    ("path", "view", "drawn"),
    [
        ("queries/funding-totals-by-funder", "bar", "svg.bar-chart rect.bar"),
        ("queries/projects-timeline", "timeline", "svg.timeline rect.span"),
        (
            "queries/partnerships-by-country?country=UA",
            "map",
            'svg.map path.partner[data-country="ua"]',
        ),
    ],
)
@pytest.mark.parametrize("lang", ["en", "sv"])
def test_switching_to_each_view(
    browser: WebDriver, full_site: Served, path: str, view: str, drawn: str, lang: str
) -> None:
    separator = "&" if "?" in path else "?"
    browser.get(f"{full_site.url}{path}{separator}lang={lang}")
    wait(browser, f"#view-{view}")
    browser.find_element(By.ID, "view-table").click()
    assert browser.find_element(By.CSS_SELECTOR, "table#results").is_displayed()
    button = browser.find_element(By.ID, f"view-{view}")
    assert (
        button.text
        == {
            ("bar", "en"): "Bar chart",
            ("bar", "sv"): "Stapeldiagram",
            ("timeline", "en"): "Timeline",
            ("timeline", "sv"): "Tidslinje",
            ("map", "en"): "Map",
            ("map", "sv"): "Karta",
        }[(view, lang)]
    )
    button.click()
    wait(browser, drawn)
    assert not browser.find_element(By.CSS_SELECTOR, "table#results").is_displayed()
    assert browser.find_element(By.CSS_SELECTOR, drawn).is_displayed()
    no_console_errors(browser)
    shot(browser, f"24-view-{view}-{lang}")


@pytest.mark.parametrize(("lang", "country"), [("en", "Ukraine"), ("sv", "Ukraina")])
def test_a_class_table_from_the_landing_page_narrowed_by_a_facet(
    browser: WebDriver, full_site: Served, lang: str, country: str
) -> None:
    browser.get(f"{full_site.url}?lang={lang}")
    browser.find_element(By.CSS_SELECTOR, 'a[href="/browse/mk:Partnership"]').click()
    wait(browser, "#browse-table")
    total = len({r["id"] for r in REF.partnerships}) + 2  # and document 001's two
    assert f"({total})" in browser.find_element(By.ID, "heading").text
    browser.find_element(By.CSS_SELECTOR, '#facet-country a[data-value="ua"]').click()
    wait(browser, "#chosen")
    assert "country=ua" in browser.current_url
    assert country in browser.find_element(By.ID, "chosen").text
    for row in browser.find_elements(By.CSS_SELECTOR, "#browse-table tbody tr"):
        assert country in row.text
    shot(browser, f"25-class-table-facet-{lang}")
