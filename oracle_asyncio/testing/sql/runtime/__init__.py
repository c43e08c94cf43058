"""Code run inside sqlite or by the engine: Oracle functions, date formats, intervals, PL/SQL routines."""
