"""Software entries built in code for the website's tests."""

from compliance.claims import ClaimValues, write_claims
from compliance.history import Actor
from compliance.models import Claim, Software

TEST = Actor("a test")
CORE_CLIENT = ["RFC 6120", "RFC 7590", "XEP-0030", "XEP-0115"]
IM_CLIENT = ["RFC 6121", "XEP-0245", "XEP-0054", "XEP-0280", "XEP-0045", "XEP-0249", "XEP-0363"]
CORE_SERVER = ["RFC 6120", "RFC 7590", "XEP-0030", "XEP-0114"]


def make_software(
    name, role="client", specs=(), platforms=(), status="complete", slug=None, **fields
):
    software = Software.objects.create(
        name=name,
        slug=slug or name.lower().replace(" ", "-"),
        role=role,
        platforms=list(platforms),
        **fields,
    )
    claims = [ClaimValues(spec=spec, source=Claim.DOAP, status=status) for spec in specs]
    write_claims(software, actor=TEST, put=claims)
    return software


def make_many(count, role="client"):
    """count entries of one role, every third one IM-compliant at the client level."""
    for i in range(count):
        specs = CORE_CLIENT + (IM_CLIENT if i % 3 == 0 else [])
        make_software(f"Bulk {role} {i:03d}", role=role, specs=specs, platforms=["Linux"])
