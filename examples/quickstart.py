"""The embedded default: no key, no network. Each part of the request goes to its own target.

python examples/quickstart.py
"""

from agentroute import Agent

with Agent.default(".agentroute") as agent:
    result = agent.run("What is 17 * 23, and how many kilometres are 5 miles?")
    print(result.answer)
    for step in result.steps:
        print(
            f"{step.id}: {step.query!r} -> {step.target} ({step.route.reason if step.route else ''})"
        )
