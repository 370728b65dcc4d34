"""Test doubles and harnesses shipped as first-class code, for our tests and yours."""
