"""Needs screens, one module per area: the lists (ledger.py), registration, the need page with
its actions (need.py) and the enterprise's evaluation link. Views validate and call one service;
the state rules live in states.py/workflow.py."""
