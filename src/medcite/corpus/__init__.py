"""The evidence library: Chroma vectors, the SQLite ledger and lexical index, demo sources."""
