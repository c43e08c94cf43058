"""SQL and PL/SQL text to nodes: lexer, node classes, parsers. Imports only types/ and errors."""
