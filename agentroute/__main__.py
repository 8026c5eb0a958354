from agentroute.cli import main

main()
