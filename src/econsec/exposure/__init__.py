"""Autonomy analytics: sourcing, concentration, multi-tier exposure, single points of failure.

Everything here except ``store``, ``models`` and ``cli`` is a pure function over a
:class:`econsec.valuechain.compiled.CompiledChain` and never imports Django.
"""
