"""Diagnostics as ``mlir-opt`` prints them and as ``--verify-diagnostics`` checks them.

`from_mlir` turns a diagnostic of the bindings (from ``Context.attach_diagnostic_handler``) into
a plain `Diagnostic`. `DiagnosticPrinter` prints it as MLIR's ``SourceMgrDiagnosticHandler``
does::

    model.mlir:9:10: error: use of value '%0' expects different type than prior uses
      return %0 : i64
             ^

`DiagnosticVerifier` checks diagnostics against the designators written in a chunk, with the
semantics of MLIR's ``SourceMgrDiagnosticVerifierHandler``::

    // expected-error @+1 {{expects different type}}      next line; also @-N, @above, @below
    // expected-note-re {{see {{[a-z]+}} here}}            -re: {{...}} parts are regexes
    // expected-remark @unknown {{...}}                     a diagnostic without a file location

A designator matches a diagnostic of its severity, on its line, whose message contains its text.
Diagnostics nobody expected and designators nothing matched are both errors.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from typing import TextIO

from rcbc.mlir import ir
from rcbc.source import Chunk, SourceFile, read_source, source_name

CALL_STACK_LIMIT = 10  # as MLIR's SourceMgrDiagnosticHandler
SEE_CURRENT_OPERATION = "see current operation: "

_DESIGNATOR = re.compile(
    r"expected-(error|note|remark|warning)(-re)? *(@([+-][0-9]+|above|below|unknown))? *"
    r"\{\{(.*)\}\}$"
)


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"
    REMARK = "remark"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class FileLoc:
    """A position in a file: 1-based line and byte column (0 for unknown)."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Location:
    """Where a diagnostic points.

    `file_loc` is the first file position inside the MLIR location (None if there is none),
    `text` the location as MLIR prints it, and `callers` the call stack of a call-site location.
    """

    file_loc: FileLoc | None
    text: str = "loc(unknown)"
    callers: tuple[Location, ...] = ()

    @property
    def is_unknown(self) -> bool:
        return self.text == "loc(unknown)"


@dataclass(frozen=True)
class Diagnostic:
    severity: Severity
    message: str
    location: Location
    notes: tuple[Diagnostic, ...] = ()


# -- from the bindings ------------------------------------------------------------------------


def from_mlir(diagnostic: ir.Diagnostic, source: SourceFile) -> Diagnostic:
    """`diagnostic` as a record, the parser's file name replaced by the source's name."""
    return Diagnostic(
        severity=Severity[diagnostic.severity.name],
        message=diagnostic.message,
        location=_location(diagnostic.location, source, with_callers=True),
        notes=tuple(from_mlir(note, source) for note in diagnostic.notes),
    )


def _location(loc: ir.Location, source: SourceFile, with_callers: bool = False) -> Location:
    file_loc = _first_file_loc(loc)
    if file_loc is not None:
        file_loc = FileLoc(source_name(file_loc.file, source), file_loc.line, file_loc.column)
    callers = _callers(loc, source) if with_callers else ()
    return Location(file_loc, str(loc), callers)


def _first_file_loc(loc: ir.Location) -> FileLoc | None:
    if isinstance(loc, ir.FileLineColLoc):
        return FileLoc(loc.filename, loc.start_line, loc.start_col)
    if isinstance(loc, ir.NameLoc):
        return _first_file_loc(loc.child_loc)
    if isinstance(loc, ir.CallSiteLoc):
        return _first_file_loc(loc.callee) or _first_file_loc(loc.caller)
    if isinstance(loc, ir.FusedLoc):
        return next(filter(None, map(_first_file_loc, loc.locations)), None)
    return None


def _call_site(loc: ir.Location) -> ir.CallSiteLoc | None:
    if isinstance(loc, ir.CallSiteLoc):
        return loc
    if isinstance(loc, ir.NameLoc):
        return _call_site(loc.child_loc)
    if isinstance(loc, ir.FusedLoc):
        return next(filter(None, map(_call_site, loc.locations)), None)
    return None


def _callers(loc: ir.Location, source: SourceFile) -> tuple[Location, ...]:
    callers = []
    call = _call_site(loc)
    while call is not None and len(callers) < CALL_STACK_LIMIT:
        callers.append(_location(call.caller, source))
        call = _call_site(call.caller)
    return tuple(callers)


# -- printing ---------------------------------------------------------------------------------


class DiagnosticPrinter:
    """Prints diagnostics as ``file:line:col: severity: message`` with the source line shown.

    Lines of files other than the input are read from disk when a location names them, as MLIR
    does (the frontend's locations point into Python sources).
    """

    def __init__(self, source: SourceFile, stream: TextIO):
        self.stream = stream
        self._sources: dict[str, SourceFile | None] = {source.name: source}

    def emit(self, diagnostic: Diagnostic) -> None:
        """`diagnostic`, then a "called from" note per caller, then its notes."""
        location = diagnostic.location
        self.message(location, diagnostic.severity, diagnostic.message)
        for caller in location.callers:
            self.message(caller, Severity.NOTE, "called from")
        previous = location.callers[-1] if location.callers else location
        for note in diagnostic.notes:
            self.message(note.location, note.severity, note.message, note.location != previous)
            previous = note.location

    def message(
        self, location: Location, severity: Severity, message: str, show_source: bool = True
    ) -> None:
        """One message at `location`; one without a file position is printed at <unknown>."""
        if location.file_loc is None:
            prefix = "" if location.is_unknown else f"{location.text}: "
            self._write(f"<unknown>:0: {severity}: {prefix}{message}")
        else:
            self.at(location.file_loc, severity, message, show_source=show_source)

    def at(
        self,
        file_loc: FileLoc,
        severity: Severity,
        message: str,
        length: int = 1,
        show_source: bool = True,
    ) -> None:
        """One message at `file_loc`, marking `length` characters of the source line."""
        lines = [f"{file_loc}: {severity}: {message}"]
        if show_source:
            lines += self._source_excerpt(file_loc, length)
        self._write("\n".join(lines))

    def _source_excerpt(self, file_loc: FileLoc, length: int) -> list[str]:
        source = self._source(file_loc.file)
        line = source.line(file_loc.line) if source is not None else None
        if line is None or file_loc.column < 1:
            return []
        encoded = line.encode()
        if file_loc.column > len(encoded) + 1:
            return []
        before = encoded[: file_loc.column - 1].decode(errors="replace").expandtabs()
        marked = max(1, min(length, len(line.expandtabs()) - len(before)))
        return [line.expandtabs(), " " * len(before) + "^" + "~" * (marked - 1)]

    def _source(self, name: str) -> SourceFile | None:
        if name not in self._sources:
            try:
                self._sources[name] = read_source(name) if name != "-" else None
            except (OSError, UnicodeDecodeError):
                self._sources[name] = None
        return self._sources[name]

    def _write(self, text: str) -> None:
        self.stream.write(text + "\n")
        self.stream.flush()


# -- verification -----------------------------------------------------------------------------


@dataclass
class Expectation:
    """One ``expected-<severity>`` designator."""

    severity: Severity
    line: int | None  # None for @unknown: matches diagnostics without a file location
    location: FileLoc  # where the designator is written
    text: str  # between the outer {{ }}
    pattern: re.Pattern[str] | None = None  # for expected-<severity>-re
    matched: bool = field(default=False, compare=False)

    def matches(self, message: str) -> bool:
        if self.pattern is not None:
            return self.pattern.search(message) is not None
        return self.text in message


def compile_expectation_regex(text: str) -> re.Pattern[str]:
    """The regex of an ``-re`` designator: text outside ``{{...}}`` literal, inside a regex.

    Raises ValueError naming the problem as MLIR does.
    """
    parts = []
    rest = text
    while "{{" in rest:
        literal, rest = rest.split("{{", 1)
        if "}}" not in rest:
            raise ValueError("found start of regex with no end '}}'")
        regex, rest = rest.split("}}", 1)
        try:
            re.compile(regex)
        except re.error as e:
            raise ValueError(f"invalid regex: {e}") from None
        parts += [re.escape(literal), f"({regex})"]
    return re.compile("".join(parts) + re.escape(rest))


def parse_expectations(chunk: Chunk) -> tuple[list[Expectation], list[tuple[Expectation, str]]]:
    """The designators written in `chunk`, and those that are malformed with the reason."""
    expectations: list[Expectation] = []
    malformed: list[tuple[Expectation, str]] = []
    last_plain_line = chunk.first_line  # the last line that is not a designator
    below: list[Expectation] = []  # @below designators waiting for the next plain line
    for index, text in enumerate(chunk.lines):
        number = chunk.first_line + index
        match = _DESIGNATOR.search(text.rstrip())
        if match is None:
            for expectation in below:
                expectation.line = number
            below.clear()
            last_plain_line = number
            continue
        column = len(text[: match.start()].encode()) + 1
        expectation = Expectation(
            severity=Severity(match.group(1)),
            line=number,
            location=FileLoc(chunk.source.name, number, column),
            text=match.group(5),
        )
        if match.group(2):
            try:
                expectation.pattern = compile_expectation_regex(expectation.text)
            except ValueError as e:
                malformed.append((expectation, str(e)))
                continue
        offset = match.group(4)
        if offset is None:
            pass
        elif offset[0] in "+-":
            expectation.line = number + int(offset)
        elif offset == "unknown":
            expectation.line = None
        elif offset == "above":
            expectation.line = last_plain_line
        else:  # below; stays on the last line if nothing follows, as in MLIR
            expectation.line = chunk.first_line + len(chunk.lines) - 1
            below.append(expectation)
        expectations.append(expectation)
    return expectations, malformed


class DiagnosticVerifier:
    """``--verify-diagnostics`` for one chunk: `handle` each diagnostic, then call `finish`.

    Problems are printed as they are found, with the printer; `finish` reports the designators
    that nothing matched and says whether the chunk verified.
    """

    def __init__(self, chunk: Chunk, printer: DiagnosticPrinter):
        self.printer = printer
        self.source_name = chunk.source.name
        self.expectations, malformed = parse_expectations(chunk)
        for expectation, reason in malformed:
            self._report(expectation, reason)
        self.ok = not malformed

    def handle(self, diagnostic: Diagnostic) -> None:
        """Match `diagnostic` and each of its notes against the designators.

        The "see current operation" notes are skipped: ``mlir-opt --verify-diagnostics`` turns
        them off, which the bindings cannot do.
        """
        self._process(diagnostic)
        for note in diagnostic.notes:
            if not note.message.startswith(SEE_CURRENT_OPERATION):
                self._process(note)

    def finish(self) -> bool:
        """Report the designators nothing matched (@unknown ones last); whether all passed."""
        for expectation in sorted(self.expectations, key=lambda e: e.line is None):
            if not expectation.matched:
                message = f'expected {expectation.severity} "{expectation.text}" was not produced'
                self._report(expectation, message)
        return self.ok

    def _process(self, diagnostic: Diagnostic) -> None:
        near_miss = None
        for expectation in self._candidates(diagnostic.location.file_loc):
            if expectation.matches(diagnostic.message):
                if expectation.severity == diagnostic.severity:
                    expectation.matched = True
                    return
                near_miss = expectation
        self.ok = False
        if near_miss is not None:
            self.printer.at(
                near_miss.location,
                Severity.ERROR,
                f"'{diagnostic.severity}' diagnostic emitted when expecting a "
                f"'{near_miss.severity}'",
            )
        else:
            self.printer.message(
                diagnostic.location,
                Severity.ERROR,
                f"unexpected {diagnostic.severity}: {diagnostic.message}",
            )

    def _candidates(self, file_loc: FileLoc | None) -> list[Expectation]:
        if file_loc is None:
            return [e for e in self.expectations if e.line is None]
        if file_loc.file != self.source_name:
            return []
        return [e for e in self.expectations if e.line == file_loc.line]

    def _report(self, expectation: Expectation, message: str) -> None:
        self.ok = False
        self.printer.at(expectation.location, Severity.ERROR, message, len(expectation.text))
