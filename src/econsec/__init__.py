"""econsec — an economic-security management workbench (METI 経済安全保障経営ガイドライン)."""

__version__ = "0.1.0"
