"""Benchmarks that run the same workload through python-oracledb and oracle_asyncio."""
