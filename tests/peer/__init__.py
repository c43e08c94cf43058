"""``python -m tests.peer PATH``: python-oracledb's own test suite run against the embedded server.

PATH is a checkout of python-oracledb's repository (``tests/test_NNNN_*.py``, ``tests/conftest.py``,
``tests/sql/create_schema*.sql``).  The command starts embedded servers with the users the suite's
``conftest.py`` expects, loads the schema scripts statement by statement (counting what the server
accepts and refuses), then runs each test file in its own pytest process with a per-test timeout and a
per-file wall-clock cap, and prints the counts per file and in total.  ``--driver oracle_asyncio``
runs the asyncio test files with ``oracle_asyncio`` standing in for ``oracledb`` (see
``pyodb_peer_plugin``).  The suite is never edited nor copied: it is the measure, not our code.
"""
