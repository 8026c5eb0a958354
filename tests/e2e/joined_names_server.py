"""An MCP server whose tools are named in runs of words written together and carry no
description, as many real APIs are ("getorderbyid"). Each tool echoes its name and arguments.
Run as ``python joined_names_server.py``."""

from __future__ import annotations

import json

from mcp.server.mcpserver import MCPServer

NAMES = (
    "getorderbyid",
    "getproductbyid",
    "listcustomers",
    "cancelsubscription",
    "getinvoicepdf",
    "createcoupon",
    "deletecustomer",
    "refundpayment",
    "getshippingrates",
    "updateinventory",
)

server = MCPServer("shop")


def _echo(name: str):  # type: ignore[no-untyped-def]
    def tool(id: str | None = None) -> str:  # the APIs' own argument name
        return json.dumps({"tool": name, "args": {"id": id}}, sort_keys=True)

    return tool


for _name in NAMES:
    server.add_tool(_echo(_name), name=_name, description="")

if __name__ == "__main__":
    server.run()
