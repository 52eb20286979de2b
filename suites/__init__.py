"""The Compliance Suites as data and the verdict engine: pure Python, no Django, no I/O but
reading the suite files. Imported by the Django apps and by probes/."""
