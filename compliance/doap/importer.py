"""Create or update a software entry and its DOAP-sourced claims from a DOAP file."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from compliance.claims import ClaimChange, ClaimValues, write_claims
from compliance.doap.parse import MAX_BYTES, DoapDocument, DoapError, Finding, parse_doap
from compliance.entries import write_entry
from compliance.fetch import FetchFailed, fetch_body
from compliance.history import Actor, FieldChange
from compliance.models import Claim, Software
from suites.engine import ROLES


@dataclass
class ImportResult:
    software: Software
    created: bool
    claims: int
    findings: list[Finding]
    changes: list[ClaimChange] = field(default_factory=list)  # the claims written
    entry_changes: list[FieldChange] = field(default_factory=list)  # the entry's fields

    def as_dict(self) -> dict:
        return {
            "slug": self.software.slug,
            "created": self.created,
            "claims": self.claims,
            "findings": [finding.as_dict() for finding in self.findings],
        }


DOAP_ACCEPT = "application/rdf+xml, application/xml;q=0.9, */*;q=0.5"
MAX_SLUG = 190  # of Software.slug's 200, room for a suffix
MAX_URL = 500  # Software.doap_url


class UnusableSource(DoapError):
    """The source given is no file or URL that can be read at all: a usage error."""


def is_url(source: str) -> bool:
    return source[:8].lower().startswith(("http://", "https://"))


def checked_url(url: str) -> str:
    """The URL, if it can be requested at all; UnusableSource says why not."""
    if len(url) > MAX_URL:
        raise UnusableSource(f"The URL is longer than {MAX_URL} characters.")
    try:
        host = urlsplit(url).hostname
    except ValueError as exc:
        raise UnusableSource(f"{url[:MAX_URL]!r} is not a valid URL: {exc}.") from None
    if not host:
        raise UnusableSource(f"{url!r} is not a valid URL: it names no host.")
    return url


def fetch_doap(url: str) -> bytes:
    """The body of a DOAP URL: 200 only, time-limited, capped, never from a private address."""
    try:
        return fetch_body(url, accept=DOAP_ACCEPT, max_bytes=MAX_BYTES)
    except FetchFailed as exc:
        raise DoapError(str(exc)) from exc


def read_source(source: str) -> bytes:
    """The bytes of a DOAP file given as a path or an http(s) URL."""
    if is_url(source):
        return fetch_doap(checked_url(source))
    try:
        with Path(source).open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)  # never more: /dev/zero and huge files end here
    except OSError as exc:
        raise UnusableSource(f"Could not read {source}: {exc.strerror}.") from exc
    if len(data) > MAX_BYTES:
        raise UnusableSource(
            f"{source} is larger than {MAX_BYTES // 1048576} MiB; DOAP files are limited to "
            f"{MAX_BYTES // 1048576} MiB."
        )
    return data


def _claims(document: DoapDocument) -> list[ClaimValues]:
    claims = [
        ClaimValues(
            spec=entry.spec,
            source=Claim.DOAP,
            status=entry.status[:200],  # longer is free text, never a status (and linted)
            spec_version=entry.version[:32],
            since_version=entry.since[:64],
            note=entry.note,
        )
        for entry in document.xeps
    ]
    claims += [ClaimValues(spec=rfc, source=Claim.DOAP, status="complete") for rfc in document.rfcs]
    return claims


def slug_for(name: str) -> str:
    """The slug of a project name; names with nothing to slugify get one from their digest,
    so that two such projects never share an entry."""
    slug = slugify(name)[:MAX_SLUG]
    return slug or f"software-{hashlib.sha256(name.encode()).hexdigest()[:12]}"


def _find_software(source_url: str, source_file: str) -> Software | None:
    """The entry imported from the same URL or file before; never one that merely has a name
    slugging alike (that would let any file take over another entry)."""
    if source_url:
        return Software.objects.filter(doap_url=source_url).first()
    if source_file:
        return Software.objects.filter(doap_file=source_file).first()
    return None


def free_slug(name: str) -> str:
    """The slug of a name, or, when another entry has it, the first free one of slug-2, -3, …"""
    base = slug_for(name)
    taken = set(Software.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    if base not in taken:
        return base
    return next(f"{base}-{n}" for n in range(2, len(taken) + 3) if f"{base}-{n}" not in taken)


def import_document(
    document: DoapDocument,
    *,
    role: str | None = None,
    terminal: bool | None = None,
    source_url: str = "",
    source_file: str = "",
    software: Software | None = None,
    actor: Actor | None = None,
    expect: int | None = None,
) -> ImportResult:
    """Store a parsed DOAP document: one transaction, DOAP claims replaced as a whole. The
    entry is `software` when given (the registry sync's, a maintainer's upload), else the one
    imported from the same source before, else a new one. `actor` is who the audit log names
    (default: the import from its source); `expect` the entry's revision the writer read
    (StaleEntry, and nothing written, when it moved)."""
    role = role or document.role
    if role not in ROLES:
        raise DoapError(
            "The DOAP categories do not say whether this is a server, a client or a library; "
            "give the role explicitly (--role server|client|library)."
        )
    # Inside a caller's transaction (the registry sync's, one per entry) no savepoint of its
    # own: a failure rolls the caller's back, which is what its callers do anyway.
    with transaction.atomic(savepoint=False):
        software = software or _find_software(source_url, source_file)
        created = software is None
        if created:
            software = Software(slug=free_slug(document.name))
        fields = {
            "name": document.name[: Software._meta.get_field("name").max_length],
            "role": role,
            "description": document.shortdesc,
            "homepage": document.homepage,
            "platforms": document.platforms,
            # Set by an editor too: a file that does not say iOS does not clear it.
            "background_restricted": software.background_restricted
            or document.background_restricted,
        }
        if terminal is not None:
            fields["terminal_interface"] = terminal
        if document.current_version:  # a file without releases keeps the editor's version
            fields["current_version"] = document.current_version
            software.release_date = document.current_release_date or None
        if source_url:  # read just now: the last check of the URL, and it worked
            fields["doap_url"] = source_url
            software.doap_checked_at, software.doap_fetch_error = timezone.now(), ""
        if source_file:
            software.doap_file = source_file
        software.doap_findings = [finding.as_dict() for finding in document.findings]
        software.logo_url = document.logo  # fetched apart (compliance.logos), never here
        software.doap_imported_at = timezone.now()
        actor = actor or Actor(f"DOAP import from {source_url or source_file or 'a document'}")
        entry_changes = write_entry(software, actor=actor, expect=expect, **fields)
        claims = _claims(document)
        changes = write_claims(software, actor=actor, put=claims, replace_source=Claim.DOAP)
    return ImportResult(software, created, len(claims), document.findings, changes, entry_changes)


def import_doap(
    source: str, *, role: str | None = None, terminal: bool | None = None
) -> ImportResult:
    """Import a DOAP file from a path or URL. DoapError leaves the database as it was."""
    document = parse_doap(read_source(source))
    if is_url(source):
        return import_document(document, role=role, terminal=terminal, source_url=source)
    source_file = str(Path(source).resolve())
    return import_document(document, role=role, terminal=terminal, source_file=source_file)


def import_upload(
    software: Software, data: bytes, *, actor: Actor, expect: int | None = None
) -> ImportResult:
    """A DOAP file a maintainer uploads for their entry: read and stored as every import is,
    the entry's role kept (as the editor's re-import keeps it), its DOAP claims replaced.
    DoapError (with the findings so far) or StaleEntry leave the database as it was."""
    document = parse_doap(data)
    with transaction.atomic():  # a savepoint of its own: a stale write undoes only itself
        return import_document(
            document, role=software.role, software=software, actor=actor, expect=expect
        )
