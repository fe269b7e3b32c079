"""Reading a journal: lines end at "\\n" only, and every problem of encoding, syntax,
nesting or size is a refusal with its line number, from Python and from
`plandebt record` alike, with nothing written."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from plandebt import JournalError, Ledger
from plandebt.cli import main
from plandebt.cli.exits import OK, USAGE

CASE = "RG 24/00099"
OPENING = {
    "kind": "case.opened",
    "case": CASE,
    "id": "opening",
    "effective_on": "2024-04-08",
    "procedure": "sauvegarde",
    "court": "Tribunal de commerce de Lille",
    "debtor": "Filature Nord SAS",
}


def _creditor(ref: str, **fields: object) -> bytes:
    line = {
        "kind": "creditor.registered",
        "case": CASE,
        "effective_on": "2024-04-08",
        "creditor": ref,
        "name": f"Creditor {ref}",
        "creditor_kind": "supplier",
        **fields,
    }
    return json.dumps(line, ensure_ascii=False).encode()


GOOD = [json.dumps(OPENING).encode(), _creditor("A")]

#: name: (the journal's bytes, the line refused, words of the reason)
BAD: dict[str, tuple[bytes, int, list[str]]] = {
    "invalid UTF-8": (b"\n".join([*GOOD, b'{"kind": "\xe9"}']), 3, ["UTF-8", "0xe9"]),
    "a truncated UTF-8 sequence": (
        b"\n".join([*GOOD, _creditor("B")[:-3] + b"\xc3"]),
        3,
        ["UTF-8"],
    ),
    "UTF-16 with its byte-order mark": (
        "\n".join(g.decode() for g in GOOD).encode("utf-16"),
        1,
        ["UTF-16", "byte-order mark"],
    ),
    "UTF-16 without a byte-order mark": (
        "\n".join(g.decode() for g in GOOD).encode("utf-16-le"),
        1,
        ["NUL"],
    ),
    "UTF-32": ("\n".join(g.decode() for g in GOOD).encode("utf-32"), 1, ["UTF-32"]),
    "binary": (b"\n".join([*GOOD, bytes(range(256))]), 3, ["NUL"]),
    "binary without NUL": (
        b"\n".join([*GOOD, bytes(range(1, 10)) * 3]),
        3,
        ["not JSON"],
    ),
    "nested 100,000 deep": (
        b"\n".join([*GOOD, b"[" * 100_000 + b"]" * 100_000]),
        3,
        ["levels deep"],
    ),
    "nested 9 deep": (b"\n".join([*GOOD, b"[" * 9 + b"]" * 9]), 3, ["levels deep"]),
    "nested deep inside a correction": (
        b"\n".join(
            [
                *GOOD,
                json.dumps(
                    {
                        "kind": "fact.corrected",
                        "case": CASE,
                        "effective_on": "2024-05-01",
                        "corrects": "opening",
                        "changes": {"court": [[[[[[[["x"]]]]]]]]},
                    }
                ).encode(),
            ]
        ),
        3,
        ["levels deep"],
    ),
    "an integer of 5,000 digits": (
        b"\n".join([*GOOD, b'{"kind": ' + b"9" * 5000 + b"}"]),
        3,
        ["5,000 digits"],
    ),
    "an amount of superscript digits": (
        b"\n".join(
            [
                *GOOD,
                json.dumps(
                    {
                        "kind": "support.committed",
                        "case": CASE,
                        "effective_on": "2024-05-01",
                        "commitment": "K",
                        "investor": "H",
                        "tranches": [{"due_on": "2025-01-01", "amount": "100.²²"}],
                    }
                ).encode(),
            ]
        ),
        3,
        ["not an amount"],
    ),
    "a lone surrogate": (
        b"\n".join([*GOOD, _creditor("S").replace(b'"S"', b'"\\ud800"')]),
        3,
        ["surrogate"],
    ),
    "a lone surrogate written in UTF-8": (
        b"\n".join([*GOOD, _creditor("B")[:-1] + b', "x": "\xed\xa0\x80"}']),
        3,
        ["UTF-8"],
    ),
    "NaN": (b"\n".join([*GOOD, b'{"kind": NaN}']), 3, ["NaN"]),
    "Infinity": (b"\n".join([*GOOD, b'{"kind": -Infinity}']), 3, ["-Infinity"]),
    "a duplicate key": (
        b"\n".join([*GOOD, _creditor("B")[:-1] + b', "creditor": "C"}']),
        3,
        ["twice"],
    ),
    "a duplicate key in a nested object": (
        b"\n".join(
            [
                *GOOD,
                b'{"kind": "support.committed", "tranches": [{"a": 1, "a": 2}]}',
            ]
        ),
        3,
        ["twice"],
    ),
    "a line of 1,000,001 bytes": (
        b"\n".join([*GOOD, _creditor("B", name="x" * 1_000_000)]),
        3,
        ["at most 1,000,000"],
    ),
    "a form feed after the closing brace": (
        b"\n".join([GOOD[0], GOOD[1] + b"\x0c", _creditor("B")]),
        2,
        ["not JSON", "U+000C"],
    ),
    "a JSON array": (b"\n".join([*GOOD, b"[1, 2]"]), 3, ["JSON object"]),
    "a BOM on the second line": (
        b"\n".join([GOOD[0], b"\xef\xbb\xbf" + GOOD[1]]),
        2,
        ["not JSON"],
    ),
}


@pytest.mark.parametrize(("data", "line", "words"), BAD.values(), ids=BAD.keys())
def test_every_problem_of_a_journal_is_refused_with_its_line(
    data: bytes, line: int, words: list[str]
) -> None:
    ledger = Ledger.open("memory")
    with pytest.raises(JournalError) as refused:
        ledger.import_journal(data)
    assert refused.value.line == line
    for word in words:
        assert word in str(refused.value)
    assert list(ledger.export()) == []
    assert len(str(refused.value)) < 600  # a megabyte line is shown in a few words


@pytest.mark.parametrize(("data", "line", "words"), BAD.values(), ids=BAD.keys())
def test_record_refuses_every_problem_in_one_line_and_writes_nothing(
    data: bytes,
    line: int,
    words: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store, journal = tmp_path / "a.db", tmp_path / "bad.jsonl"
    journal.write_bytes(GOOD[0] + b"\n")
    assert main(["--db", str(store), "record", str(journal)]) == OK
    before = hashlib.sha256(store.read_bytes()).hexdigest()
    capsys.readouterr()
    # The case is opened: the journal registers a creditor on its first line.
    journal.write_bytes(data.replace(GOOD[0], _creditor("Z"), 1))
    assert main(["--db", str(store), "record", str(journal)]) == USAGE
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert len(captured.err.splitlines()) == 1, captured.err
    assert captured.err.startswith("plandebt: refused: ")
    assert f"line {line}: " in captured.err
    assert hashlib.sha256(store.read_bytes()).hexdigest() == before


def test_lines_end_at_a_line_feed_only() -> None:
    """U+2028, U+2029, U+0085 and other characters `str.splitlines` splits at do
    not end a line: in a description they are text, and line numbers stay right."""
    line = json.loads(_creditor("A"))
    declared = {
        "kind": "claim.declared",
        "case": CASE,
        "effective_on": "2024-05-01",
        "claim": "A-1",
        "creditor": "A",
        "amount": "10.00",
        "origin_on": "2024-01-01",
        "rank": "unsecured",
        "description": "a\u2028b\u2029c",
    }
    text = "\n".join(
        [
            json.dumps(OPENING),
            json.dumps(line),
            json.dumps(declared, ensure_ascii=False),
        ]
    )
    assert len(text.splitlines()) == 5  # what the journal must not do
    ledger = Ledger.open("memory")
    bad = text + "\n" + json.dumps(_creditor("B").decode())  # a string, not an object
    with pytest.raises(JournalError) as refused:
        ledger.import_journal(bad)
    assert refused.value.line == 4
    ledger.import_journal(text.encode())
    assert ledger.history(CASE)[-1].to_dict()["description"] == "a\u2028b\u2029c"
    # The other separators are controls: refused in a description, on their line.
    for char in "\x1c\x1d\x1e\x0b\x0c\x85":
        declared["description"] = f"a{char}b"
        journal = [json.dumps(declared | {"claim": "A-2"}, ensure_ascii=False)]
        with pytest.raises(JournalError) as refused:
            Ledger.open("memory").import_journal(
                "\n".join([json.dumps(OPENING), json.dumps(line), *journal])
            )
        assert refused.value.line == 3


def test_windows_line_ends_and_a_utf8_byte_order_mark_are_read() -> None:
    data = b"\xef\xbb\xbf" + b"\r\n".join(GOOD) + b"\r\n"
    ledger = Ledger.open("memory")
    assert len(ledger.import_journal(data)) == 2


def test_blank_lines_count_and_only_json_whitespace_is_blank() -> None:
    ledger = Ledger.open("memory")
    with pytest.raises(JournalError) as refused:
        ledger.import_journal(b"\n \t\r\n".join(GOOD) + b"\n\n\x0c\n")
    assert refused.value.line == 5  # the form feed's line is not blank
    assert len(Ledger.open("memory").import_journal(b"\n \t\r\n".join(GOOD))) == 2


def test_a_journal_may_be_given_whole_or_as_lines_of_text_bytes_or_dicts() -> None:
    as_text = [line.decode() for line in GOOD]
    for journal in (
        b"\n".join(GOOD),
        "\n".join(as_text),
        GOOD,
        as_text,
        [json.loads(line) for line in as_text],
    ):
        ledger = Ledger.open("memory")
        assert len(ledger.import_journal(journal)) == 2


def test_a_lone_surrogate_in_text_given_from_python_is_refused() -> None:
    ledger = Ledger.open("memory")
    line = GOOD[1].decode().replace("Creditor A", "Creditor \udc80")
    with pytest.raises(JournalError) as refused:
        ledger.import_journal([GOOD[0].decode(), line])
    assert refused.value.line == 2 and refused.value.field == "name"
