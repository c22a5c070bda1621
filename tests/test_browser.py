"""The site in a real browser: Debian's headless chromium driven by selenium through Debian's
chromedriver (both installed by the test command, scripts/test.sh). Screenshots of each step
are written to tests/artifacts/ (not committed) for a person to look at."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.wait import WebDriverWait

from tests.conftest import ROOT
from tests.servers import Served, require

pytestmark = [pytest.mark.server, pytest.mark.browser]

ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    chromium = require("chromium", "apt-get install chromium")
    driver_path = require("chromedriver", "apt-get install chromium-driver")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (
        "--headless=new",
        "--no-sandbox",  # tests run as root in CI
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",  # the machine's network is closed; don't try
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,1000",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium')}",
    ):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"intl.accept_languages": "en"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(30)
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        yield driver
    finally:
        driver.quit()


def shot(driver: WebDriver, name: str) -> Path:
    path = ARTIFACTS / f"{name}.png"
    driver.save_screenshot(str(path))
    assert path.stat().st_size > 10_000  # a rendered page, not a blank
    return path


def wait(driver: WebDriver, css: str) -> None:
    WebDriverWait(driver, 15).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, css))
    )


def test_landing_page(browser: WebDriver, site: Served) -> None:
    browser.get(site.url + "?lang=en")
    assert (
        browser.find_element(By.TAG_NAME, "h1").text
        == "Swedish municipal international cooperation"
    )
    counts = browser.find_element(By.ID, "class-counts").text
    assert "Partnership" in counts or "partnership" in counts
    shot(browser, "01-landing")


def test_entity_page_after_303(browser: WebDriver, site: Served) -> None:
    browser.get(site.url + "id/municipality/se-1080")
    assert browser.current_url.endswith("/doc/id/municipality/se-1080")
    assert browser.find_element(By.ID, "label").text == "Karlskrona Municipality"
    evidence = browser.find_element(By.ID, "evidence").text
    assert "Saldanha Bay Local Municipality" in evidence  # document 001's quotation
    shot(browser, "02-entity")


def test_canned_query_form_submits_and_shows_a_table(browser: WebDriver, site: Served) -> None:
    browser.get(site.url + "queries/partnerships-by-area")
    Select(browser.find_element(By.ID, "p-area")).select_by_value("water-supply")
    Select(browser.find_element(By.ID, "p-country")).select_by_value("UA")
    shot(browser, "03-form")
    browser.find_element(By.ID, "run").click()
    wait(browser, "table#results")
    assert "area=water-supply" in browser.current_url
    browser.find_element(By.ID, "view-table").click()  # the query's own view is the map
    rows = browser.find_elements(By.CSS_SELECTOR, "table#results tbody tr")
    # document 001: only Falun–Kolomyia names water supply ("vattenförsörjning")
    assert len(rows) == 1
    cells = [c.text for c in rows[0].find_elements(By.TAG_NAME, "td")]
    assert "Falun Municipality" in cells and "Kolomyia" in cells
    shot(browser, "04-results")
    rows[0].find_element(By.LINK_TEXT, "Kolomyia").click()
    wait(browser, "#label")
    assert browser.find_element(By.ID, "label").text == "Kolomyia"


def test_editor_loads_an_example_and_runs_it(browser: WebDriver, site: Served) -> None:
    browser.get(site.url + "editor")
    Select(browser.find_element(By.ID, "example")).select_by_value("funding-totals-by-funder")
    wait(browser, "textarea#query")
    WebDriverWait(browser, 15).until(
        lambda d: "funding" in d.find_element(By.ID, "query").get_attribute("value").lower()
    )
    browser.find_element(By.ID, "run").click()
    wait(browser, "table#results")
    assert browser.find_elements(By.CSS_SELECTOR, "table#results tbody tr")
    shot(browser, "05-editor")


def test_switching_language(browser: WebDriver, site: Served) -> None:
    browser.get(site.url + "doc/id/municipality/se-1080?lang=en")
    browser.find_element(By.ID, "switch-language").click()
    WebDriverWait(browser, 15).until(
        lambda d: d.find_element(By.ID, "label").text == "Karlskrona kommun"
    )
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "sv"
    shot(browser, "06-swedish")
    browser.get(site.url + "queries")  # the choice is remembered
    assert browser.find_element(By.TAG_NAME, "h1").text == "Färdiga frågor"
    browser.get(site.url + "partnerships")
    assert "Karlskrona kommun" in browser.find_element(By.ID, "picture").text
    shot(browser, "07-picture-sv")
    browser.find_element(By.ID, "switch-language").click()  # and back
    WebDriverWait(browser, 15).until(
        lambda d: (
            d.find_element(By.TAG_NAME, "h1").text == "Swedish municipalities and their partners"
        )
    )
