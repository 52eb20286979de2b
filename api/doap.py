"""`POST software/{slug}/doap/`: a maintainer uploads the entry's DOAP file, which replaces its
DOAP-sourced claims (and the fields a DOAP file gives: name, description, homepage, platforms,
current version) through the importer every DOAP file goes through
(compliance.doap.importer.import_upload: parse_doap, then import_document, write_entry and
write_claims), checked against the entry's revision the maintainer read, in the audit log as
"API (token name)". Self-assessed claims are left as they are."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ParseError
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from api.problems import PROBLEM_TYPE, detail_text, problem
from api.writes import actor_of, maintained_entry
from compliance.doap.importer import ImportResult, import_upload
from compliance.doap.parse import MAX_BYTES, DoapError
from compliance.entries import StaleEntry
from compliance.models import Software

MIB = 1024 * 1024
# A multipart body is the file and a few short fields: more than this is refused unread.
MAX_BODY = MAX_BYTES + 64 * 1024


@extend_schema_field({"type": "string", "format": "binary"})
class UploadedFile(serializers.FileField):
    """A file part of a multipart body (the schema's binary string)."""


class DoapUploadBody(serializers.Serializer):
    file = UploadedFile(
        help_text=f"The DOAP file (XEP-0453, RDF/XML), at most {MAX_BYTES // MIB} MiB."
    )
    revision = serializers.IntegerField(
        min_value=0,
        help_text="The entry's `revision` as read from software/{slug}/; if the entry was "
        "saved since, the answer is a 409 and nothing is written.",
    )


class FindingSerializer(serializers.Serializer):
    """A DOAP lint finding, as software/{slug}/ lists them."""

    code = serializers.CharField()
    severity = serializers.ChoiceField(["warning", "info"])
    message = serializers.CharField()
    line = serializers.IntegerField(required=False, help_text="Where the file has it, if known.")
    suggestion = serializers.CharField(required=False, help_text="The value probably meant.")


class ClaimsChangedSerializer(serializers.Serializer):
    created = serializers.ListField(child=serializers.CharField(), help_text="specs")
    updated = serializers.ListField(child=serializers.CharField(), help_text="specs")
    removed = serializers.ListField(child=serializers.CharField(), help_text="specs")


class DoapImportedSerializer(serializers.Serializer):
    slug = serializers.CharField()
    url = serializers.URLField(help_text="software/{slug}/")
    revision = serializers.IntegerField(help_text="The entry's revision now.")
    claims = serializers.IntegerField(help_text="How many DOAP claims the file gives.")
    changed = ClaimsChangedSerializer(help_text="The entry's DOAP claims this file changed.")
    entry_fields = serializers.ListField(
        child=serializers.CharField(), help_text="The entry's fields this file changed."
    )
    lint = FindingSerializer(many=True, help_text="The file's lint findings.")


class UploadProblemSerializer(serializers.Serializer):
    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()


class DoapRefusedSerializer(UploadProblemSerializer):
    lint = FindingSerializer(
        many=True, help_text="What the lint found before the file was refused (often nothing)."
    )
    errors = serializers.DictField(required=False, help_text="field -> what is wrong with it")


class StaleRevisionSerializer(serializers.Serializer):
    revision = serializers.IntegerField()


class DoapConflictSerializer(UploadProblemSerializer):
    current = StaleRevisionSerializer(help_text="The entry's revision now: read it again.")


def refused(detail: str, lint=(), **extra) -> Response:
    return problem(400, detail, lint=[finding.as_dict() for finding in lint], **extra)


def too_large(what: str, size: int) -> Response:
    return refused(
        f"{what} is {size / MIB:.1f} MiB; DOAP files are limited to {MAX_BYTES // MIB} MiB. "
        "Nothing was written."
    )


def changed(result: ImportResult) -> dict:
    kinds = {"created": "created", "changed": "updated", "removed": "removed"}
    found = {name: [] for name in kinds.values()}
    for change in result.changes:
        found[kinds[change.kind]].append(change.spec)
    return {name: sorted(specs) for name, specs in found.items()}


def imported(request, result: ImportResult) -> dict:
    software = result.software
    return {
        "slug": software.slug,
        "url": reverse("api-software-detail", args=[software.slug], request=request),
        "revision": software.revision,
        "claims": result.claims,
        "changed": changed(result),
        "entry_fields": [change.field for change in result.entry_changes],
        "lint": [finding.as_dict() for finding in result.findings],
    }


def body_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class DoapUpload(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": DoapUploadBody},
        responses={
            200: OpenApiResponse(
                DoapImportedSerializer,
                description="Imported: the DOAP claims created, updated and removed, the "
                "entry's fields changed, and the file's lint findings.",
            ),
            (400, PROBLEM_TYPE): OpenApiResponse(
                DoapRefusedSerializer,
                description="The file was refused (not well-formed, entities, not DOAP, too "
                "large) or a field is missing: `detail` says why; nothing was written.",
            ),
            (409, PROBLEM_TYPE): OpenApiResponse(
                DoapConflictSerializer,
                description="The entry was saved since `revision`: nothing was written.",
            ),
            (415, PROBLEM_TYPE): OpenApiResponse(
                UploadProblemSerializer, description="The body is not multipart/form-data."
            ),
        },
    )
    def post(self, request, slug: str):
        """Replace the entry's DOAP claims from its DOAP file (maintainers only): the file's
        name, description, homepage, platforms and current version too, as a re-import does;
        self-assessed claims stay. A file the importer refuses changes nothing."""
        software = maintained_entry(request, slug, "upload its DOAP file")
        if body_length(request) > MAX_BODY:
            return too_large("The upload", body_length(request))
        try:
            body = DoapUploadBody(data=request.data)
        except ParseError as exc:
            return refused(f"The body is not a readable multipart form: {exc.detail}")
        if not body.is_valid():
            return refused(detail_text(body.errors), errors=body.errors)
        upload = body.validated_data["file"]
        if upload.size > MAX_BYTES:
            return too_large("The file", upload.size)
        revision = body.validated_data["revision"]
        try:
            result = import_upload(
                software, upload.read(), actor=actor_of(request), expect=revision
            )
        except StaleEntry:
            current = Software.objects.filter(pk=software.pk).values_list("revision", flat=True)
            return problem(
                409,
                f"{software.name} was saved by someone else since revision {revision}: nothing "
                "was written. Read the entry again and upload with its revision.",
                current={"revision": current.first()},
            )
        except DoapError as exc:
            return refused(f"The DOAP file was not imported: {exc}", exc.findings)
        return Response(imported(request, result))
