"""The domain: questionnaires, the SQLite store, scoring. Plain Python, no Qt."""
