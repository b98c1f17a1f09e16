"""Inventory under the Taşınır Mal Yönetmeliği (2024): register, custody, depot movements, disposal, agents."""

from __future__ import annotations

from .agents import AgentLink, DiscoveredDevice, Installation, NetworkInterface, Software
from .custody import CustodyDocument, CustodyItem, SharedAreaList
from .disposal import CountLine, CountSession, DataSanitization, ScrapProposal
from .movements import StockIssue, StockItem, StockLot, StockRequest, StockRequestLine, Voucher, VoucherLine
from .register import Asset, AssetKind, Commissioning, Contract, Depot, Location, TasinirCode

__all__ = [
    "AgentLink",
    "Asset",
    "AssetKind",
    "Commissioning",
    "Contract",
    "CountLine",
    "CountSession",
    "CustodyDocument",
    "CustodyItem",
    "DataSanitization",
    "Depot",
    "DiscoveredDevice",
    "Installation",
    "Location",
    "NetworkInterface",
    "ScrapProposal",
    "SharedAreaList",
    "Software",
    "StockIssue",
    "StockItem",
    "StockLot",
    "StockRequest",
    "StockRequestLine",
    "TasinirCode",
    "Voucher",
    "VoucherLine",
]
