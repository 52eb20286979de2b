from compliance.models.history import Change
from compliance.models.registry import RegistryEntry, RegistrySync
from compliance.models.software import Claim, Software
from compliance.models.suites import Spec, SuiteCategory, SuiteFeature, SuiteYear
from compliance.models.vendors import Maintainer, Token

__all__ = [
    "Change",
    "Claim",
    "Maintainer",
    "RegistryEntry",
    "RegistrySync",
    "Software",
    "Spec",
    "SuiteCategory",
    "SuiteFeature",
    "SuiteYear",
    "Token",
]
