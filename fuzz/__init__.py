"""Fuzz harnesses: one module per parser, each exposing ``one_input(data)``."""
