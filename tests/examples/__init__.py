"""Tests of the examples/ programs."""
