"""Values and their types: the bottom room (errors below it); the parser, catalog and runtime all use it."""
