"""The embedding model, shared by ingest (chunks) and answering (questions): ``medcite.embedding.model``.

Its own package so that answering never imports the ingest pipeline and ingest never imports ``qa``.
"""
