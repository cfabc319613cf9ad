"""PyREPL3 Python worker: one process runs one session (see docs/worker-protocol.md)."""
import sys

PROTOCOL_VERSION = 1

# Compiling the worker from source costs ~10 ms per start, so its own modules
# get cached bytecode even under PYTHONDONTWRITEBYTECODE. main.py puts the
# user's setting back once every worker module is imported.
user_dont_write_bytecode = sys.dont_write_bytecode
sys.dont_write_bytecode = False
