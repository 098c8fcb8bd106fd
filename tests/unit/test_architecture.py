"""The import rule: nothing outside quizapp/ui imports textual, and the command line does
not import textual unless the app is opened."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "quizapp"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_core_modules_do_not_import_textual() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "ui" in path.relative_to(PACKAGE).parts:
            continue
        web = path.relative_to(PACKAGE).parts[0] == "web"  # may use textual-serve, not textual
        for name in _imports(path):
            if web and name.split(".")[0] == "textual_serve":
                continue
            if name == "textual" or name.startswith("textual.") or name.startswith("textual_"):
                offenders.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert offenders == []


def test_only_serve_imports_the_web_extra() -> None:
    """textual-serve and aiohttp (the optional web extra) live in quizapp/web, which only
    `quizapp serve` imports: every other command works without the extra."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        where = path.relative_to(PACKAGE)
        for name in _imports(path):
            top = name.split(".")[0]
            if top in ("textual_serve", "aiohttp", "aiohttp_jinja2") and where.parts[0] != "web":
                offenders.append(f"{where} imports {name}")
            if name.startswith("quizapp.web") and where.as_posix() != "commands/serve.py":
                offenders.append(f"{where} imports {name}")
    assert offenders == []


def test_ui_never_opens_files_itself() -> None:
    """The UI calls decks/store/settings for every file; it does not open files directly."""
    offenders = []
    for path in (PACKAGE / "ui").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for needle in ("open(", ".write_text(", ".read_text(", ".write_bytes(", "tomllib"):
            if needle in text:
                offenders.append(f"{path.relative_to(PACKAGE)} uses {needle}")
    assert offenders == []


def test_cli_help_does_not_import_textual() -> None:
    code = (
        "import sys\n"
        "from quizapp.cli import build_parser\n"
        "build_parser().format_help()\n"
        "print(any(m == 'textual' or m.startswith('textual.') for m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
