"""Test doubles of the ports the use cases depend on (`flows/ports.py`)."""
