"""pgmtui: a keyboard-driven terminal dashboard for IT programme managers."""

__version__ = "0.1.0"
