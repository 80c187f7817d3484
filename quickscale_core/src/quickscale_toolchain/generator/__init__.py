"""Project generation: rendering templates into files and assembling a project.

Nothing here imports Django: the CLI uses it before any project (or Django) exists.
"""
