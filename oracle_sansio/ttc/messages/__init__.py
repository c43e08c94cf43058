"""TTC messages, one module per family, each encoding and decoding BOTH roles."""
