"""Articles as people have them: a plain-text file, a saved web page, or a link.

``read_article(spec)`` gives an ``Article``: its text (paragraphs separated by blank lines,
the title on the first line and a ``By ...`` line when the page names its authors), its
title, its publication date when known, and a short name for messages and deck sources.

- a ``.txt`` (or any non-HTML) file is read as UTF-8 text;
- a ``.html``/``.htm`` file, or a file that starts like an HTML page, goes through
  ``trafilatura``, which keeps the article's main text and drops menus, footers and
  adverts, and reads the title, the byline and the publication date from the page;
- an ``http://`` or ``https://`` link is fetched (the only network access quizapp makes,
  and only when a link is given), with a timeout and a size cap, then read as a page.

``trafilatura`` is an optional extra (``pip install 'quizapp[html]'``); without it, pages
and links give one clear line naming the extra, and plain text still works.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from quizapp.errors import QuizappError

FETCH_TIMEOUT = 15.0  # seconds, for connecting and for each read
MAX_PAGE_BYTES = 5 * 1024 * 1024
MAX_TEXT_BYTES = 5 * 1024 * 1024
EXTRA_HINT = "pip install 'quizapp[html]'"


class ArticleError(QuizappError):
    """The article could not be read; the message is one line naming the file or link."""


@dataclass(frozen=True)
class Article:
    text: str
    name: str  # file name or link, for messages and deck sources
    stem: str  # for default ids
    title: str | None = None
    published: date | None = None
    url: str | None = None


def is_url(spec: str) -> bool:
    return re.match(r"(?i)https?://", spec) is not None


def read_article(spec: str | Path) -> Article:
    spec = str(spec)
    if is_url(spec):
        return _from_html(_fetch(spec), spec, _url_stem(spec), url=spec)
    path = Path(spec)
    from quizapp import tomlio

    try:  # a regular file only, never more than the limit read (a FIFO, /dev/zero)
        raw = tomlio.read_bytes(path, MAX_TEXT_BYTES, "an article")
    except OSError as exc:
        raise ArticleError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except tomlio.FileProblem as exc:
        raise ArticleError(str(exc).replace("file is over", "larger than", 1)) from None
    for magic, kind in _DOCUMENTS:
        if raw.startswith(magic):
            raise ArticleError(f"{path}: {kind}, not plain text; save the article as plain "
                               "text (UTF-8) or as a web page")
    if path.suffix.lower() in (".html", ".htm") or _looks_like_html(raw):
        return _from_html(raw, path.name, path.stem)
    try:
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16, as Windows' "Unicode"
            text = raw.decode("utf-16")
        else:
            text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ArticleError(f"{path}:{line}: not UTF-8 text (bad byte 0x{raw[exc.start]:02x}); "
                           "save it as UTF-8") from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ArticleError(f"{path}:{line}: not a text file (it holds NUL bytes)")
    if not text.strip():
        raise ArticleError(f"{path}: the article is empty")
    return Article(text=text.replace("\r\n", "\n").replace("\r", "\n"), name=path.name,
                   stem=path.stem)


# Documents people save articles as, which are not text: named, never read as one.
_DOCUMENTS = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a zip file (such as a .docx or .odt document)"),
    (b"\xd0\xcf\x11\xe0", "a Microsoft Office document"),
    (b"{\\rtf", "an RTF document"),
)


def _looks_like_html(raw: bytes) -> bool:
    head = raw[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or (
        head.startswith(b"<") and b"<body" in raw[:4096].lower())


def _url_stem(url: str) -> str:
    path = re.sub(r"[?#].*$", "", url).rstrip("/")
    last = path.rsplit("/", 1)[-1]
    return re.sub(r"\.(?:html?|php|aspx?)$", "", last) or "article"


def _fetch(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "quizapp (article import)"})
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT) as response:  # noqa: S310
            kind = response.headers.get_content_type()
            if kind not in ("text/html", "application/xhtml+xml", "text/plain"):
                raise ArticleError(f"{url}: the link gives {kind}, not a web page")
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > MAX_PAGE_BYTES:
                raise ArticleError(f"{url}: the page is larger than "
                                   f"{MAX_PAGE_BYTES // (1024 * 1024)} MB")
            body = response.read(MAX_PAGE_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise ArticleError(f"{url}: the server answered {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise ArticleError(f"{url}: cannot fetch: {exc.reason}") from None
    except TimeoutError:
        raise ArticleError(f"{url}: no answer within {FETCH_TIMEOUT:g} seconds") from None
    except OSError as exc:
        raise ArticleError(f"{url}: cannot fetch: {exc.strerror or exc}") from None
    if len(body) > MAX_PAGE_BYTES:
        raise ArticleError(f"{url}: the page is larger than {MAX_PAGE_BYTES // (1024 * 1024)} MB")
    return body


def _from_html(raw: bytes, name: str, stem: str, url: str | None = None) -> Article:
    try:
        import trafilatura
    except ImportError:
        raise ArticleError(f"{name}: reading web pages needs the 'html' extra ({EXTRA_HINT})"
                           ) from None
    html = raw.decode("utf-8", errors="replace")
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                      include_tables=False, favor_precision=True)
    body = getattr(doc, "text", None) if doc is not None else None
    if not body or not body.strip():
        raise ArticleError(f"{name}: no article text found in the page")
    title = (getattr(doc, "title", None) or "").strip() or None
    author = (getattr(doc, "author", None) or "").strip()
    published = _parse_date(getattr(doc, "date", None))
    paragraphs = [line.strip() for line in body.split("\n") if line.strip()]
    if title and paragraphs and paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    head = []
    if title:
        head.append(title)
    if author:
        authors = [a.strip() for a in author.split(";") if a.strip()]
        head.append("By " + " and ".join(authors))
        paragraphs = [p for p in paragraphs if not re.fullmatch(r"(?i)by\s+" + re.escape(
            " and ".join(authors)) + r"\.?", p)]
    text = "\n\n".join([*head, *paragraphs]) + "\n"
    return Article(text=text, name=name, stem=stem, title=title, published=published, url=url)


def _parse_date(value: str | None) -> date | None:
    if not value:
        return None
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    if m is None:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
