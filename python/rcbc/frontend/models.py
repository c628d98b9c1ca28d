"""The models ``rcbc import`` can start from, and their weights.

A model is a torchvision classification model by name, or a user's own: a callable (or an
``nn.Module`` instance) named ``module:attribute``, where the module is a dotted import path
(found from the current directory too) or a ``.py`` file::

    >>> model = torchvision_model("resnet18", seed=0)          # random weights, reproducible
    >>> model = user_model("my_pkg.my_mod:build_model", seed=0)
    >>> model = user_model("models/tiny.py:TinyNet", seed=0)
    >>> load_weights(model, "resnet18-f37072fd.pth")           # a local state_dict

Random weights come from ``torch.manual_seed(seed)`` just before the model is built, so one seed
always gives the same weights. No weights are ever downloaded.
"""

from __future__ import annotations

import difflib
import importlib
import importlib.util
import os
import sys
import traceback
from collections.abc import Mapping
from pathlib import Path

import torch
import torchvision
from torch import nn

from rcbc.frontend.errors import FrontendError

DEFAULT_SEED = 0


def torchvision_models() -> list[str]:
    """The names of torchvision's classification models."""
    return torchvision.models.list_models(module=torchvision.models)


def torchvision_model(name: str, seed: int = DEFAULT_SEED) -> nn.Module:
    """The torchvision classification model `name`, randomly initialized from `seed`."""
    names = torchvision_models()
    if name not in names:
        close = difflib.get_close_matches(name, names, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise FrontendError(
            f"'{name}' is not one of torchvision's {len(names)} classification models{hint} "
            "(a model of your own: --module my_pkg.my_mod:build_model)"
        )
    torch.manual_seed(seed)
    return torchvision.models.get_model(name, weights=None)


def user_model(spec: str, seed: int = DEFAULT_SEED) -> nn.Module:
    """The model `spec` (``module:attribute``) names, built after seeding with `seed`.

    The attribute is an ``nn.Module`` instance, or a callable (a function or an ``nn.Module``
    class) that builds one with no arguments.
    """
    module_name, _, attribute = spec.rpartition(":")
    if not module_name or not attribute:
        raise FrontendError(f"--module '{spec}' is not of the form my_pkg.my_mod:build_model")
    module = _import(module_name)
    if not hasattr(module, attribute):
        raise FrontendError(f"{module_name} has no attribute '{attribute}'")
    model = getattr(module, attribute)
    if not isinstance(model, nn.Module) and not callable(model):
        raise FrontendError(
            f"{spec} is a {type(model).__name__}, not an nn.Module or a callable that builds one"
        )
    if not isinstance(model, nn.Module):
        torch.manual_seed(seed)
        try:
            model = model()
        except Exception as e:
            raise _user_code_error(f"{spec}()", e) from None
    if not isinstance(model, nn.Module):
        raise FrontendError(f"{spec} returned a {type(model).__name__}, not a torch.nn.Module")
    return model


def load_weights(model: nn.Module, path: str | os.PathLike) -> None:
    """Load the state_dict saved at `path` (``torch.save(model.state_dict(), path)``)."""
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except FileNotFoundError:
        raise FrontendError(f"weights file {path} does not exist") from None
    except Exception as e:  # torch.load raises whatever the unpickler meets
        raise FrontendError(f"cannot read a state_dict from {path}: {e}") from None
    if not isinstance(state, Mapping):
        raise FrontendError(f"{path} holds a {type(state).__name__}, not a state_dict")
    try:
        result = model.load_state_dict(state, strict=False)
    except RuntimeError as e:  # tensors of the wrong shape, one line each after a heading
        problems = "; ".join(line.strip() for line in str(e).splitlines()[1:])
        raise FrontendError(f"{path} does not fit the model: {problems}") from None
    problems = [
        f"{len(names)} {what} (such as {', '.join(names[:3])})"
        for what, names in [
            ("parameters of the model are missing", result.missing_keys),
            ("entries are not parameters of the model", result.unexpected_keys),
        ]
        if names
    ]
    if problems:
        raise FrontendError(f"{path} does not fit the model: " + "; ".join(problems))


def _import(module_name: str):
    """Import a dotted module name, with the current directory on the path, or a .py file."""
    path = Path(module_name)
    if path.suffix == ".py" and not path.is_file():
        raise FrontendError(f"model file {module_name} does not exist")
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        if path.suffix != ".py":
            return importlib.import_module(module_name)
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    except ModuleNotFoundError as e:
        raise FrontendError(f"cannot import {module_name}: {e}") from None
    except Exception as e:
        raise _user_code_error(f"importing {module_name}", e) from None


def _user_code_error(what: str, error: Exception) -> FrontendError:
    """An error raised by the user's code, with the line that raised it."""
    frame = traceback.extract_tb(error.__traceback__)[-1]
    return FrontendError(
        f"{what} raised {type(error).__name__}: {error} ({frame.filename}:{frame.lineno})"
    )
