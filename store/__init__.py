"""The SQLite database of parindex: schema and every read and write of it."""
