from compliance.models.history import Change
from compliance.models.probing import CheckResult, ProbedServer, ProbeRun, ServerOwner, ServerProof
from compliance.models.registry import RegistryEntry, RegistrySync
from compliance.models.software import Claim, Software
from compliance.models.suites import Spec, SuiteCategory, SuiteFeature, SuiteYear
from compliance.models.vendors import Maintainer, Token

__all__ = [
    "Change",
    "CheckResult",
    "Claim",
    "Maintainer",
    "ProbeRun",
    "ProbedServer",
    "RegistryEntry",
    "RegistrySync",
    "ServerOwner",
    "ServerProof",
    "Software",
    "Spec",
    "SuiteCategory",
    "SuiteFeature",
    "SuiteYear",
    "Token",
]
