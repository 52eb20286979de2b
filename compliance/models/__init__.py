from compliance.models.software import Claim, Software
from compliance.models.suites import Spec, SuiteCategory, SuiteFeature, SuiteYear

__all__ = ["Claim", "Software", "Spec", "SuiteCategory", "SuiteFeature", "SuiteYear"]
