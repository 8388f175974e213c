"""The house keeps its shape (STYLE.md): the layers written as import-linter contracts in
pyproject.toml hold, and no module imports another module's underscore (private) name."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_import_contracts_hold():
    from importlinter.cli import lint_imports

    assert lint_imports(config_filename=str(ROOT / "pyproject.toml")) == 0  # its report is printed above


def private_imports(paths, root=ROOT):
    """(file, module, name) for each `from module import _name` among these files."""
    found = []
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        found.append((str(path.relative_to(root)), "." * node.level + (node.module or ""), alias.name))
    return found


def test_no_module_imports_another_modules_private_name():
    paths = [p for folder in ("awards", "registry", "bench", "tests") for p in (ROOT / folder).rglob("*.py")
             if "migrations" not in p.parts]
    assert len(paths) > 100
    assert private_imports(paths) == []


def test_a_private_import_would_be_seen(tmp_path):
    leaky = tmp_path / "leaky.py"
    leaky.write_text("from .registry import _audit\nfrom . import text\n", encoding="utf-8")
    assert private_imports([leaky], root=tmp_path) == [("leaky.py", ".registry", "_audit")]
