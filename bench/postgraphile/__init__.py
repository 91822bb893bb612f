"""PostGraphile 4 beside our server, on the same PostgreSQL tables."""
