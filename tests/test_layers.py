"""The apps are layered one way: an app imports only from apps in lower layers, never from
its own layer's neighbours or from above, and no two apps import each other. The layers:

    core ← accounts ← dataio ← publication, workdays, sitesettings
         ← trainings, supervision, disclosure
         ← applications (依申请公开), lawbuilding (records and the annual report)
         ← publicsite, dashboard, ops ← demo

Imports inside functions count too (an import moved into a function to dodge a cycle is
still a cycle), and so do the apps' migrations.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

LAYERS: list[set[str]] = [
    {"core"},
    {"accounts"},
    {"dataio"},
    {"publication", "workdays", "sitesettings"},
    {"trainings", "supervision", "disclosure"},
    {"applications", "lawbuilding"},
    {"publicsite", "dashboard", "ops"},
    {"demo"},
]
LAYER_OF = {app: level for level, apps in enumerate(LAYERS) for app in apps}


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found |= {name.split(".")[0] for name in names} & set(LAYER_OF)
    return found


def app_imports() -> dict[str, dict[str, set[str]]]:
    """app → imported app → the files importing it."""
    graph: dict[str, dict[str, set[str]]] = {app: {} for app in LAYER_OF}
    for app in LAYER_OF:
        for path in (ROOT / app).rglob("*.py"):
            for other in imported_apps(path) - {app}:
                graph[app].setdefault(other, set()).add(str(path.relative_to(ROOT)))
    return graph


def test_every_app_is_placed_in_a_layer():
    from django.apps import apps

    project_apps = {
        config.name for config in apps.get_app_configs() if (ROOT / config.name).is_dir()
    }
    assert project_apps - set(LAYER_OF) == set()


@pytest.mark.parametrize("app", sorted(LAYER_OF))
def test_an_app_imports_only_from_lower_layers(app):
    upward = {
        other: sorted(files)
        for other, files in app_imports()[app].items()
        if LAYER_OF[other] >= LAYER_OF[app]
    }
    assert upward == {}, f"{app} imports from its own layer or above: {upward}"


def test_no_import_cycle_between_apps():
    graph = {app: set(targets) for app, targets in app_imports().items()}
    cycles = []

    def visit(app, path):
        for other in graph[app]:
            if other in path:
                cycles.append([*path[path.index(other) :], other])
            elif len(path) < len(graph):
                visit(other, [*path, other])

    for app in graph:
        visit(app, [app])
    assert cycles == []


def test_the_checker_sees_an_upward_import(tmp_path):
    """The checker itself: an import inside a function is found like any other."""
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from dashboard.metrics import build_dashboard\n")
    assert imported_apps(sample) == {"dashboard"}
