"""The tree shows the pipeline: a stage imports only from itself and earlier stages."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "assistant"
# errors and settings serve every stage; evaluation and serve are two faces of the engine
STAGES = {"errors": 0, "settings": 1, "ingest": 2, "index": 3, "query": 4, "answer": 5, "study": 6,
          "engine": 7, "evaluation": 8, "serve": 8, "cli": 9}


def _unit(module: str) -> str:
    """"assistant.index.store" → "index", "assistant.engine" → "engine"."""
    return module.split(".")[1]


def _imports(path: Path) -> set[str]:
    """The assistant modules a file imports, anywhere in it (lazy imports included)."""
    parts = ("assistant",) + path.relative_to(PACKAGE).with_suffix("").parts
    package = parts[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join(base + ((node.module,) if node.module else ()))
            else:
                target = node.module or ""
            if target == "assistant" or target.startswith("assistant."):
                names = [f"{target}.{a.name}" for a in node.names] if target.count(".") < 1 else [target]
                found.update(names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("assistant."))
    return found


def test_every_module_belongs_to_a_stage():
    units = {_unit(".".join(("assistant",) + p.relative_to(PACKAGE).with_suffix("").parts))
             for p in PACKAGE.rglob("*.py") if p.parent != PACKAGE or p.name != "__init__.py"}
    assert units <= set(STAGES), units - set(STAGES)


def test_no_stage_imports_a_later_one():
    wrong = []
    for path in PACKAGE.rglob("*.py"):
        if path.parent == PACKAGE and path.name == "__init__.py":
            continue
        source = _unit(".".join(("assistant",) + path.relative_to(PACKAGE).with_suffix("").parts))
        for target in map(_unit, _imports(path)):
            later = STAGES[target] > STAGES[source]
            beside = STAGES[target] == STAGES[source] and target != source
            if later or beside:
                wrong.append(f"{path.relative_to(PACKAGE)} imports {target}")
    assert wrong == []


def test_the_import_check_sees_relative_and_lazy_imports():
    imports = _imports(PACKAGE / "cli.py")
    assert "assistant.engine" in imports and "assistant.serve.server" in imports
    assert "assistant.ingest.text" in _imports(PACKAGE / "index" / "lexical.py")
