"""Ingest: load source files into Documents, chunk, embed, and write them to the library."""
