"""The Ledger: records facts about court cases and answers queries at any
(as_of, known_at).

Writing: a fact (or a batch) is checked by `decisions.decide` against the case as
currently stored, stamped with its recording position and time, then saved in one
transaction. A batch is all-or-nothing. Reading: each case is loaded into an index
once, then kept up to date fact by fact; queries never replay the store.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
from eventsourcing.persistence import IntegrityError, PersistenceError, StoredEvent

from plandebt import (
    crypto,
    decisions,
    integrity,
    personal,
    readmodel,
    snapshots,
    storage,
)
from plandebt.commands import CaseCommands
from plandebt.errors import (
    ConflictError,
    InvalidInputError,
    JournalError,
    StorageError,
    UnknownReferenceError,
)
from plandebt.events import Fact
from plandebt.integrity import (
    CaseIntegrity,
    ChainError,
    Head,
    IntegrityReport,
    Provenance,
)
from plandebt.journal import Claimed
from plandebt.projections.balances import Balances, balances
from plandebt.projections.index import CaseIndex, KnownAt
from plandebt.projections.plan import (
    PlanSchedule,
    PlanStatus,
    plan_schedule,
    plan_status,
)
from plandebt.projections.portfolio import Portfolio, portfolio, summary
from plandebt.ruleset import Ruleset
from plandebt.storage import (
    STARTED_TOPIC,
    CaseStream,
    LedgerApplication,
    advance,
    case_of,
    chain_of,
    environment,
    fact_of,
)

if TYPE_CHECKING:
    # Imported where used: a command that asks for balances need not load the
    # compliance rules or the statement (see `python -X importtime`).
    from plandebt.compliance import Report
    from plandebt.projections.employment import EmploymentView
    from plandebt.projections.statement import Statement
    from plandebt.projections.support import SupportView

Clock = Callable[[], datetime]
_V = TypeVar("_V", Balances, "Statement")
Progress = Callable[[int, int], None]  # (done, total)

#: How many times a write is decided again on the fresh state when a writer that
#: does not take the case's write lock saved first (see `_record_commands`).
WRITE_ATTEMPTS = 3


def utc_now() -> datetime:
    return datetime.now(UTC)


class _Case:
    """A loaded case: its stream (for the version the next save expects), its write
    state (what decisions read) and its read index (the state with query caches)."""

    def __init__(self, stream: CaseStream | None, ref: str) -> None:
        self.stream = stream
        self.state = decisions.initial_state(ref)
        self.index = CaseIndex(self.state)
        self.snapshot_at = 0  # the position the case's snapshots cover
        self.snapshots_known = False  # snapshot_at was read from the store
        self.pending: list[Fact] = []  # staged by a write, not yet committed
        self.texts: dict[int, str] = {}  # JSON of the facts the last write saved
        self.prune: list[tuple[list[int], int | None]] = []  # snapshots to delete
        self.gap = 0  # positions 1..gap have no snapshot though later ones do
        # The hash of the fact at the head (the genesis before the first; None: the
        # case was recorded before the hash chain), and the positions restored from
        # an unverified journal (plandebt.integrity).
        self.head_hash: str | None = integrity.genesis(ref)
        self.unverified: set[int] = set()
        # Of each staged fact: its journal form, its text and its link.
        self.links: list[tuple[dict[str, Any], str, integrity.Link | None]] = []

    def apply(self, fact: Fact) -> None:
        """One stamped fact into the state, then into the read caches."""
        decisions.evolve(self.state, fact)
        self.index.observe(fact)

    def follow(self, block: Any) -> None:
        """The chain block the stored event of the fact just applied carries."""
        link = None if block is None else integrity.Link.from_stored(block)
        if link is None:
            self.head_hash = None
            return
        self.head_hash = link.hash
        if link.unverified:
            self.unverified.add(self.state.head)

    def saved(self) -> None:
        """The staged facts are committed: the stream is at their version."""
        if not self.pending:
            return
        assert self.stream is not None
        at = self.pending[-1].recorded_at
        assert at is not None
        self.stream.collect_events()  # a new case's start event, now stored
        self.stream.version += len(self.pending)
        assert self.stream.version == self.state.head + 1
        self.stream.modified_on = at
        self.pending = []
        self.links = []


class Ledger(CaseCommands):
    """An event-sourced ledger of insolvency cases.

    >>> ledger = Ledger.open("memory")          # or "plandebt.db", "postgresql://..."
    """

    def __init__(
        self,
        app: LedgerApplication,
        clock: Clock = utc_now,
        snapshot_interval: int = 1000,
    ) -> None:
        self.app = app
        self.clock = clock
        self.snapshot_interval = snapshot_interval
        self._cases: dict[str, _Case] = {}
        self._case_refs: list[str] = []  # every case of the store, as scanned so far
        self._cases_scanned = 0  # the last notification id the scan covered
        self._writing = False  # inside a write session (see _load)
        self.personal = personal.of(app)  # sealing personal fields, erasure
        self._portfolio_top = -1  # the store's last notification id a portfolio saw
        self._models: dict[str, readmodel.Model] = {}  # read models loaded
        self._modelled: set[str] = set()  # cases whose model this ledger stored

    @classmethod
    def open(
        cls,
        target: str | os.PathLike[str] | None = None,
        clock: Clock = utc_now,
        snapshot_interval: int = 1000,
        *,
        key: str | None = None,
        key_file: str | os.PathLike[str] | None = None,
    ) -> Ledger:
        """Opens a store: "memory", a SQLite file path, or a PostgreSQL URL
        ("postgresql://user@host:5432/dbname?schema=name"). With no target, reads the
        PLANDEBT_DB environment variable, else uses memory. A case is snapshotted
        every `snapshot_interval` facts (0: never).

        An encrypted store (`plandebt.crypto`) is opened with its `key`, the key
        written in `key_file`, or else PLANDEBT_CIPHER_KEY or PLANDEBT_CIPHER_KEY_FILE;
        a wrong or missing key is an `errors.CipherKeyError`, nothing read or written."""
        env = environment(target) | crypto.cipher_environment(
            crypto.store_key(key, key_file)
        )
        # Opening creates the tables if missing. Two processes opening one PostgreSQL
        # store at once can collide on that DDL ("tuple concurrently updated"): the
        # statements are idempotent, so trying again is safe.
        for attempt in range(5):
            try:
                app = LedgerApplication(env=env)
                try:
                    crypto.check_store_key(app)
                    personal.of(app)  # the person key table, made if missing
                except BaseException:
                    app.close()  # its connections, which nothing else would close
                    raise
                break
            except PersistenceError as e:
                if attempt == 4 or "concurrently" not in str(e):
                    raise StorageError(f"cannot open the store {target!r}: {e}") from e
                time.sleep(0.05 * (attempt + 1))
            except OSError as e:
                raise StorageError(f"cannot open the store {target!r}: {e}") from e
        return cls(app, clock, snapshot_interval)

    def close(self) -> None:
        self.app.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- recording ------------------------------------------------------------------

    def record(self, fact: Fact, *, restore: bool = False) -> Fact:
        """Records one fact and returns it stamped (seq, recorded_at). If its
        client_ref was already used for the same fact, returns the recorded one and
        writes nothing."""
        return self.record_all([fact], restore=restore)[0]

    def execute(self, command: decisions.Command) -> list[Fact]:
        """Records every fact a command implies (see `decisions.commands`), atomically,
        and returns them stamped."""
        return self._record_commands([command], restore=False, progress=None)

    def _record_claimed(
        self,
        facts: list[Fact],
        claims: list[Claimed | None] | None,
        progress: Progress | None,
        keys: personal.GivenKeys,
    ) -> list[Fact]:
        for fact in facts:
            fact.check()
        commands: list[decisions.Command] = [decisions.Record(f) for f in facts]
        return self._record_commands(
            commands, restore=True, progress=progress, claims=claims, keys=keys
        )

    def record_all(
        self,
        facts: Iterable[Fact],
        *,
        restore: bool = False,
        progress: Progress | None = None,
    ) -> list[Fact]:
        """Records facts atomically: all of them, or (on any refusal) none.

        With `restore=True`, facts keep the `recorded_at` they carry (a restore from
        an export), which must not go back in time within a case nor be later than
        now; no hash chain proves them, so they are marked unverified (a journal
        with its chain is restored verified by `import_journal`). `progress(done,
        total)` is called as the facts are checked (for long imports)."""
        return self._record_facts(facts, restore, progress, None)

    def _record_facts(
        self,
        facts: Iterable[Fact],
        restore: bool,
        progress: Progress | None,
        keys: personal.GivenKeys | None,
    ) -> list[Fact]:
        commands: list[decisions.Command] = []
        for fact in facts:
            if not isinstance(fact, Fact):
                raise InvalidInputError("fact", fact, "is not a plandebt fact")
            fact.check()  # the bounds at the door, for a fact built directly too
            commands.append(decisions.Record(fact))
        return self._record_commands(
            commands, restore=restore, progress=progress, keys=keys
        )

    def _record_commands(
        self,
        commands: list[decisions.Command],
        *,
        restore: bool,
        progress: Progress | None,
        claims: list[Claimed | None] | None = None,
        keys: personal.GivenKeys | None = None,
    ) -> list[Fact]:
        refs = sorted({command.case for command in commands})
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                results, touched = self._write(
                    commands, refs, restore, progress, claims, keys
                )
                break
            except IntegrityError as e:
                # A writer that does not take the case's write lock saved first.
                # The commands are decided again on the fresh state (all of them:
                # nothing of this attempt was written).
                if attempt == WRITE_ATTEMPTS:
                    raise ConflictError(
                        "another writer recorded facts in the same case "
                        f"first ({WRITE_ATTEMPTS} attempts); nothing was written, "
                        "retry"
                    ) from e
        for case in touched:
            self._snapshot_as_due(case)
            case.texts = {}
        return results

    def _write(
        self,
        commands: list[decisions.Command],
        refs: list[str],
        restore: bool,
        progress: Progress | None,
        claims: list[Claimed | None] | None = None,
        keys: personal.GivenKeys | None = None,
    ) -> tuple[list[Fact], list[_Case]]:
        """One attempt: under the cases' write lock, read what others recorded,
        decide, stamp, encode and insert, in one transaction."""
        touched: dict[str, _Case] = {}
        results: list[Fact] = []
        # A case read for the first time is read before the lock (it may take a
        # while, and nothing waits for it); under the lock, only what others
        # recorded since.
        for ref in refs:
            if ref not in self._cases:
                self._load(ref)
        try:
            with (
                storage.writing(
                    self.app, [CaseStream.create_id(ref) for ref in refs]
                ) as session,
                self._in_write(),
            ):
                # Recording times are taken now that no other writer of these cases
                # can commit before us: a reader that asks about a time before this
                # one has waited for every writer holding the lock (architecture,
                # principle 8; docs/reliability.md).
                now = self.clock()
                # The person keys a journal gives, before any field is sealed.
                for (ref, person), (line, key) in (keys or {}).items():
                    try:
                        self.personal.adopt(session, ref, person, key)
                    except InvalidInputError as e:
                        raise JournalError(line, e) from e
                for position, command in enumerate(commands):
                    if progress is not None and position % 1000 == 0:
                        progress(position, len(commands))
                    session.keepalive()
                    case = touched.get(command.case)
                    if case is None:
                        case = self._load(command.case, fresh=True)
                        touched[command.case] = case
                    claim = (
                        _NO_CLAIM if claims is None else (claims[position] or _MISSING)
                    )
                    try:
                        results.extend(
                            self._stage(case, command, now, restore, claim, session)
                        )
                    except InvalidInputError as e:
                        e.position = position  # type: ignore[attr-defined]
                        raise
                stored = self._encode(touched.values(), session)
                session.insert(stored)
                session.set_heads(
                    [
                        (c.stream.id, c.state.head, c.head_hash)
                        for c in touched.values()
                        if c.pending and c.stream is not None and c.head_hash
                    ]
                )
        except BaseException:
            self._forget(touched)
            raise
        for case in touched.values():
            case.saved()
            snapshots.tidy(self.app, case, self.snapshot_interval)
        return results, list(touched.values())

    @contextlib.contextmanager
    def _in_write(self) -> Iterator[None]:
        self._writing = True
        try:
            yield
        finally:
            self._writing = False

    def _encode(
        self, cases: Iterable[_Case], session: storage.WriteSession
    ) -> list[StoredEvent]:
        stored: list[StoredEvent] = []
        encoder = self.app.encoder
        direct = encoder.direct()
        for case in cases:
            if not case.pending:
                continue
            assert case.stream is not None
            stream_id = case.stream.id
            if case.stream.pending_events:  # a new case: its start
                stored.extend(
                    self.app.mapper.to_stored_event(e)
                    for e in case.stream.pending_events
                )
            version = case.stream.version
            for fact, (data, journal, link) in zip(
                case.pending, case.links, strict=True
            ):
                version += 1
                assert fact.recorded_at is not None and fact.seq is not None
                # The text the link was computed over, personal fields sealed
                # (`_link`), is the stored text.
                text = journal if direct else None
                if text is not None:  # kept for the snapshots taken after the save
                    case.texts[fact.seq] = journal
                chain = None if link is None else link.to_stored()
                stored.append(
                    encoder.recorded(
                        stream_id, version, fact.recorded_at, data, text, chain
                    )
                )
                session.keepalive()
        return stored

    # --- snapshots ----------------------------------------------------------------------

    def snapshot(self, case: str) -> int:
        """Stores the snapshots of the case up to now, so that a later load reads a
        few documents and the events after them instead of the whole stream.
        Taken every `snapshot_interval` facts (1,000 by default) as cases grow.
        Returns the position they cover. See `plandebt.snapshots`: each snapshot
        holds the facts since the previous one, so "as known at K" answers stay the
        same and nothing is stored twice."""
        loaded = self._load(case, fresh=True)
        assert loaded.stream is not None
        try:
            snapshots.write(self.app, loaded, self.snapshot_interval, to_head=True)
        except PersistenceError as e:
            raise StorageError(f"cannot store a snapshot of {case}: {e}") from e
        return loaded.snapshot_at

    def _snapshot_as_due(self, case: _Case) -> None:
        if not self.snapshot_interval:
            return
        if case.state.head - case.snapshot_at < self.snapshot_interval:
            return
        # The facts are committed: a snapshot is a shortcut for later loads, so
        # failing to store one must not fail the recording (a caller would send
        # the facts again). The next recording tries again.
        with contextlib.suppress(PersistenceError):
            snapshots.write(self.app, case, self.snapshot_interval, to_head=False)

    def _stage(
        self,
        case: _Case,
        command: decisions.Command,
        now: datetime,
        restore: bool,
        claim: Claimed | None,
        session: storage.WriteSession,
    ) -> list[Fact]:
        state = case.state
        # A command sent again under its client_ref records nothing the second time.
        replay = decisions.replay_duplicate(state, command.primary)
        if replay is not None:
            return [replay]
        stamped_facts = []
        for fact in decisions.decide(state, command):
            last = state.last_recorded_at
            if restore and fact.recorded_at is not None:
                recorded_at = fact.recorded_at
                if last is not None and recorded_at < last:
                    raise InvalidInputError(
                        "recorded_at",
                        recorded_at.isoformat(),
                        "goes back before the case's last recording",
                    )
                if recorded_at > now:
                    raise InvalidInputError(
                        "recorded_at",
                        recorded_at.isoformat(),
                        f"is later than now ({now.isoformat()}): a restore cannot "
                        "record what was not yet known",
                    )
            else:
                # Recording times never go back within a case, so that "known at K"
                # is a prefix of the case's log even if the machine's clock is set back.
                recorded_at = now if last is None or now >= last else last
            stamped = fact.stamped(state.head + 1, recorded_at)
            if case.stream is None:
                case.stream = CaseStream(case=fact.case)
            self._link(case, stamped, restore, claim, session)
            case.pending.append(stamped)
            case.apply(stamped)
            stamped_facts.append(stamped)
        return stamped_facts

    def _link(
        self,
        case: _Case,
        fact: Fact,
        restore: bool,
        claim: Claimed | None,
        session: storage.WriteSession,
    ) -> None:
        """The fact's link in the case's chain, computed now that its position and
        time are stamped, over its stored form: personal fields sealed under their
        person's key (made in `session` for a new person), so that what is hashed
        is what is stored, and erasing a person leaves the chain whole. On a
        verified restore, checked against the link its journal line carries
        (`claim`)."""
        data = self.personal.seal(case.state, fact.to_dict(), session)
        text = integrity.journal_text(data)
        prev = case.head_hash
        if claim is _NO_CLAIM:  # a recording, or a restore without a chain
            unverified = restore
        else:
            assert claim is not None
            _check_claim(case, fact, text, claim)
            unverified = claim.unverified
        link = None
        if prev is not None:
            link = integrity.link(fact, text, prev, unverified)
            case.head_hash = link.hash
            if unverified:
                case.unverified.add(fact.seq or 0)
        case.links.append((data, text, link))

    def _forget(self, touched: dict[str, _Case]) -> None:
        # A batch that is refused or not saved leaves its facts in the states it
        # staged them in: those cases are dropped, and read again from the store on
        # next use.
        for ref in touched:
            self._cases.pop(ref, None)

    # --- loading ---------------------------------------------------------------------

    def _load(self, ref: str, fresh: bool = False) -> _Case:
        """The case, read from the store the first time, then only its new events
        (another writer may have recorded some: `fresh` asks to look)."""
        case = self._cases.get(ref)
        if case is None:
            case = _Case(None, ref)
            self._cases[ref] = case
            with _no_cycle_collection():
                snapshots.load(self.app, case)
            if (case.prune or case.gap) and not self._writing:
                snapshots.tidy(self.app, case, self.snapshot_interval)
            fresh = True
        if fresh:
            with _no_cycle_collection():
                self._read_new_events(ref, case)
        return case

    def _read_new_events(self, ref: str, case: _Case) -> None:
        stream_id = CaseStream.create_id(ref)
        after = case.stream.version if case.stream is not None else None
        for domain_event in self.app.events.get(stream_id, gt=after):
            case.stream = advance(case.stream, domain_event)
            fact_data = fact_of(domain_event)
            if fact_data is not None:
                case.apply(Fact.from_stored(self.personal.open(fact_data)))
                case.follow(chain_of(domain_event))

    def _settled(self, refs: list[str], known_at: KnownAt) -> None:
        """Before answering "as known at" a time no recording of the case has
        passed yet, waits until no writer holds the case's write lock (see
        `storage.settle`), so that the answer cannot change later: whatever is
        committed after has a later recording time. A time before the case's last
        loaded recording needs no wait (later recordings are later still)."""
        if not isinstance(known_at, datetime) or known_at.tzinfo is None:
            return
        waiting = []
        for ref in refs:
            case = self._cases.get(ref)
            last = case.state.last_recorded_at if case is not None else None
            if last is None or known_at >= last:
                waiting.append(CaseStream.create_id(ref))
        if waiting:
            storage.settle(self.app, waiting)

    def index(self, case: str, known_at: KnownAt = None) -> CaseIndex:
        """The case's index, brought up to date with the store (for a `known_at`
        that no recording has passed yet, once no writer is saving to the case)."""
        self._settled([case], known_at)
        loaded = self._load(case, fresh=True)
        if loaded.index.opening() is None and not loaded.index.head:
            raise UnknownReferenceError("case", case, "no such case in this store")
        return loaded.index

    def cases(self) -> list[str]:
        """References of every case in the store, in the order they were opened.
        The log is scanned once; later calls read only what was recorded since."""
        recorder = self.app.recorder
        top = recorder.max_notification_id() or 0
        start = self._cases_scanned + 1
        while start <= top:
            page = recorder.select_notifications(
                start=start, limit=1000, stop=top, topics=[STARTED_TOPIC]
            )
            if not page:
                break
            for notification in page:
                self._case_refs.append(
                    case_of(self.app.mapper.to_domain_event(notification))
                )
            start = page[-1].id + 1
        self._cases_scanned = max(self._cases_scanned, top)
        return list(self._case_refs)

    def rebuild(self, progress: Progress | None = None) -> int:
        """Forgets every loaded case and reads the whole store again, in log order, in
        one pass (what a full rebuild of every projection costs). Returns the number
        of facts read. `progress(done, total)` is called after each page."""
        self._cases.clear()
        with _no_cycle_collection():
            count = self._read_everything(progress)
        # What was just read lives as long as the ledger and holds no reference
        # cycles: moving it out of the collector's generations spares every later
        # query a full collection over it (a 1.8 s pause at a million facts).
        gc.freeze()
        return count

    def _read_everything(self, progress: Progress | None) -> int:
        total = (self.app.recorder.max_notification_id() or 0) if progress else 0
        by_stream: dict[Any, _Case] = {}
        count = 0
        start = 1
        recorder, mapper = self.app.recorder, self.app.mapper
        # The facts travel as plain JSON inside the stored events: with no cipher or
        # compressor configured, reading them needs no more than json.loads (the
        # floor the benchmark compares against); otherwise the mapper decodes.
        raw = mapper.cipher is None and mapper.compressor is None
        while True:
            page = recorder.select_notifications(start=start, limit=1000)
            if not page:
                return count
            for notification in page:
                case = by_stream.get(notification.originator_id)
                if case is None or notification.topic == STARTED_TOPIC:
                    stream = advance(None, mapper.to_domain_event(notification))
                    case = by_stream[notification.originator_id] = _Case(
                        stream, stream.case
                    )
                    self._cases[stream.case] = case
                    continue
                if raw:
                    state = json.loads(notification.state)
                    fact_data, block = state["fact"], state.get("chain")
                else:
                    domain_event = mapper.to_domain_event(notification)
                    fact_data, block = fact_of(domain_event), chain_of(domain_event)
                assert fact_data is not None and case.stream is not None
                # The stream only needs its version for the next save: setting it is
                # what mutate() would do, without re-running the event's method.
                case.stream.version = notification.originator_version
                case.apply(Fact.from_stored(self.personal.open(fact_data)))
                case.follow(block)
                count += 1
            start = page[-1].id + 1
            if progress is not None:
                progress(page[-1].id, total)

    # --- queries -----------------------------------------------------------------------

    def balances(self, case: str, as_of: date, known_at: KnownAt = None) -> Balances:
        """Every claim's balance, per creditor, per rank and in total, as of `as_of`,
        as known at `known_at` (a datetime with time zone, or a log position)."""
        day = _as_date(as_of)
        if case not in self._cases:
            # Not loaded in this process: the persisted read model answers if it is
            # that of the store's head (see `plandebt.readmodel`). Only a case with
            # no fact restored unverified is modelled (below), so its answers need
            # no provenance.
            model = readmodel.load(self.app, case, self._models.get(case))
            if model is not None:
                self._models[case] = model
                view = model.balances(day, known_at)
                if view is not None:
                    return view
        index = self.index(case, known_at)
        view = balances(index, day, known_at)
        if case not in self._modelled:  # once per case and process
            self._modelled.add(case)
            if not self._cases[case].unverified:
                readmodel.persist(self.app, index)
        return self._with_provenance(case, view, known_at)

    def _with_provenance(self, case: str, view: _V, known_at: KnownAt) -> _V:
        """The view, naming the facts it rests on that were restored unverified."""
        if not self._cases[case].unverified:
            return view
        marked = self.provenance(case, known_at).unverified_facts
        return attrs.evolve(view, unverified=marked) if marked else view

    def schedule(
        self,
        case: str,
        as_of: date | None = None,
        known_at: KnownAt = None,
        ruleset: Ruleset | None = None,
    ) -> PlanSchedule | None:
        """Every claim's instalments under the plan (with the modifications decided
        by `as_of`, default: all), as known at `known_at`; None before adoption."""
        return plan_schedule(
            self.index(case, known_at),
            None if as_of is None else _as_date(as_of),
            known_at,
            ruleset,
        )

    def plan_status(
        self,
        case: str,
        as_of: date,
        known_at: KnownAt = None,
        ruleset: Ruleset | None = None,
    ) -> PlanStatus:
        """Where the plan stands on `as_of`, as known at `known_at`: phase, plan year,
        due / remitted / distributed, arrears, next due, per-creditor positions."""
        return plan_status(
            self.index(case, known_at), _as_date(as_of), known_at, ruleset
        )

    def support(self, case: str, as_of: date, known_at: KnownAt = None) -> SupportView:
        """Group support: commitments and contributions by investor and tranche (late
        ones flagged), waivers final / contingent / revived, intercompany owed."""
        from plandebt.projections.support import support

        return support(self.index(case, known_at), _as_date(as_of), known_at)

    def employment(
        self,
        case: str,
        as_of: date,
        known_at: KnownAt = None,
        ruleset: Ruleset | None = None,
    ) -> EmploymentView:
        """Departures, legal severance floor next to what was agreed, severance paid
        by source, AGS advances and windows, what the AGS is owed."""
        from plandebt.projections.employment import employment

        return employment(
            self.index(case, known_at), _as_date(as_of), known_at, ruleset
        )

    def statement(
        self, case: str, creditor: str, as_of: date, known_at: KnownAt = None
    ) -> Statement:
        """One creditor's statement: every decision, instalment due, payment and
        remission on its claims up to `as_of`, with what it is owed after each, as
        known at `known_at` (table, `to_csv()`, `to_html()`)."""
        from plandebt.projections.statement import statement

        view = statement(self.index(case), creditor, _as_date(as_of), known_at)
        return self._with_provenance(case, view, known_at)

    def check(
        self,
        case: str,
        as_of: date,
        known_at: KnownAt = None,
        ruleset: Ruleset | None = None,
    ) -> Report:
        """Every compliance rule on the case as of `as_of`, as known at `known_at`:
        the findings with their article, severity and evidence."""
        from plandebt.compliance import check

        return check(self.index(case, known_at), _as_date(as_of), known_at, ruleset)

    def portfolio(
        self,
        as_of: date,
        known_at: datetime | None = None,
        ruleset: Ruleset | Mapping[str, Ruleset] | None = None,
    ) -> Portfolio:
        """Every case of the store at `as_of`, as known at `known_at` (a datetime: a
        log position means nothing across cases): each plan's status and every
        creditor's balance, to add up across cases. `ruleset`: one ruleset for
        every case, or one per case reference (cases opened either side of the
        reform read different versions); a case left out reads its own."""
        if known_at is not None and not isinstance(known_at, datetime):
            raise InvalidInputError(
                "known_at",
                known_at,
                "across cases, give a datetime (positions belong to one case)",
            )
        day = _as_date(as_of)
        # Each case is brought up to date once, then both views read its index.
        refs = self.cases()
        self._settled(refs, known_at)  # one wait for every case
        # When nothing was recorded in the store since the last portfolio brought
        # every case up to date, no case needs asking for its new events.
        top = self.app.recorder.max_notification_id() or 0
        quiet = top == self._portfolio_top
        indexes = [
            self._cases[ref].index if quiet and ref in self._cases else self.index(ref)
            for ref in refs
        ]
        self._portfolio_top = top

        # Each case's two views, kept on its index by position (see `summary`).
        def rules(ref: str) -> Ruleset | None:
            if ruleset is None or isinstance(ruleset, Ruleset):
                return ruleset
            return ruleset.get(ref)

        views = [
            summary(index, day, known_at, rules(ref))
            for ref, index in zip(refs, indexes, strict=True)
        ]
        return portfolio(
            [status for status, _view in views],
            [view for _status, view in views],
            day,
            known_at,
        )

    def position(self, case: str, known_at: KnownAt = None) -> int:
        """How many facts a view of the case as known at `known_at` is made of (the
        `position` a `Balances` carries): for a `known_at` later than the last
        committed recording, every fact recorded so far."""
        return self.index(case, known_at).position(known_at)

    def history(self, case: str, known_at: KnownAt = None) -> list[Fact]:
        """The facts of a case in recording order, as known at `known_at`."""
        index = self.index(case, known_at)
        return index.history(index.position(known_at))

    # --- erasure -----------------------------------------------------------------------

    def forget(self, person: str, case: str | None = None) -> list[str]:
        """Erases a natural person's data: destroys their key in `case` (default:
        every case where a creditor of that id is registered). The events are not
        rewritten; every amount and finding stays; views show their name, address
        and descriptions as `personal.ERASED`. Returns the cases erased in. A person
        no case knows is an `errors.UnknownPersonError`; see `plandebt.personal`."""
        refs = personal.forget(self, person, case)
        for ref in refs:
            self._cases.pop(ref, None)  # read again: the fields are now erased
            self._models.pop(ref, None)  # its names opened again, erased
        return refs

    # --- journal ------------------------------------------------------------------------

    def export(self, case: str | None = None) -> Iterator[dict[str, Any]]:
        """The journal of one case (or every case, case after case): one dict per
        fact, with its id, seq and recording time, and in a chained case its link
        (`prev_hash`, `hash`, and `unverified` for a fact restored unverified), so
        that a restore can prove it (docs/integrity.md).

        Personal fields are in clear, and each creditor's registration carries the
        key they are sealed under (`person_key`), so that a restore stores the same
        sealed bytes and so proves the same hashes; an erased person's fields are
        given in their sealed form, which a restore stores as it is."""
        for ref in [case] if case is not None else self.cases():
            index = self.index(ref)
            loaded = self._cases[ref]
            head_hash, unverified = loaded.head_hash, loaded.unverified
            prev = integrity.genesis(ref)
            seal = self.personal.seal
            for fact in index.history(index.position(None)):
                data = personal.stored_form(fact.to_dict())
                key = personal.registered_key(self.personal, fact)
                if key is not None:
                    data["person_key"] = key
                if head_hash is not None:
                    flag = fact.seq in unverified
                    text = integrity.journal_text(seal(loaded.state, fact.to_dict()))
                    link = integrity.link(fact, text, prev, flag)
                    if flag:
                        data["unverified"] = True
                    data["prev_hash"], data["hash"] = prev, link.hash
                    prev = link.hash
                yield data
            if head_hash is not None and prev != head_hash:
                raise ChainError(
                    f"case {ref}: its facts do not hash to the head the store holds; "
                    "run plandebt verify"
                )

    def unverified(self, case: str) -> frozenset[int]:
        """The positions of the case's facts restored from a journal whose chain
        was not verified (`import_journal(..., unverified=True)`)."""
        self.index(case)
        return frozenset(self._cases[case].unverified)

    def provenance(self, case: str, known_at: KnownAt = None) -> Provenance:
        """What a view of the case as known at `known_at` rests on: its position,
        the case's head, and the facts up to it restored unverified (docs/integrity.md)."""
        index = self.index(case, known_at)
        position = index.position(known_at)
        loaded = self._cases[case]
        marked = tuple(sorted(p for p in loaded.unverified if p <= position))
        head = None
        if loaded.head_hash is not None:
            head = Head(index.head, loaded.head_hash)
        return Provenance(
            case,
            position,
            head,
            marked,
            tuple(loaded.state.log[p - 1].id for p in marked),
        )

    # --- integrity ----------------------------------------------------------------------

    def verify(
        self, case: str | None = None, against: Head | None = None
    ) -> IntegrityReport:
        """Recomputes the hash chain of one case (or every case) from the store,
        and checks its head and snapshots: the report says, for each case, the first
        position where its history is not what was recorded, and what is wrong.
        With `against` (a head written down earlier), also whether the history up
        to that head is unchanged. Reads the store only (docs/integrity.md)."""
        refs, streams = integrity.case_refs(self.app)
        if case is not None and case not in refs:
            raise UnknownReferenceError("case", case, "no such case in this store")
        if against is not None and case is None:
            if len(refs) != 1:
                raise InvalidInputError(
                    "case", None, "a head belongs to one case: name the case"
                )
            case = refs[0]
        chosen = [case] if case is not None else refs
        return IntegrityReport(
            case,
            tuple(
                self._with_read_model(
                    integrity.verify_case(
                        self.app, ref, against if ref == case else None
                    )
                )
                for ref in chosen
            ),
            () if case is not None else tuple(streams),
        )

    def _with_read_model(self, found: CaseIntegrity) -> CaseIntegrity:
        """A case whose events are intact is checked for its persisted read model
        too: the model a fresh process would answer from must be the one a replay
        of those events makes (plandebt.readmodel)."""
        kept = readmodel.stored(self.app, found.case) if found.intact else None
        if kept is None:
            return found
        self._cases.pop(found.case, None)  # replayed from the store, not the cache
        made = readmodel.body_of(self.index(found.case), self.personal)
        if made is not None and (kept[1], kept[2]) == made:
            return found
        problem = integrity.Problem(
            found.case,
            0,
            "read model",
            "the persisted read model is not what the events give, and a fresh "
            "process would answer balances from it: delete the case's row of the "
            "plandebt_read_model table (the next query makes it again from the "
            "events)",
        )
        return attrs.evolve(found, problems=(*found.problems, problem))

    def head(self, case: str) -> Head:
        """The case's head: its last position and the hash of its fact there, as
        the store holds it (`verify` proves it; write it down to check against)."""
        index = self.index(case)
        loaded = self._cases[case]
        if loaded.head_hash is None:
            raise ChainError(
                f"case {case} was recorded before the hash chain: run plandebt "
                "upgrade --hash-chain"
            )
        return Head(index.head, loaded.head_hash)

    def upgrade_chain(self, case: str | None = None) -> list[tuple[str, int]]:
        """Chains the facts of every case (or one) that carry no hash yet, from the
        first of them on, and writes the case's head: (case, facts chained) for
        each case upgraded. A case whose chain is broken elsewhere is refused
        (ChainError) and left as it is. Each fact is rewritten in its journal form
        with its link, nothing else; the case's snapshots are deleted (they are
        cut again)."""
        done = []
        for ref in [case] if case is not None else self.cases():
            count = _upgrade_case(self.app, ref)
            self._cases.pop(ref, None)
            if count:
                done.append((ref, count))
        return done

    def import_journal(
        self,
        lines: str | bytes | Iterable[str | bytes | dict[str, Any]],
        *,
        restore: bool = False,
        unverified: bool = False,
        progress: Progress | None = None,
    ) -> list[Fact]:
        """Records a journal (its whole text or bytes, or its lines, or dicts)
        atomically. A bad line is refused with its 1-based line number and nothing
        from the journal is written. `restore=True` keeps each line's recording time
        (a backup restored into an empty store answers "as known at K" as the
        original did) and checks the hash chain the lines carry: a line without a
        hash, out of place or altered is refused. With `unverified=True`, a journal
        without a valid chain is restored, and its facts are marked unverified in
        every view (docs/integrity.md)."""
        from plandebt.journal import parse_entries

        if unverified and not restore:
            raise InvalidInputError(
                "unverified",
                True,
                "goes with restore=True (a plain import is new facts)",
            )
        keys: personal.GivenKeys = {}
        facts = parse_entries(lines, keep_recording=restore, person_keys=keys)
        try:
            if restore:
                claims = None if unverified else [claim for _n, _f, claim in facts]
                return self._record_claimed(
                    [f for _n, f, _c in facts], claims, progress, keys
                )
            return self._record_facts([f for _n, f, _c in facts], False, progress, keys)
        except InvalidInputError as e:
            position = getattr(e, "position", None)
            if position is None or isinstance(e, JournalError):
                raise
            raise JournalError(facts[position][0], e) from e


#: A fact recorded with no chain to check against (`_Ledger._link`).
_NO_CLAIM = Claimed(None, None, None)
#: A journal line, on a verified restore, that carries no hash.
_MISSING = Claimed(None, None, None)


def _check_claim(case: _Case, fact: Fact, text: str, claim: Claimed) -> None:
    """Refuses a fact of a verified restore whose journal line's link is missing,
    out of place or does not match its content."""
    if claim.hash is None:
        raise InvalidInputError(
            "hash",
            None,
            "missing: the line carries no hash chain (an export of an earlier "
            "plandebt, or an edited line); check where it comes from and restore "
            "it with --unverified",
        )
    if case.head_hash is None:
        raise InvalidInputError(
            "hash",
            claim.hash,
            f"case {fact.case} was recorded in this store before the hash chain: run "
            "plandebt upgrade --hash-chain first, or restore with --unverified",
        )
    if claim.seq != fact.seq:
        raise InvalidInputError(
            "seq",
            claim.seq,
            f"the case's next position is {fact.seq}: a line before it is missing, "
            "repeated or out of order, or the store already holds facts of the case",
        )
    if claim.prev != case.head_hash:
        raise InvalidInputError(
            "prev_hash",
            claim.prev,
            "is not the hash of the case's previous fact: a line before it was "
            "deleted, inserted, moved or altered",
        )
    if integrity.link(fact, text, claim.prev, claim.unverified).hash != claim.hash:
        raise InvalidInputError(
            "hash",
            claim.hash,
            "does not match the line's content: the line was altered",
        )


def _upgrade_case(app: LedgerApplication, ref: str) -> int:
    """Chains a case's facts that carry no hash (see `Ledger.upgrade_chain`)."""
    stream_id = CaseStream.create_id(ref)
    mapper, encoder = app.mapper, app.encoder
    raw = mapper.cipher is None and mapper.compressor is None
    with storage.writing(app, [stream_id]) as session:
        report = integrity.verify_case(app, ref)
        first = next((p for p in report.problems if p.kind != "snapshot"), None)
        if first is None:
            return 0
        if first.kind != "unchained":
            raise ChainError(f"not upgraded: {first}")
        position = first.position - 1
        prev = report.head.hash if report.head else integrity.genesis(ref)
        last_at: datetime | None = None
        rewritten: list[StoredEvent] = []
        for stored in storage.stored_events(app, stream_id):
            if stored.originator_version <= position + 1:
                continue
            try:
                read = integrity.read_stored(raw, mapper, stored)
                fact, text = integrity.normal_form(read)
            except integrity.Unreadable as e:
                raise ChainError(
                    f"not upgraded: {ref}: position {position + 1}: {e}"
                ) from e
            position += 1
            at = fact.recorded_at
            if (
                read.link is not None
                or stored.originator_version != position + 1
                or fact.seq != position
                or at is None
                or read.timestamp != at.isoformat()
                or (last_at is not None and at < last_at)
            ):
                raise ChainError(
                    f"not upgraded: {ref}: position {position} is out of place or "
                    "already chained; run plandebt verify"
                )
            link = integrity.link(fact, text, prev, False)
            data = personal.stored_form(fact.to_dict())  # sealed fields as stored
            rewritten.append(
                encoder.recorded(
                    stream_id,
                    stored.originator_version,
                    at,
                    data,
                    encoder.text(data),
                    link.to_stored(),
                )
            )
            prev, last_at = link.hash, at
            session.keepalive()
        session.replace(rewritten)
        session.set_heads([(stream_id, position, prev)])
    # The snapshots were cut without the chain: they are cut again.
    with contextlib.suppress(PersistenceError):
        storage.delete_snapshots(app, stream_id, before=1 << 62)
    return len(rewritten)


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Bulk reads allocate many objects and no reference cycles: the cyclic garbage
    collector would only scan them again and again, so it waits until the end."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _as_date(value: Any) -> date:
    if isinstance(value, datetime) or not isinstance(value, date | str):
        raise InvalidInputError("as_of", value, "must be a date like 2026-06-30")
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError as e:
            raise InvalidInputError(
                "as_of", value, "must be a date like 2026-06-30"
            ) from e
    return value
