"""agentroute's own MCP expert servers (installed as the ``agentroute_tools`` package).

Each module is runnable on its own: ``python -m agentroute_tools.<name>``.
"""
