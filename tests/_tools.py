"""Load a development-time script from tools/ as a module, for tests of what it writes."""
from __future__ import annotations

import importlib.util
from types import ModuleType

from spbe_tools.paths import PROJECT_ROOT


def load_tool(name: str) -> ModuleType:
    """``tools/<name>.py`` imported as a module (tools/ is not a package)."""
    spec = importlib.util.spec_from_file_location(name, PROJECT_ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
