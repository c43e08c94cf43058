"""Seed inputs taken from the real captures in tests/vectors/captures."""

from __future__ import annotations

from functools import cache

from tests.captures import (
    derived_files,
    load_data_types_oci,
    load_derived,
    load_oracle_nio_23ai,
    load_python_oracledb_client,
)


@cache
def tns_packets() -> list[bytes]:
    """Every captured TNS packet, header included (16- and 32-bit forms mixed)."""
    out: list[bytes] = []
    for path in derived_files():
        out.extend(frame.data for frame in load_derived(path))
    for session in load_python_oracledb_client().values():
        out.extend(raw for _, raw in session)
    out.extend(load_oracle_nio_23ai().values())
    return out


@cache
def ttc_payloads() -> list[bytes]:
    """The TTC bytes (DATA payloads after the two flag bytes) of captured packets."""
    return [raw[10:] for raw in tns_packets() if len(raw) > 10 and raw[4] == 6]


@cache
def data_types_vectors() -> dict[tuple[str, str], tuple[bytes, bool]]:
    """OCI / sqlplus DATA_TYPES requests and replies, whole (tests/vectors/data_types_oci.txt)."""
    return load_data_types_oci()
