"""The write endpoints: a maintainer's self-assessed claims, through the claim editor's own
path (ClaimRowForm, save_row: write_claims with the revision check), in the audit log as
"API (token name)"."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from api.problems import problem
from compliance.claims import VALUE_FIELDS
from compliance.doap.vocabulary import STATUSES
from compliance.history import Actor
from compliance.models import Claim, Software
from compliance.pages.specs import spec_from_slug
from compliance.vendors import editor
from compliance.vendors.edit import save_row, stored_values
from compliance.vendors.forms import ClaimRowForm
from compliance.vendors.maintainers import maintains


class ClaimBody(serializers.Serializer):
    """A self-assessed claim as written; `revision` is the one read (0: there was none)."""

    revision = serializers.IntegerField(min_value=0)
    status = serializers.ChoiceField(["", *STATUSES], required=False)
    spec_version = serializers.CharField(required=False, allow_blank=True, max_length=32)
    since_version = serializers.CharField(required=False, allow_blank=True, max_length=64)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    evidence_url = serializers.URLField(required=False, allow_blank=True, max_length=500)
    provided_by = serializers.CharField(required=False, allow_blank=True, max_length=200)


class StoredClaim(serializers.ModelSerializer):
    """The claim as stored after the write (what `as_json` returns)."""

    class Meta:
        model = Claim
        fields = ["spec", "revision", *VALUE_FIELDS]


def actor_of(request) -> Actor:
    name = getattr(request.auth, "name", None)
    return Actor(f"API ({name})" if name else "API (session)", request.user)


def maintained_entry(request, slug: str, action: str) -> Software:
    """The entry, when the requesting user maintains it: else 404 (no such entry) or 403 (only
    the entry's maintainers `action`)."""
    software = get_object_or_404(Software, slug=slug)
    if not maintains(request.user, software):
        raise PermissionDenied(f"Only the entry's maintainers {action}.")
    return software


def stored(software: Software, spec: str) -> Claim | None:
    return software.claims.filter(spec=spec, source=Claim.SELF).first()


def as_json(spec: str, claim: Claim | None) -> dict:
    return {"spec": spec, "revision": claim.revision if claim else 0, **stored_values(claim)}


class ClaimWrite(APIView):
    permission_classes = [IsAuthenticated]

    def target(self, request, slug: str, spec: str) -> tuple[Software, str]:
        software = maintained_entry(request, slug, "write its claims")
        name = spec_from_slug(spec)
        if name is None or name not in {slot.spec for slot in editor.slots()}:
            raise NotFound(f"The suites name no specification {spec[:40]!r}.")
        return software, name

    def write(self, request, slug: str, spec: str, values: dict):
        software, spec = self.target(request, slug, spec)
        claim = stored(software, spec)
        if not isinstance(values, dict):
            raise ValidationError("The body is a JSON object.")
        base = stored_values(claim) if request.method == "PATCH" else {}
        data = {**dict.fromkeys(VALUE_FIELDS, ""), **base, **values}
        form = ClaimRowForm({k: "" if v is None else str(v) for k, v in data.items()})
        if not form.is_valid():
            raise ValidationError(form.errors)
        outcome = save_row(software, actor_of(request), spec, form, claim)
        if outcome.stale:
            current = stored(software, spec)
            return problem(
                409,
                f"{spec} was changed by someone else in the meantime: nothing was written. "
                "Read the current claim and write again with its revision.",
                current=as_json(spec, current),
            )
        return Response(as_json(spec, stored(software, spec)))

    @extend_schema(request=ClaimBody, responses=StoredClaim)
    def put(self, request, slug: str, spec: str):
        """Replace your self-assessed claim of a spec (fields left out become empty)."""
        ClaimBody(data=request.data).is_valid(raise_exception=True)
        return self.write(request, slug, spec, request.data)

    @extend_schema(request=ClaimBody, responses=StoredClaim)
    def patch(self, request, slug: str, spec: str):
        """Change some fields of your self-assessed claim of a spec."""
        ClaimBody(data=request.data).is_valid(raise_exception=True)
        return self.write(request, slug, spec, request.data)

    @extend_schema(
        parameters=[OpenApiParameter("revision", int, required=True, description="as read")],
        responses=StoredClaim,
    )
    def delete(self, request, slug: str, spec: str):
        """Remove your self-assessed claim of a spec."""
        revision = request.query_params.get("revision", "")
        if not revision.isascii() or not revision.isdigit():
            raise ValidationError({"revision": "Give the revision you read (0: none)."})
        empty = dict.fromkeys(VALUE_FIELDS, "")
        return self.write(request, slug, spec, {**empty, "revision": revision})
