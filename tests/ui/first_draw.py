"""Run by ``test_ui_start`` as a fresh process (not a test): starts the app headless as the
command line does (``quizapp`` with no command), on the data the environment names, and prints as JSON what home showed
the first time it drew the deck table with rows, whether pydantic (or Rich's emoji table,
which only reading markup imports) was imported by then, and the rows once everything was
loaded."""

from __future__ import annotations

import asyncio
import json
import sys


def rows(screen) -> list[list[str]]:
    table = screen.query_one("#decks")
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def main() -> dict:
    from quizapp import cli

    app = cli.app_for(cli.parse([]))  # as ``quizapp`` with no command makes it
    from quizapp.ui.screens.home import HomeScreen

    first: dict = {}
    draw = HomeScreen._compositor_refresh  # what puts the screen's changes on the terminal

    def drawn(screen: HomeScreen) -> None:
        draw(screen)
        if not first and screen.is_current and screen.query_one("#decks").row_count:
            first["pydantic"] = "pydantic" in sys.modules
            first["emoji"] = "rich._emoji_codes" in sys.modules  # markup read somewhere
            first["toml"] = "tomli" in sys.modules  # a TOML file parsed somewhere
            # the command line built no command's parser (the app has none)
            first["commands"] = sorted(m for m in sys.modules if m.startswith("quizapp.commands."))
            first["rows"] = rows(screen)
            first["text"] = "\n".join(s.text for s in screen._compositor.render_strips())

    HomeScreen._compositor_refresh = drawn  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()  # the decks and scores are loaded
        await pilot.pause()
        return {"first": first, "loaded": rows(app.home), "still_loading": app.home.loading}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main())))
