from compliance.models.history import Change
from compliance.models.registry import RegistryEntry, RegistrySync
from compliance.models.software import Claim, Software
from compliance.models.suites import Spec, SuiteCategory, SuiteFeature, SuiteYear

__all__ = [
    "Change",
    "Claim",
    "RegistryEntry",
    "RegistrySync",
    "Software",
    "Spec",
    "SuiteCategory",
    "SuiteFeature",
    "SuiteYear",
]
