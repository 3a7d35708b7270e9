"""Storage layer: the SQLite database, its migrations, backups and queries. No Qt."""
