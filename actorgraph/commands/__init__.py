"""CLI commands, one module per group; each exposes `register(app)`.

Modules here import only typer at the top: heavy imports happen inside commands so
that `actorgraph --help` stays fast.
"""
