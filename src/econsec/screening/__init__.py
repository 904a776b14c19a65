"""Counterparty screening: list loaders, Japanese-aware name matching, review workflow.

The engine (``entity``, ``normalise``, ``transliterate``, ``names``, ``scoring``, ``index``,
``ownership``, ``diff``) is pure Python over plain data and never imports Django, so an index can
be pickled to worker processes. ``models``, ``service`` and ``cli`` are the Django-facing side.
"""
