"""Articles as people have them: saved web pages and links (served from a loopback HTTP
server only), and relative dates resolved against the article's own date."""

from __future__ import annotations

import builtins
import threading
from datetime import date
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from quizapp import decks
from quizapp.cli import main
from quizapp.extract import sources
from quizapp.extract.pipeline import extract
from quizapp.paths import Locations

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "articles" / "pages"
PAGE = PAGES / "wn-nz-surplus.html"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep the test output clean
        pass


@pytest.fixture
def served(tmp_path: Path) -> Path:
    """The folder the loopback server serves: a copy of the saved pages."""
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / PAGE.name).write_bytes(PAGE.read_bytes())
    return folder


@pytest.fixture
def server(served: Path):
    """A loopback HTTP server over the saved pages (never the internet)."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(served)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_a_saved_page_gives_the_article_without_menus_and_with_its_date() -> None:
    article = sources.read_article(PAGE)
    assert article.title == "New Zealand Government announces record surplus"
    assert article.published == date(2006, 10, 11)
    assert "John Key, finance spokesman for National" in article.text
    assert "Main Page" not in article.text and "Privacy policy" not in article.text


def test_import_article_from_a_saved_page(capsys) -> None:
    assert main(["import-article", str(PAGE)]) == 0
    out = capsys.readouterr().out
    assert "John Key: “The surplus makes a mockery" in out
    deck = decks.load_deck(Locations.from_env().user_decks / "new-zealand-government-who.toml")
    assert deck.deck.title == "Who said it: New Zealand Government announces record surplus"


def test_import_article_from_a_link(server: str, capsys) -> None:
    url = f"{server}/{PAGE.name}"
    assert main(["import-article", url, "--id", "surplus"]) == 0
    deck = decks.load_deck(Locations.from_env().user_decks / "surplus-who.toml")
    assert url in deck.deck.source
    assert {c.answer for c in deck.cards if c.id.startswith("who.")} >= {"John Key"}


def test_a_missing_page_is_one_clear_line(server: str, capsys) -> None:
    assert main(["extract", f"{server}/nowhere.html"]) == 2
    assert capsys.readouterr().err.strip() == f"{server}/nowhere.html: the server answered 404 File not found"


def test_a_link_to_something_else_than_a_page_is_refused(server: str, served: Path,
                                                          capsys) -> None:
    (served / "not-a-page.bin").write_bytes(b"\x00\x01")
    assert main(["extract", f"{server}/not-a-page.bin"]) == 2
    assert capsys.readouterr().err.strip() == (
        f"{server}/not-a-page.bin: the link gives application/octet-stream, not a web page")


def test_a_page_over_the_size_cap_is_refused(server: str, monkeypatch, capsys) -> None:
    monkeypatch.setattr(sources, "MAX_PAGE_BYTES", 1000)
    assert main(["extract", f"{server}/{PAGE.name}"]) == 2
    assert "larger than" in capsys.readouterr().err


def test_without_the_html_extra_pages_name_the_extra(monkeypatch, capsys) -> None:
    real_import = builtins.__import__

    def no_trafilatura(name, *args, **kwargs):
        if name == "trafilatura":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_trafilatura)
    assert main(["extract", str(PAGE)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == ("wn-nz-surplus.html: reading web pages needs the 'html' extra "
                   "(pip install 'quizapp[html]')")


def test_relative_dates_resolve_against_the_article_date() -> None:
    text = ("Mayor opens the tunnel\n\nTuesday, March 5, 2024\n\n"
            "The tunnel reopened on Monday. Repairs began last year and end tomorrow.\n")
    result = extract(text)
    got = {(text[d.start:d.end], d.year, d.month, d.day) for d in result.dates}
    assert ("Monday", 2024, 3, 4) in got
    assert ("last year", 2023, None, None) in got
    assert ("tomorrow", 2024, 3, 6) in got
    assert not [n for n in result.notes if n.kind == "relative-date"]


def test_without_an_article_date_relative_dates_are_left_out() -> None:
    result = extract("Tunnel\n\nThe tunnel reopened on Monday, the mayor said.\n")
    assert [(n.kind, n.text) for n in result.notes] == [("relative-date", "Monday")]
    assert result.dates == []


def test_the_pages_date_anchors_relative_dates() -> None:
    result = extract("Tunnel\n\nThe tunnel reopened on Monday.\n", published=date(2024, 3, 6))
    assert [(d.year, d.month, d.day) for d in result.dates] == [(2024, 3, 4)]


def test_a_server_that_never_answers_times_out(monkeypatch, capsys) -> None:
    import socket

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # accepts the connection, never answers
    monkeypatch.setattr(sources, "FETCH_TIMEOUT", 0.3)
    try:
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/article.html"
        assert main(["extract", url]) == 2
        err = capsys.readouterr().err.strip()
        assert err.startswith(f"{url}: ") and ("0.3 seconds" in err or "timed out" in err)
    finally:
        silent.close()


def test_an_encounter_told_in_a_sentence_with_its_people_place_and_month() -> None:
    text = ("Harbour mayors meet again\n\nTuesday, May 14, 2024\n\n"
            "Dana Ortiz and Ben Okafor met in Lyon on May 12, 2024, at the Harbour Forum.\n\n"
            "“We agreed on the east pier and on nothing else,” Ortiz said.\n\n"
            "Ortiz and Okafor met again in Geneva on Monday.\n")
    ds = extract(text).dataset
    got = [(ds.place(e.place).city, e.occasion, e.month, e.year, e.people) for e in ds.encounters]
    assert got == [("Lyon", "Harbour Forum", 5, 2024, ["ortiz", "okafor"]),
                   ("Geneva", "Meeting", 5, 2024, ["ortiz", "okafor"])]
    assert ds.encounters[0].evidence.rule == "sentence-encounter"


def test_no_encounter_without_a_month_or_with_two_places() -> None:
    text = ("Talks\n\nDana Ortiz and Ben Okafor met in Lyon last week.\n\n"
            "Ortiz met Okafor in Lyon and in Geneva in May 2024.\n")
    assert extract(text).dataset.encounters == []
