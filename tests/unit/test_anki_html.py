"""HTML in Anki fields that carries meaning beyond its words: code in ``<pre>`` keeps its
indentation and lines, struck-out text (``<s>``, ``<del>``, ``<strike>``) stays marked as
struck out. Packages made by Anki's own library; the text is data either way."""

from __future__ import annotations

from pathlib import Path

import pytest

anki_collection = pytest.importorskip(
    "anki.collection", reason="Anki's library is not installed (pip install -e '.[test]')")

from quizapp.cli import main  # noqa: E402
from quizapp.decks import load_deck  # noqa: E402
from quizapp.interop.common import media_text  # noqa: E402

CODE = ("What does it print?<pre>for x in (1, 2):\n    if x &gt; 1:\n"
        "        print(&quot;&lt;b&gt;&quot;, x)\n\n    print(x)</pre>")
NOTES = {
    "code": (CODE, "<pre>\n  1\n&lt;b&gt; 2\n  2</pre>"),
    "struck": ("Pluto is <s>a planet</s> a dwarf planet. Since?", "2006 (<del>1930</del>)"),
    "strike": ("<strike>Bombay</strike>  Mumbai: capital of?", "Maharashtra"),
}


def test_code_keeps_its_indentation_and_struck_text_stays_struck(tmp_path: Path,
                                                                 isolated_home: Path) -> None:
    col = anki_collection.Collection(str(tmp_path / "collection.anki2"))
    try:
        for guid, (front, back) in NOTES.items():
            note = col.new_note(col.models.by_name("Basic"))
            note["Front"], note["Back"], note.guid = front, back, guid
            col.add_note(note, col.decks.id("Html"))
        col.export_anki_package(out_path=str(tmp_path / "html.apkg"), limit=None,
                                options=anki_collection.ExportAnkiPackageOptions(
                                    with_scheduling=False, with_media=False, legacy=False))
    finally:
        col.close()
    assert main(["deck", "import", str(tmp_path / "html.apkg")]) == 0
    deck = load_deck(isolated_home / "data" / "decks" / "html.toml")
    code, struck, strike = (deck.card(guid) for guid in NOTES)
    assert code.question == ("What does it print?\nfor x in (1, 2):\n    if x > 1:\n"
                             '        print("<b>", x)\n\n    print(x)')
    assert code.answer == "  1\n<b> 2\n  2"  # (the line break right after <pre> is not shown)
    assert struck.question == "Pluto is ~~a planet~~ a dwarf planet. Since?"
    assert struck.answer == "2006 (~~1930~~)"
    assert strike.question == "~~Bombay~~ Mumbai: capital of?"


@pytest.mark.parametrize(("html", "text"), [
    ("a  b<br> c&nbsp;&nbsp;d", "a b\nc d"),  # outside <pre>, spaces as a browser shows them
    ("<div>Q</div><pre>a\n\n  b</pre><div>c</div>", "Q\na\n\n  b\nc"),
    ("<pre>  first line indented</pre>", "  first line indented"),
    ("x<pre>\n<pre>  nested</pre>\n</pre>y", "x\n  nested\n\ny"),
    ("<s></s>", "~~~~"),
    ("a\0<pre>\0 b\0</pre>\0c", "a\0\n\0 b\0\n\0c"),  # (any character is data)
    ("<sup><pre>2  x</sup>  y</pre>  z  w", "2  x  y\nz w"),  # (tags crossed: still apart)
])
def test_preformatted_text_and_the_rest(html: str, text: str) -> None:
    assert media_text(html) == text
