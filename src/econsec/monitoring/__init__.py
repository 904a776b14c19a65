"""Watching the world for events that touch the value chain."""
