"""Diagnostics: conversion from the bindings, mlir-opt's printing, and --verify-diagnostics."""

from __future__ import annotations

import io

import pytest

from rcbc.diagnostics import (
    Diagnostic,
    DiagnosticPrinter,
    DiagnosticVerifier,
    FileLoc,
    Location,
    Severity,
    compile_expectation_regex,
    from_mlir,
    parse_expectations,
)
from rcbc.mlir import ir
from rcbc.source import Chunk, SourceFile

ERROR, WARNING, NOTE, REMARK = Severity.ERROR, Severity.WARNING, Severity.NOTE, Severity.REMARK


def source(*lines: str, name: str = "in.mlir") -> SourceFile:
    return SourceFile(name, "\n".join(lines) + "\n")


def at(line: int, column: int = 1, file: str = "in.mlir") -> Location:
    return Location(FileLoc(file, line, column), f'loc("{file}":{line}:{column})')


UNKNOWN = Location(None)


def diag(severity, message, location, *notes) -> Diagnostic:
    return Diagnostic(severity, message, location, tuple(notes))


# -- printing ---------------------------------------------------------------------------------


def printed(src: SourceFile, *diagnostics: Diagnostic) -> str:
    stream = io.StringIO()
    printer = DiagnosticPrinter(src, stream)
    for diagnostic in diagnostics:
        printer.emit(diagnostic)
    return stream.getvalue()


def test_print_with_source_line_and_caret():
    src = source("func.func @f() {", "  return %0 : i64", "}")
    assert printed(src, diag(ERROR, "bad type", at(2, 10))) == (
        "in.mlir:2:10: error: bad type\n  return %0 : i64\n         ^\n"
    )


def test_print_notes_show_source_only_where_the_location_changes():
    src = source("a", "b")
    note_here = diag(NOTE, "same place", at(1))
    note_there = diag(NOTE, "elsewhere", at(2))
    assert printed(src, diag(ERROR, "e", at(1), note_here, note_there)) == (
        "in.mlir:1:1: error: e\na\n^\n"
        "in.mlir:1:1: note: same place\n"
        "in.mlir:2:1: note: elsewhere\nb\n^\n"
    )


def test_print_unknown_and_named_locations():
    named = Location(None, 'loc("conv1")')
    assert printed(source(), diag(ERROR, "lost", UNKNOWN), diag(WARNING, "w", named)) == (
        "<unknown>:0: error: lost\n<unknown>:0: warning: loc(\"conv1\"): w\n"
    )


def test_print_without_source_line():
    src = source("only line")
    assert printed(
        src,
        diag(REMARK, "past the end", at(5)),
        diag(ERROR, "column zero", at(1, 0)),
        diag(ERROR, "column past the line", at(1, 20)),
        diag(ERROR, "other file", at(1, 1, file="does/not/exist.mlir")),
    ) == (
        "in.mlir:5:1: remark: past the end\n"
        "in.mlir:1:0: error: column zero\n"
        "in.mlir:1:20: error: column past the line\n"
        "does/not/exist.mlir:1:1: error: other file\n"
    )


def test_print_reads_other_files_named_by_locations(tmp_path):
    model = tmp_path / "model.py"
    model.write_text("def forward(x):\n    return conv(x)\n")
    loc = at(2, 12, file=str(model))
    assert printed(source(), diag(ERROR, "here", loc)) == (
        f"{model}:2:12: error: here\n    return conv(x)\n           ^\n"
    )


def test_print_call_stack_as_notes():
    caller = at(2)
    callee = Location(FileLoc("in.mlir", 1, 1), "loc(callsite(...))", (caller, UNKNOWN))
    assert printed(source("a", "b"), diag(ERROR, "e", callee)) == (
        "in.mlir:1:1: error: e\na\n^\n"
        "in.mlir:2:1: note: called from\nb\n^\n"
        "<unknown>:0: note: called from\n"
    )


def test_print_expands_tabs_and_counts_columns_in_bytes():
    src = source("\tx", "é = y")
    assert printed(src, diag(ERROR, "t", at(1, 2)), diag(ERROR, "u", at(2, 6))) == (
        "in.mlir:1:2: error: t\n        x\n        ^\n"
        "in.mlir:2:6: error: u\né = y\n    ^\n"
    )


def test_print_marks_a_range():
    stream = io.StringIO()
    printer = DiagnosticPrinter(source("// expected-error {{abc}}"), stream)
    printer.at(FileLoc("in.mlir", 1, 4), ERROR, "m", length=6)
    printer.at(FileLoc("in.mlir", 1, 20), ERROR, "clipped", length=50)
    assert stream.getvalue() == (
        "in.mlir:1:4: error: m\n// expected-error {{abc}}\n   ^~~~~~\n"
        "in.mlir:1:20: error: clipped\n// expected-error {{abc}}\n                   ^~~~~~\n"
    )


# -- designators ------------------------------------------------------------------------------


def expectations(*lines: str, first_line: int = 1):
    return parse_expectations(Chunk(source(*lines), first_line, list(lines)))


def test_designator_kinds_and_text():
    found, malformed = expectations(
        "// expected-error {{e1}}",
        "// expected-warning{{w}}",
        "// expected-note  {{n {{x}} }}",
        "x // expected-remark {{r}}  ",
        "// expected-errors {{not a designator}}",
        "// expected-error {{unterminated}",
    )
    assert malformed == []
    assert [(e.severity, e.line, e.text) for e in found] == [
        (ERROR, 1, "e1"),
        (WARNING, 2, "w"),
        (NOTE, 3, "n {{x}} "),
        (REMARK, 4, "r"),
    ]
    assert [e.location for e in found] == [
        FileLoc("in.mlir", 1, 4),
        FileLoc("in.mlir", 2, 4),
        FileLoc("in.mlir", 3, 4),
        FileLoc("in.mlir", 4, 6),
    ]


def test_designator_offsets():
    found, _ = expectations(
        "op",  # 1
        "// expected-error @+2 {{plus}}",  # 2
        "// expected-error @-1 {{minus}}",  # 3
        "// expected-error@above {{above}}",  # 4
        "// expected-error @below {{below}}",  # 5
        "",  # 6
        "// expected-error @unknown {{unknown}}",  # 7
        first_line=1,
    )
    assert [(e.text, e.line) for e in found] == [
        ("plus", 4),
        ("minus", 2),
        ("above", 1),
        ("below", 6),
        ("unknown", None),
    ]


def test_designator_lines_count_from_the_chunk_start():
    found, _ = expectations(
        "// expected-error @above {{a}}", "x", "// expected-error @-1 {{b}}", first_line=10
    )
    assert [(e.text, e.line) for e in found] == [("a", 10), ("b", 11)]
    assert found[1].location == FileLoc("in.mlir", 12, 4)


def test_dangling_below_stays_on_the_last_line():
    found, _ = expectations("x", "// expected-error @below {{b}}", first_line=5)
    assert found[0].line == 6


def test_regex_designators():
    found, malformed = expectations(
        "// expected-error-re {{op {{[0-9]+}} of {{.*}}}}",
        "// expected-error-re {{open {{regex}}",
        "// expected-error-re {{bad {{(}}}}",
    )
    assert found[0].matches("op 12 of anything")
    assert not found[0].matches("op x of y")
    assert [reason for _, reason in malformed] == [
        "found start of regex with no end '}}'",
        "invalid regex: missing ), unterminated subpattern at position 0",
    ]


def test_plain_designators_match_substrings_literally():
    (expectation,), _ = expectations("// expected-error {{a {{.*}} b}}")
    assert expectation.matches("x a {{.*}} b y")
    assert not expectation.matches("a anything b")


@pytest.mark.parametrize(
    ("text", "pattern"),
    [("abc", "abc"), ("a.b{{[0-9]}}", r"a\.b([0-9])"), ("{{x}}{{y}}z", "(x)(y)z")],
)
def test_compile_expectation_regex(text, pattern):
    assert compile_expectation_regex(text).pattern == pattern


# -- verification -----------------------------------------------------------------------------


def verify(lines, *diagnostics, first_line=1):
    """Whether `diagnostics` verify against the designators in `lines`, and what was printed."""
    src = source(*([""] * (first_line - 1) + list(lines)))
    stream = io.StringIO()
    chunk = Chunk(src, first_line, list(lines))
    verifier = DiagnosticVerifier(chunk, DiagnosticPrinter(src, stream))
    for diagnostic in diagnostics:
        verifier.handle(diagnostic)
    return verifier.finish(), stream.getvalue()


def test_expected_diagnostics_verify():
    lines = ["// expected-error @+1 {{bad}}", "op", "// expected-note @-2 {{here}}"]
    error = diag(ERROR, "a bad op", at(2), diag(NOTE, "declared here", at(1)))
    assert verify(lines, error) == (True, "")


def test_one_designator_absorbs_identical_diagnostics():
    lines = ["op // expected-error {{bad}}"]
    assert verify(lines, diag(ERROR, "bad", at(1)), diag(ERROR, "bad", at(1))) == (True, "")


def test_each_diagnostic_matches_one_designator():
    lines = ["op // expected-error {{bad}}", "// expected-error @-1 {{bad}}"]
    ok, out = verify(lines, diag(ERROR, "bad", at(1)))
    assert not ok
    assert 'in.mlir:2:4: error: expected error "bad" was not produced' in out


def test_see_current_operation_notes_are_not_checked():
    lines = ["op // expected-error {{bad}}"]
    error = diag(ERROR, "bad", at(1), diag(NOTE, "see current operation: op", at(1)))
    assert verify(lines, error) == (True, "")


def test_unexpected_diagnostic():
    ok, out = verify(["op"], diag(WARNING, "odd", at(1)))
    assert not ok
    assert out == "in.mlir:1:1: error: unexpected warning: odd\nop\n^\n"


def test_unexpected_note_of_an_expected_error():
    lines = ["op // expected-error {{bad}}"]
    ok, out = verify(lines, diag(ERROR, "bad", at(1), diag(NOTE, "n", at(1))))
    assert not ok
    assert out.startswith("in.mlir:1:1: error: unexpected note: n\n")


def test_wrong_line_is_unexpected_and_unmatched():
    lines = ["// expected-error @+1 {{bad}}", "op", "op"]
    ok, out = verify(lines, diag(ERROR, "bad", at(3)))
    assert not ok
    assert out == (
        "in.mlir:3:1: error: unexpected error: bad\nop\n^\n"
        'in.mlir:1:4: error: expected error "bad" was not produced\n'
        "// expected-error @+1 {{bad}}\n   ^~~\n"
    )


def test_severity_mismatch_is_a_near_miss():
    lines = ["op // expected-warning {{odd}}"]
    ok, out = verify(lines, diag(REMARK, "odd", at(1)))
    assert not ok
    assert out.splitlines()[0] == (
        "in.mlir:1:7: error: 'remark' diagnostic emitted when expecting a 'warning'"
    )
    assert 'expected warning "odd" was not produced' in out


def test_unknown_location_designators():
    lines = ["op", "// expected-error @unknown {{lost}}"]
    assert verify(lines, diag(ERROR, "lost", UNKNOWN)) == (True, "")
    ok, out = verify(["op"], diag(ERROR, "lost", UNKNOWN))
    assert (ok, out) == (False, "<unknown>:0: error: unexpected error: lost\n")


def test_unknown_location_designators_are_reported_last():
    lines = ["// expected-error @unknown {{u}}", "op // expected-error {{f}}"]
    _, out = verify(lines)
    assert [line.split(": error: ")[1] for line in out.splitlines() if ": error: " in line] == [
        'expected error "f" was not produced',
        'expected error "u" was not produced',
    ]


def test_a_file_designator_does_not_match_unknown_locations():
    lines = ["op // expected-error {{lost}}"]
    ok, _ = verify(lines, diag(ERROR, "lost", UNKNOWN))
    assert not ok


def test_diagnostics_in_other_files_are_unexpected():
    lines = ["op // expected-error {{bad}}"]
    ok, out = verify(lines, diag(ERROR, "bad", at(1, 1, file="other.mlir")))
    assert not ok
    assert out.startswith("other.mlir:1:1: error: unexpected error: bad\n")


def test_malformed_designators_fail_verification():
    ok, out = verify(["// expected-error-re {{a {{b}}"])
    assert not ok
    assert out == (
        "in.mlir:1:4: error: found start of regex with no end '}}'\n"
        "// expected-error-re {{a {{b}}\n   ^~~~~\n"
    )


def test_line_numbers_of_a_later_chunk():
    lines = ["op", "// expected-error @-1 {{bad}}"]
    assert verify(lines, diag(ERROR, "bad", at(41)), first_line=41) == (True, "")


# -- from the bindings ------------------------------------------------------------------------


def captured(text: str, src: SourceFile) -> list[Diagnostic]:
    """The diagnostics of parsing `text`, as records."""
    found = []
    with ir.Context() as context:
        context.emit_error_diagnostics = True
        context.attach_diagnostic_handler(lambda d: found.append(from_mlir(d, src)) or True)
        with pytest.raises(ir.MLIRError):
            ir.Module.parse(text)
    return found


def test_from_mlir_names_the_source_and_keeps_notes():
    text = "func.func @f(%a: i32) -> i32 {\n  %0 = arith.addi %a, %a : i32\n  return %0 : i64\n}"
    (error,) = captured(text, SourceFile("model.mlir", text))
    assert error.severity is ERROR
    assert error.message.startswith("use of value '%0' expects different type")
    assert error.location.file_loc == FileLoc("model.mlir", 3, 10)
    (note,) = error.notes
    assert (note.severity, note.message) == (NOTE, "prior use here")
    assert note.location.file_loc == FileLoc("model.mlir", 2, 3)


@pytest.mark.parametrize(
    ("loc", "file_loc", "callers"),
    [
        ('"a.mlir":1:2', FileLoc("a.mlir", 1, 2), []),
        ('"name"("a.mlir":1:2)', FileLoc("a.mlir", 1, 2), []),
        ('"name"', None, []),
        ("unknown", None, []),
        ('fused["name", "a.mlir":1:2, "b.mlir":3:4]', FileLoc("a.mlir", 1, 2), []),
        (
            'callsite("a.mlir":1:2 at callsite("b.mlir":3:4 at "c.mlir":5:6))',
            FileLoc("a.mlir", 1, 2),
            [FileLoc("b.mlir", 3, 4), FileLoc("c.mlir", 5, 6)],
        ),
    ],
)
def test_from_mlir_locations(loc, file_loc, callers):
    text = f"func.func @f(%a: i32) -> i64 {{\n  return %a : i32 loc({loc})\n}}"
    error = captured(text, SourceFile("x.mlir", text))[0]
    assert error.location.file_loc == file_loc
    assert [c.file_loc for c in error.location.callers] == callers
    assert error.location.is_unknown == (loc == "unknown")
