"""DRCP settings of a connect (python-oracledb thin's rules): the keyword
``server_type``/``pool_boundary`` where the connect string named none, and a DRCP
pool's own connection class."""

from __future__ import annotations

import base64
import uuid
from dataclasses import replace

from oracle_sansio.dsn import ConnectTarget

from .params import ConnectParams, PoolParams

__all__ = ["drcp_pool_params", "drcp_target"]


def drcp_target(p: ConnectParams, target: ConnectTarget) -> ConnectTarget:
    """``target`` with the keyword ``server_type`` and ``pool_boundary`` where the DSN
    named none (python-oracledb: a DSN's values win, keywords fill in the rest)."""
    # A list (one value per description of a DESCRIPTION_LIST): the description's own.
    server_type = target.server_type if isinstance(p.server_type, list) else p.server_type
    boundary = target.description.pool_boundary if isinstance(p.pool_boundary, list) else p.pool_boundary
    if target.server_type is None and server_type is not None:
        target = replace(target, server_type=server_type)
    if boundary is not None and not any(k.upper() == "POOL_BOUNDARY" for k, _ in target.connect_data_extra):
        target = replace(target, connect_data_extra=(*target.connect_data_extra, ("POOL_BOUNDARY", boundary)))
    return target


def drcp_pool_params(p: PoolParams, target: ConnectTarget) -> PoolParams:
    """python-oracledb pool.pyx: a DRCP pool without a ``cclass`` gets one of its own,
    ``DPY:`` and the base64 of a UUID."""
    if p.cclass is not None or (drcp_target(p, target).server_type or "").lower() != "pooled":
        return p
    p = p.copy()
    p.set(cclass="DPY:" + base64.b64encode(uuid.uuid4().bytes).decode())
    return p
