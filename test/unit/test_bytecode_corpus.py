"""The RCB file corpus (test/Bytecode/corpus): every malformed file is rejected with exactly the
rule and byte offset of its manifest line, every rule of spec section 6 has a file, the valid
files load and list as checked in, and the generator reproduces every checked-in byte."""

import importlib.util
import re
from pathlib import Path

import pytest

from rcbc.bytecode import BytecodeError, assemble, decode, disassemble

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "test" / "Bytecode" / "corpus"
SPEC = REPO / "docs" / "rcb-bytecode.md"


def manifest() -> list[tuple[str, str, int]]:
    entries = []
    for line in (CORPUS / "manifest.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, rule, offset = line.split("#")[0].split()
            entries.append((name, rule, int(offset, 16)))
    return entries


MANIFEST = manifest()
VALID = sorted((CORPUS / "valid").glob("*.rcb"))


@pytest.mark.parametrize("name, rule, offset", MANIFEST, ids=[m[0] for m in MANIFEST])
def test_malformed_file_is_rejected_with_its_rule_and_offset(name, rule, offset):
    with pytest.raises(BytecodeError) as e:
        decode((CORPUS / name).read_bytes())
    assert (e.value.rule, hex(e.value.offset)) == (rule, hex(offset)), str(e.value)


def test_every_malformed_file_is_in_the_manifest():
    on_disk = {f"malformed/{p.name}" for p in (CORPUS / "malformed").iterdir()}
    assert on_disk == {name for name, _, _ in MANIFEST}


def test_every_rule_of_the_specification_has_a_malformed_file():
    section6 = SPEC.read_text().split("## 6. Validation")[1].split("\n## ")[0]
    rules = set(re.findall(r"^\| `([a-z-]+)` \|", section6, re.M))
    assert len(rules) > 40
    assert rules == {rule for _, rule, _ in MANIFEST}


@pytest.mark.parametrize("path", VALID, ids=[p.stem for p in VALID])
def test_valid_file_loads_and_lists_as_checked_in(path):
    data = path.read_bytes()
    decode(data)
    listing = path.with_suffix(".lst").read_text()
    assert disassemble(data) == listing
    assert assemble(listing) == data


def test_the_generator_reproduces_the_checked_in_corpus(tmp_path):
    spec = importlib.util.spec_from_file_location("make_corpus", CORPUS / "make_corpus.py")
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    generator.write(tmp_path)
    generated = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    checked_in = sorted(
        p.relative_to(CORPUS) for p in CORPUS.rglob("*") if p.is_file() and p.suffix in (".rcb", ".lst", ".txt")
    )
    assert generated == checked_in
    for rel in generated:
        assert (tmp_path / rel).read_bytes() == (CORPUS / rel).read_bytes(), rel
