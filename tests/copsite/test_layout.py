"""The shape of the code, checked so that it stays as designed: small modules, dependencies
between the apps one way (members ← meetings ← resources; members ← surveys; copsite wires),
no import cycle between modules (not even through an import inside a function), every `noqa`
with its reason, and no "meeting(s)" in what people read."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ["members", "meetings", "surveys", "resources", "announcements", "copsite"]
MAX_LINES = 450

# What each app may use. A survey can go to one meeting's attendees (a foreign key to
# meetings), and an announcement to a meeting's registrants; meetings and members never reach up.
MAY_USE = {
    "members": set(),
    "meetings": {"members"},
    "surveys": {"members", "meetings"},
    "resources": {"members", "meetings"},
    "announcements": {"members", "meetings"},
    "copsite": {"members", "meetings", "surveys", "resources", "announcements"},
}


def app_modules() -> dict[str, Path]:
    """Every Python module of the apps by dotted name, migrations aside."""
    modules = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


MODULES = app_modules()
MODEL_REFERENCE = re.compile(rf"^({'|'.join(APPS)})\.[A-Z]\w*$")  # "meetings.Meeting"


def imported(path: Path) -> set[str]:
    """The app modules a module imports, anywhere in it (functions included), and the apps
    named in its lazy model references."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Constant) and MODEL_REFERENCE.match(str(node.value)):
            found.add(node.value.split(".")[0])
        for name in names:
            while name and name not in MODULES:  # `from x import y`: y a module, or a name in x
                name = name.rpartition(".")[0]
            if name:
                found.add(name)
    return found


GRAPH = {name: imported(path) - {name} for name, path in MODULES.items()}


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_app_module_is_over_450_lines(name):
    lines = len(MODULES[name].read_text().splitlines())

    assert lines <= MAX_LINES, f"{name} has {lines} lines"


def test_apps_depend_on_each_other_one_way():
    reaching_up = sorted(
        f"{name} → {target}"
        for name, targets in GRAPH.items()
        for target in targets
        if (app := name.split(".")[0]) != (used := target.split(".")[0])
        and used not in MAY_USE[app]
    )

    assert reaching_up == []


def test_no_module_imports_itself_back_through_a_cycle():
    # Tarjan's strongly connected components: any with two or more modules is a cycle, such
    # as a service importing its task inside a function while the task imports the service.
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in GRAPH[node] & MODULES.keys():
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while not component or component[-1] != node:
                component.append(stack.pop())
                on_stack.discard(component[-1])
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(GRAPH):
        if node not in index:
            visit(node)

    assert cycles == []


def python_files():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if relative.parts[0] not in {".venv", "var", "node_modules"} and "migrations" not in (
            relative.parts
        ):
            yield path


def test_every_noqa_and_type_ignore_says_why():
    # "
    silenced = re.compile(r"#\s*(noqa|type:\s*ignore)\b(?P<rest>.*)$")
    reason = re.compile(r"^(:\s*[A-Z0-9, ]+|\[[\w-]+\])?\s+(--|—)\s+\S")
    unexplained = []
    for path in python_files():
        for number, line in enumerate(path.read_text().splitlines(), 1):
            match = silenced.search(line)
            if match and not reason.match(match.group("rest")):
                unexplained.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")

    assert unexplained == []


def test_no_plural_in_brackets_in_app_code_or_templates():
    # "1 meeting(s)" reads badly in any language: ngettext chooses the word for the number.
    bracketed = re.compile(r"[A-Za-z]\((s|es|ies)\)")
    files = [*MODULES.values(), *sorted((ROOT / "templates").rglob("*.html"))]
    files += sorted((ROOT / "templates").rglob("*.txt"))
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in files
        for match in bracketed.finditer(path.read_text())
    ]

    assert found == []
