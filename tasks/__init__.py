"""berita stage logic: pure functions over polars frames and strings (no Prefect here)."""
