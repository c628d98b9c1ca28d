"""Pipeline text: the grammar, per-pass flags, options, resolution and PassManager building."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pytest

from rcbc import pipeline as P
from rcbc import registry
from rcbc.mlir import ir
from rcbc.pipeline import PassSpec, PipelineError
from rcbc.registry import ModulePass, option


@dataclass(frozen=True)
class Mark(ModulePass):
    """Mark the module."""

    argument: ClassVar[str] = "test-mark"
    tiles: int = option(28, "tile budget")

    def run(self, module):
        i64 = ir.IntegerType.get_signless(64, module.context)
        module.attributes["test.mark"] = ir.IntegerAttr.get(i64, self.tiles)


@pytest.fixture(autouse=True)
def mark_pass(monkeypatch):
    """`test-mark` is the only plugin pass while a test runs."""
    monkeypatch.setattr(registry, "_plugin_passes", {"test-mark": Mark})


@pytest.fixture
def context():
    return ir.Context()


def error_of(function, *args) -> PipelineError:
    with pytest.raises(PipelineError) as e:
        function(*args)
    return e.value


def shape(spec):
    """`spec` as nested tuples of names and option texts, for comparisons."""
    if isinstance(spec, PassSpec):
        return (spec.name, spec.options)
    return (spec.anchor, [shape(e) for e in spec.elements])


# -- grammar ----------------------------------------------------------------------------------


def test_parse_pipeline():
    text = "builtin.module(a,b{x=1 y={p(q)} z='}'},func.func(c,d{}),e)"
    spec = P.parse_pipeline(text)
    assert shape(spec) == (
        "builtin.module",
        [
            ("a", None),
            ("b", "x=1 y={p(q)} z='}'"),
            ("func.func", [("c", None), ("d", "")]),
            ("e", None),
        ],
    )
    assert [p.name for p in spec.passes()] == ["a", "b", "c", "d", "e"]
    assert spec.source == text


def test_parse_pipeline_allows_whitespace_and_newlines():
    spec = P.parse_pipeline(" builtin.module(\n  a ,\n  func.func( b ) \n) ")
    assert shape(spec) == ("builtin.module", [("a", None), ("func.func", [("b", None)])])


def test_element_positions_point_into_the_text():
    text = "builtin.module(a, func.func(b))"
    spec = P.parse_pipeline(text)
    nested = spec.elements[1]
    assert (spec.position, spec.elements[0].position, nested.position) == (0, 15, 18)
    assert text[nested.elements[0].position] == "b"


@pytest.mark.parametrize("text", ["", "  ", "builtin.module()"])
def test_empty_pipelines(text):
    assert P.parse_pipeline(text).elements == ()


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ("cse", "expected pass pipeline to be wrapped with the anchor operation type, "
         "e.g. 'builtin.module(...)'", 0),
        ("(cse)", "expected a pass pipeline", 0),
        ("builtin.module(cse", "encountered unbalanced parentheses while parsing pipeline", 18),
        ("builtin.module(cse))", "unexpected text after the pass pipeline", 19),
        ("builtin.module(cse,,x)", "expected a pass or pipeline name", 19),
        ("builtin.module(,)", "expected a pass or pipeline name", 15),
        ("builtin.module(cse x)", "expected ',' or ')' in the pipeline of 'builtin.module'", 19),
        ("builtin.module(cse{a=1)", "missing '}' to close the options of 'cse'", 18),
        ("builtin.module(func.func(cse)", "encountered unbalanced parentheses while parsing "
         "pipeline", 29),
    ],
)  # fmt: skip
def test_parse_pipeline_errors(text, message, position):
    error = error_of(P.parse_pipeline, text)
    assert (error.message, error.text, error.position) == (message, text, position)


def test_pipeline_error_shows_a_caret():
    error = error_of(P.parse_pipeline, "builtin.module(cse")
    assert str(error) == (
        "encountered unbalanced parentheses while parsing pipeline\n"
        "  builtin.module(cse\n"
        "                    ^"
    )


def test_pipeline_error_caret_on_the_right_line():
    error = PipelineError("bad", "builtin.module(\n  a b\n)", 20)
    assert str(error) == "bad\n    a b\n      ^"


def test_pipeline_error_without_text_is_its_message():
    assert str(PipelineError("bad")) == "bad"


# -- per-pass flags ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("flag", "name", "options"),
    [
        ("--cse", "cse", None),
        ("--canonicalize=max-iterations=3", "canonicalize", "max-iterations=3"),
        ("--test-mark=tiles=8 other=x", "test-mark", "tiles=8 other=x"),
        ("--test-mark=", "test-mark", ""),
    ],
)
def test_parse_pass_flag(flag, name, options):
    spec = P.parse_pass_flag(flag)
    assert (spec.name, spec.options, spec.text, spec.position) == (name, options, flag, 2)


def test_parse_pass_flag_error():
    error = error_of(P.parse_pass_flag, "--a(b)")
    assert (error.message, error.position) == ("'--a(b)' is not a pass name", 2)


def test_pipeline_from_flags_keeps_their_order():
    spec = P.pipeline_from_flags(["--test-mark=tiles=2", "--cse", "--canonicalize"])
    assert shape(spec) == (
        "builtin.module",
        [("test-mark", "tiles=2"), ("cse", None), ("canonicalize", None)],
    )
    assert spec.source == "builtin.module(test-mark{tiles=2},cse,canonicalize)"


# -- options ----------------------------------------------------------------------------------


def options_of(text):
    return P.parse_options(PassSpec("p", text, "", 0))


@pytest.mark.parametrize(
    ("text", "options"),
    [
        (None, {}),
        ("", {}),
        ("a=1", {"a": "1"}),
        ("  a=1   b=two  ", {"a": "1", "b": "two"}),
        ("flag", {"flag": None}),
        ("flag other=1", {"flag": None, "other": "1"}),
        ("list=1,2,3", {"list": "1,2,3"}),
        ("s='two words' t=\"x y\"", {"s": "two words", "t": "x y"}),
        ("p={a, b} q={x{y}}", {"p": "a, b", "q": "x{y}"}),
        ("empty=", {"empty": ""}),
    ],
)
def test_parse_options(text, options):
    assert options_of(text) == options


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a=1 a=2", "option 'a' of 'p' is given twice"),
        ("s='open", "unterminated ' in the options of 'p'"),
        ('s="open', 'unterminated " in the options of \'p\''),
        ("s={open", "unterminated { in the options of 'p'"),
    ],
)
def test_parse_options_errors(text, message):
    assert error_of(options_of, text).message == message


# -- formatting -------------------------------------------------------------------------------


def test_format_pipeline():
    spec = P.parse_pipeline("builtin.module(a{x=1},func.func(b,c),d)")
    assert P.format_pipeline(spec) == (
        "builtin.module(\n"
        "  a{x=1},\n"
        "  func.func(\n"
        "    b,\n"
        "    c\n"
        "  ),\n"
        "  d\n"
        ")"
    )


def test_format_empty_pipeline():
    assert P.format_pipeline(P.parse_pipeline("")) == "builtin.module(\n\n)"


# -- resolution -------------------------------------------------------------------------------


def test_resolve_groups_upstream_runs_around_rcbc_passes():
    pipeline = P.resolve(
        P.parse_pipeline("builtin.module(cse,func.func(cse),test-mark{tiles=4},canonicalize)")
    )
    first, mark, last = pipeline.steps
    assert first.source == "cse,func.func(cse)"
    assert mark == Mark(tiles=4)
    assert last.source == "canonicalize"
    assert pipeline.source == "builtin.module(cse,func.func(cse),test-mark{tiles=4},canonicalize)"


def test_resolve_empty_pipeline():
    assert P.resolve(P.parse_pipeline("")).steps == ()


def test_resolve_rejects_other_top_level_anchors():
    error = error_of(P.resolve, P.parse_pipeline("func.func(cse)"))
    assert error.message == (
        "the pass pipeline must be anchored on 'builtin.module', not 'func.func'"
    )


def test_resolve_rejects_nested_rcbc_passes():
    text = "builtin.module(func.func(cse,test-mark))"
    error = error_of(P.resolve, P.parse_pipeline(text))
    assert error.message == (
        "'test-mark' is an rcbc pass: it can only run on the top-level 'builtin.module', "
        "not nested under 'func.func'"
    )
    assert error.position == text.index("test-mark")


def test_resolve_reports_option_errors_at_the_pass():
    text = "builtin.module(cse,test-mark{tiles=x})"
    error = error_of(P.resolve, P.parse_pipeline(text))
    assert error.message == "option 'tiles' of pass 'test-mark' expects an int, got 'x'"
    assert error.position == text.index("test-mark")


# -- building ---------------------------------------------------------------------------------


def build(text, context):
    return P.resolve(P.parse_pipeline(text)).build(context)


def test_build_mixes_python_and_upstream_passes(context):
    pm = build("builtin.module(test-mark{tiles=3},func.func(cse))", context)
    assert str(pm) == "builtin.module(test-mark{tiles=3},func.func(cse))"
    module = ir.Module.parse("func.func @f() { return }", context)
    pm.run(module.operation)
    assert str(module.operation.attributes["test.mark"]) == "3 : i64"


def test_dump_pass_manager_shows_all_upstream_options(context):
    dump = P.dump_pass_manager(build("builtin.module(test-mark,func.func(canonicalize))", context))
    lines = dump.splitlines()
    assert lines[:4] == [
        "Pass Manager with 2 passes:",
        "builtin.module(",
        "  test-mark,",
        "  func.func(",
    ]
    assert lines[4].startswith("    canonicalize{") and "max-iterations=10" in lines[4]
    assert lines[5:] == ["  )", ")"]


def test_unknown_upstream_pass_suggests_upstream_and_rcbc_names(context):
    text = "builtin.module(cse,func.func(canonicalise))"
    error = error_of(build, text, context)
    assert error.message == (
        "'canonicalise' does not refer to a registered pass or pass pipeline; "
        "did you mean 'canonicalize'?"
    )
    assert error.position == text.index("canonicalise")
    assert error_of(build, "builtin.module(test-marc)", context).message.endswith(
        "did you mean 'test-mark'?"
    )


def test_bad_upstream_option_includes_mlirs_explanation(context):
    text = "builtin.module(cse,canonicalize{max-iterations=many})"
    error = error_of(build, text, context)
    assert error.message == (
        "failed to add `canonicalize` with options `max-iterations=many`: "
        "for the --max-iterations option: 'many' value invalid for long argument!"
    )
    assert error.position == text.index("canonicalize")


def test_other_upstream_errors_keep_mlirs_message(context, monkeypatch):
    class RejectingPassManager:
        def __init__(self, anchor, context):
            pass

        def add(self, text):
            raise ValueError("something unusual\n")

    monkeypatch.setattr(P, "PassManager", RejectingPassManager)
    error = error_of(build, "builtin.module(cse,func.func(cse))", context)
    assert error.message == "MLIR rejected 'cse,func.func(cse)': something unusual"
    assert error.position == len("builtin.module(")


def test_pass_names(context):
    assert P.is_pass_name("cse", context)
    assert P.is_pass_name("test-mark", context)
    assert not P.is_pass_name("no-such-pass", context)
    assert P.close_pass_names("canonicalise", context) == ["canonicalize"]
    assert P.close_pass_names("test-marc", context) == ["test-mark"]


def test_suggested_upstream_passes_exist(context):
    missing = [name for name in P.UPSTREAM_PASSES if not P.is_pass_name(name, context)]
    assert missing == []
