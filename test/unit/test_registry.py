"""The pass registry: option types and parsing, configuring a pass, lookup and plugins."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

import pytest

from rcbc import registry
from rcbc.mlir import ir
from rcbc.registry import ModulePass, OptionError, option, parse_option_value


@dataclass(frozen=True)
class Tiler(ModulePass):
    """Tile things.

    More text.
    """

    argument: ClassVar[str] = "test-tiler"
    tiles: int = option(28, "tile budget")
    scale: float = option(1.0, "a scale")
    dry_run: bool = option(False, "do nothing")
    target: str = option("aie-ml", "target name")
    order: Literal["row", "column"] = option("row", "placement order")
    sizes: tuple[int, ...] = option((), "block sizes")

    def run(self, module):
        pass


PLUGIN = '''
from dataclasses import dataclass
from typing import ClassVar
from rcbc.registry import ModulePass, option

@dataclass(frozen=True)
class Base(ModulePass):
    """A base class without an argument is not a pass."""

@dataclass(frozen=True)
class PluginPass(Base):
    """A plugin pass."""
    argument: ClassVar[str] = "test-plugin-pass"
    level: int = option(2, "a level")
'''


@pytest.fixture(autouse=True)
def no_plugins(monkeypatch):
    """Each test starts without plugin passes and leaves none behind."""
    monkeypatch.setattr(registry, "_plugin_passes", {})


def plugin_file(tmp_path, text=PLUGIN):
    path = tmp_path / "plugin.py"
    path.write_text(text)
    return path


# -- option types -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tp", "name"),
    [
        (int, "int"),
        (bool, "bool"),
        (str, "string"),
        (float, "float"),
        (Literal["row", "column"], "row|column"),
        (tuple[int, ...], "int-list"),
    ],
)
def test_type_name(tp, name):
    assert registry.type_name(tp) == name


@pytest.mark.parametrize(
    ("tp", "text", "value"),
    [
        (int, "42", 42),
        (int, "-3", -3),
        (int, "0x10", 16),
        (float, "2.5e-1", 0.25),
        (float, "3", 3.0),
        (bool, "true", True),
        (bool, "True", True),
        (bool, "1", True),
        (bool, "false", False),
        (bool, "FALSE", False),
        (bool, "0", False),
        (str, "two words", "two words"),
        (str, "", ""),
        (Literal["row", "column"], "column", "column"),
        (Literal[1, 2], "2", 2),
        (tuple[int, ...], "1,2,3", (1, 2, 3)),
        (tuple[int, ...], "", ()),
        (tuple[str, ...], "a,b", ("a", "b")),
    ],
)
def test_parse_option_value(tp, text, value):
    parsed = parse_option_value(tp, text)
    assert parsed == value
    assert type(parsed) is type(value)


@pytest.mark.parametrize(
    ("tp", "text", "expected"),
    [
        (int, "3.5", "an int"),
        (int, "", "an int"),
        (int, "true", "an int"),
        (float, "half", "a float"),
        (bool, "yes", "a bool (true or false)"),
        (Literal["row", "column"], "diagonal", "one of 'row', 'column'"),
        (tuple[int, ...], "1,x", "a comma-separated list of int"),
        (tuple[int, ...], "1,,2", "a comma-separated list of int"),
    ],
)
def test_parse_option_value_errors(tp, text, expected):
    with pytest.raises(ValueError) as e:
        parse_option_value(tp, text)
    assert str(e.value) == expected


@pytest.mark.parametrize("tp", [list[int], tuple[int, int], dict, int | None])
def test_unsupported_option_types_are_a_programming_error(tp):
    with pytest.raises(TypeError):
        parse_option_value(tp, "1")


@pytest.mark.parametrize(
    ("tp", "value", "text"),
    [
        (bool, True, "true"),
        (bool, False, "false"),
        (int, 3, "3"),
        (float, 0.5, "0.5"),
        (str, "x", "x"),
        (tuple[int, ...], (1, 2), "1,2"),
        (tuple[int, ...], (), ""),
    ],
)
def test_format_option_value_is_the_inverse_of_parsing(tp, value, text):
    assert registry.format_option_value(value) == text
    assert parse_option_value(tp, text) == value


# -- configuring a pass -----------------------------------------------------------------------


def test_options_are_the_dataclass_fields_in_kebab_case():
    options = Tiler.options()
    assert [o.name for o in options] == ["tiles", "scale", "dry-run", "target", "order", "sizes"]
    dry_run = options[2]
    assert (dry_run.field, dry_run.type, dry_run.default, dry_run.help) == (
        "dry_run",
        bool,
        False,
        "do nothing",
    )
    assert dry_run.type_name == "bool"


def test_summary_and_name():
    assert Tiler.summary() == "Tile things."
    assert Tiler.name() == "Tiler"


def test_from_options_parses_every_type():
    tiler = Tiler.from_options(
        {
            "tiles": "8",
            "scale": "0.5",
            "dry-run": None,
            "target": "aie",
            "order": "column",
            "sizes": "4,8",
        }
    )
    assert tiler == Tiler(
        tiles=8, scale=0.5, dry_run=True, target="aie", order="column", sizes=(4, 8)
    )


def test_from_options_keeps_defaults():
    assert Tiler.from_options({}) == Tiler()


def test_unknown_option_names_the_pass_and_suggests():
    with pytest.raises(OptionError) as e:
        Tiler.from_options({"tile": "8"})
    assert str(e.value) == (
        "pass 'test-tiler' has no option 'tile'; did you mean 'tiles'? "
        "(options: tiles, scale, dry-run, target, order, sizes)"
    )


def test_bad_value_names_pass_option_value_and_type():
    with pytest.raises(OptionError) as e:
        Tiler.from_options({"tiles": "many"})
    assert str(e.value) == "option 'tiles' of pass 'test-tiler' expects an int, got 'many'"


def test_bad_choice_suggests_the_closest():
    with pytest.raises(OptionError) as e:
        Tiler.from_options({"order": "colum"})
    assert str(e.value) == (
        "option 'order' of pass 'test-tiler' expects one of 'row', 'column', got 'colum'; "
        "did you mean 'column'?"
    )


def test_only_a_bool_option_may_be_given_without_value():
    with pytest.raises(OptionError) as e:
        Tiler.from_options({"tiles": None})
    assert str(e.value) == "option 'tiles' of pass 'test-tiler' expects an int, got ''"


def test_option_string_and_pipeline_element_show_non_defaults():
    assert Tiler().pipeline_element() == "test-tiler"
    tiler = Tiler(tiles=8, dry_run=True, sizes=(1, 2))
    assert tiler.option_string() == "{tiles=8 dry-run=true sizes=1,2}"
    assert Tiler.from_options({"tiles": "8", "dry-run": None, "sizes": "1,2"}) == tiler


# -- running ----------------------------------------------------------------------------------


class FakeExternalPass:
    """Stands for the `ExternalPass` MLIR hands to a Python pass."""

    failed = False

    def signal_pass_failure(self):
        self.failed = True


@dataclass(frozen=True)
class Rejecting(ModulePass):
    argument: ClassVar[str] = "test-rejecting"
    stop: bool = option(True, "stop at the first error")

    def run(self, module):
        location = ir.Location.unknown()
        if self.stop:
            self.fail(location, "first")
        self.emit_error(location, "first")
        self.emit_error(location, "second")


def run_pass(pass_instance):
    """The messages `pass_instance` emits, and whether it signalled failure."""
    with ir.Context() as context:
        messages = []
        context.attach_diagnostic_handler(lambda d: messages.append(d.message) or True)
        external = FakeExternalPass()
        pass_instance(ir.Module.parse("").operation, external)
    return messages, external.failed


def test_fail_emits_an_error_and_stops_the_pass():
    assert run_pass(Rejecting(stop=True)) == (["first"], True)


def test_emit_error_carries_on_and_fails_the_pass():
    assert run_pass(Rejecting(stop=False)) == (["first", "second"], True)


def test_a_pass_that_emits_nothing_succeeds():
    assert run_pass(Tiler()) == ([], False)


# -- lookup -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["canonicalize", "func.func", "no-such-pass", "", "a/b", "-x"])
def test_lookup_of_a_name_that_is_no_rcbc_pass(name):
    assert registry.lookup(name) is None


def test_module_name():
    assert registry.module_name("rhal-set-target") == "rcbc.passes.rhal_set_target"


def test_every_registered_pass_is_found_by_its_argument():
    for argument, cls in registry.all_passes().items():
        assert cls.argument == argument
        assert registry.lookup(argument) is cls
        assert cls.summary(), f"{argument} has no docstring summary"


def test_load_plugin_registers_its_passes(tmp_path):
    (cls,) = registry.load_plugin(plugin_file(tmp_path))
    assert cls.argument == "test-plugin-pass"
    assert registry.lookup("test-plugin-pass") is cls
    assert registry.all_passes()["test-plugin-pass"] is cls
    assert cls.from_options({"level": "3"}).level == 3


def test_load_plugin_of_a_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        registry.load_plugin(tmp_path / "missing.py")


def test_load_plugin_without_passes(tmp_path):
    with pytest.raises(LookupError, match="defines no rcbc pass"):
        registry.load_plugin(plugin_file(tmp_path, "X = 1\n"))


def test_load_plugin_with_a_syntax_error(tmp_path):
    with pytest.raises(SyntaxError):
        registry.load_plugin(plugin_file(tmp_path, "def (\n"))


# -- suggestions ------------------------------------------------------------------------------


def test_suggest_and_did_you_mean():
    names = ["rhal-place", "rhal-partition", "canonicalize"]
    assert registry.suggest("rhal-plac", names) == ["rhal-place", "rhal-partition"]
    assert registry.suggest("xyz", names) == []
    assert registry.did_you_mean("rhal-plac", names) == "; did you mean 'rhal-place'?"
    assert registry.did_you_mean("xyz", names) == ""
