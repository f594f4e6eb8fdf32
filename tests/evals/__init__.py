"""Tests for the evaluation sets and metrics."""
