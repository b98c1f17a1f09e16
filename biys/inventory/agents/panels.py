"""What an asset's own page can show of its agent: last contact, OS, antivirus, software, interfaces.

For the register's asset detail view: ``context.update(asset_agent_panel(asset))`` and
``{% include "inventory/agents/inc/asset_agent.html" %}``. A constant number of queries.
"""

from __future__ import annotations

from typing import Any

from biys.inventory.models import AgentLink, Asset, Installation, NetworkInterface

SOFTWARE_SHOWN = 300


def asset_agent_panel(asset: Asset) -> dict[str, Any]:
    installations = Installation.objects.filter(asset=asset).select_related("software").order_by("software__name")
    return {
        "agent_link": AgentLink.objects.filter(asset=asset).first(),
        "agent_installations": installations[:SOFTWARE_SHOWN],
        "agent_installation_count": installations.count(),
        "agent_interfaces": NetworkInterface.objects.filter(asset=asset).order_by("name"),
    }
