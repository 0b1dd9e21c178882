"""Tuijin as deployed plus two reference pages for `bench/http.py` (never in production)."""
