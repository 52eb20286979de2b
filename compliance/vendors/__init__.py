"""The vendor side: who maintains an entry (maintainers.py), how they prove it (proofs.py checks
the proofs, ownership.py runs the proving), and what the claim editor shows (editor.py)."""
