"""MedCite: literature-grounded medical question answering with numbered citations."""

__version__ = "0.1.0"
