"""The probe service: submissions, the worker's task body, the reaper, ownership of servers,
live progress, server pages' read models and the claimed-vs-verified labels."""
