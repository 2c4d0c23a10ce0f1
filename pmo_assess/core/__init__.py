"""The base layer: errors, package paths, atomic writes, text decoding, the workspace and YAML with line numbers. Imports nothing else from the package."""
