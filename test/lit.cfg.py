"""lit configuration of the rcbc test suite.

Tools are taken from the environment lit runs in (the project's .venv): ``rcbc-opt``, ``rcbc``,
``torch-mlir-opt`` and the Python port of FileCheck (or the binary named by $FILECHECK).
"""

import os
import shutil
import sys

import lit.formats

config.name = "RCBC"
config.test_format = lit.formats.ShTest()
config.suffixes = [".mlir", ".py"]
config.excludes = ["lit.cfg.py", "lit.local.cfg", "Inputs", "unit", "__pycache__"]
config.test_source_root = os.path.dirname(__file__)
repo_root = os.path.dirname(config.test_source_root)
config.test_exec_root = os.path.join(repo_root, "build", "lit")

bin_dir = os.path.dirname(sys.executable)


def tool(name):
    path = os.path.join(bin_dir, name)
    return path if os.path.exists(path) else shutil.which(name) or name


filecheck = os.environ.get("FILECHECK") or tool("filecheck")
config.substitutions.append(("%PYTHON", sys.executable))
config.substitutions.append(("%rcbc_src_root", repo_root))
for name in ("rcbc-opt", "rcbc", "torch-mlir-opt"):
    config.substitutions.append((rf"(?<![\w/.-]){name}(?![\w.-])", tool(name)))
config.substitutions.append((r"(?<![\w/.-])FileCheck(?![\w.-])", filecheck))
config.environment["FILECHECK_OPTS"] = "--enable-var-scope"
config.environment["PYTHONUNBUFFERED"] = "1"
for var in ("HOME", "TMPDIR"):
    if var in os.environ:
        config.environment[var] = os.environ[var]
