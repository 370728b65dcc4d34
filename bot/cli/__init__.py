"""The ``cityneeds`` command line (typer + rich)."""
