"""Prefect flows for berita."""
