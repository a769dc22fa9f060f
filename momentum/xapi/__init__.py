"""xAPI 1.0.3 statements about learning, kept in an outbox and sent in batches to a learning record store."""
