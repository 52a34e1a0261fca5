"""Full-text search: SQLite FTS5 (embedded) or PostgreSQL full text (scale)."""
