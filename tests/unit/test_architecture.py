"""The import rule: nothing outside quizapp/ui imports textual, and the command line does
not import textual unless the app is opened."""

from __future__ import annotations

import ast
import functools
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "quizapp"


@functools.cache
def _tree(path: Path) -> ast.Module:
    """Each module is parsed once per test process (five tests walk the whole package)."""
    return ast.parse(path.read_text(encoding="utf-8"))


@functools.cache
def _imports(path: Path) -> frozenset[str]:
    tree = _tree(path)
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return frozenset(names)


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


# --------------------------------------------------------------------------- layers

FRONT_ENDS = ("ui", "commands", "cli", "__main__", "plain", "bench")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _quizapp_imports(path: Path, modules: set[str]) -> set[str]:
    """Every quizapp module ``path`` imports, at the top, inside functions or only for
    type checking (an import the type checker follows is a dependency too)."""
    found = set()
    for name in _imports(path):
        if name.startswith("quizapp"):
            found.add(name)
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:  # ``from quizapp.ui import messages`` is a module
                if f"{node.module}.{alias.name}" in modules:
                    found.add(f"{node.module}.{alias.name}")
    return {m for m in found if m in modules}


@functools.cache
def _graph() -> dict[str, set[str]]:
    paths = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    modules = set(paths)
    return {name: _quizapp_imports(path, modules) - {name} for name, path in paths.items()}


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_no_import_circle() -> None:
    """No chain of imports leads back to where it started (counting lazy imports and
    imports made only for type checking): screens do not reach back into the app."""
    graph = _graph()
    circles = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        stack.append(module)
        for dep in sorted(graph[module]):
            if state.get(dep) == 1:
                circles.append(" -> ".join([*stack[stack.index(dep):], dep]))
            elif dep not in state:
                visit(dep)
        stack.pop()
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)
    assert circles == []


def test_the_core_does_not_import_a_front_end() -> None:
    """models, decks, session, store, workspace...: no import of ui, commands, cli or plain."""
    offenders = [
        f"{module} imports {dep}"
        for module, deps in _graph().items() if _layer(module) not in FRONT_ENDS
        for dep in deps if _layer(dep) in FRONT_ENDS
    ]
    assert offenders == []


# The app and the helpers it wires messages to: where to go, how a session ends, loading.
APP_SIDE = ("quizapp.ui.app", "quizapp.ui.palette", "quizapp.ui.navigator",
            "quizapp.ui.sessions", "quizapp.ui.loading")


def test_screens_dialogs_and_widgets_do_not_import_the_app() -> None:
    """They post ``ui.messages`` or call the workspace they are given; the app and its
    helpers decide (a screen that called the navigator would be deciding itself)."""
    offenders = [
        f"{module} imports {dep}"
        for module, deps in _graph().items()
        if module.startswith(("quizapp.ui.screens", "quizapp.ui.dialogs", "quizapp.ui.widgets"))
        for dep in deps if dep in APP_SIDE
    ]
    assert offenders == []


def test_commands_reach_the_ui_only_through_cli_open_app() -> None:
    offenders = [
        f"{module} imports {dep}"
        for module, deps in _graph().items() if _layer(module) == "commands"
        for dep in deps if _layer(dep) == "ui"
    ]
    assert offenders == []


def test_every_error_quizapp_raises_for_a_person_is_a_quizapp_error() -> None:
    """One error hierarchy: a front end can catch QuizappError and show ``problems``."""
    import importlib
    import inspect

    from quizapp.errors import QuizappError

    strays = []
    for path in PACKAGE.rglob("*.py"):
        name = _module_name(path)
        if _layer(name) == "ui" or name.endswith("__main__"):
            continue  # the UI needs textual; __main__ runs the program on import
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if (inspect.isclass(value) and issubclass(value, Exception)
                    and value.__module__ == name and not attr.startswith("_")
                    and not issubclass(value, QuizappError)):
                strays.append(f"{name}.{attr}")
    # Caught where they are raised, never shown: the store moves a damaged file aside; a
    # kept tally that cannot tell a number is counted again in full.
    assert sorted(strays) == ["quizapp.store.files.Damaged", "quizapp.tally.Unknown"]
