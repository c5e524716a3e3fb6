"""launch-ready: a repository security scanner and pre-commit hook for AI chatbot / LLM web apps."""

from __future__ import annotations

__version__ = "0.1.0"
