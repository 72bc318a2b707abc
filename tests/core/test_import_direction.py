"""DESIGN.md: imports run one way, metrics → publishing → validation /
editorial_calendar → posts → networks, libraries; networks imports no Django app.
What a lower app needs from a higher one is registered by the higher one (posts.hooks,
posts.panels, publishing.hooks), never imported. Function-level imports count too."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LEVEL = {
    "libraries": 0,
    "networks": 0,
    "posts": 1,
    "validation": 2,
    "editorial_calendar": 2,
    "publishing": 3,
    "metrics": 4,
}


def _imports(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.lineno, node.module
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name


@pytest.mark.parametrize("app", sorted(LEVEL))
def test_an_app_imports_only_the_apps_below_it(app):
    wrong = []
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for line, module in _imports(path):
            other = module.split(".")[0]
            if other == app or other not in LEVEL:
                continue
            upward = LEVEL[other] >= LEVEL[app]  # same level: siblings stay apart
            if upward or app == "networks":
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert wrong == []
