"""DOAP files (XEP-0453): parse, fetch, import."""
