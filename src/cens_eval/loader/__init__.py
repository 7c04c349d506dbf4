"""The only place that reads input files: YAML, JSON and XLSX into validated models."""
