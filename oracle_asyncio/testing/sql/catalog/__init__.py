"""What a database holds: tables, principals and privileges, sequences, indexes, keys, dictionary views."""
