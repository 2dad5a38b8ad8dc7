"""Build tools that the lectures do not import (e.g. figures.py draws images/)."""
