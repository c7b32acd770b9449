"""`python -m sanderling` is the same as the `sanderling` command."""

from sanderling.cli import main

main()
