from compliance.models.registry import RegistryEntry, RegistrySync
from compliance.models.software import Claim, Software
from compliance.models.suites import Spec, SuiteCategory, SuiteFeature, SuiteYear

__all__ = [
    "Claim",
    "RegistryEntry",
    "RegistrySync",
    "Software",
    "Spec",
    "SuiteCategory",
    "SuiteFeature",
    "SuiteYear",
]
