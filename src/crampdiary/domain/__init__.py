"""Domain layer: pure Python rules, value types and statistics. No Qt, no database session."""
