"""The pure rules engine: applicability, outcomes, the scoring table, evaluation and verdicts, readiness."""
