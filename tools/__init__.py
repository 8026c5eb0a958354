"""agentroute's own MCP expert servers (installed as the ``agentroute_tools`` package).

Each module is runnable on its own: ``python -m agentroute_tools.<name>`` serves stdio,
``... --http --port N`` serves streamable HTTP on 127.0.0.1.

* ``calc`` — tool ``calculate(query)``: exact arithmetic from natural language.
* ``units`` — tool ``convert(query)``: unit conversion from natural language.
"""
