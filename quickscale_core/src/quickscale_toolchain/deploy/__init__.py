"""``quickscale deploy --env NAME``: preflight, then a thin driver over an existing tool.

The shape is the generator's: a pure plan (:mod:`.plan`: the preflight's problems, the
target's commands), then an apply that runs it and records what was deployed in git
(:mod:`.record`). Targets (:mod:`.targets`) only say which commands to run: ``compose``
drives ``docker compose`` over ``DOCKER_HOST=ssh://…``, ``fly`` drives ``flyctl``.
Nothing here prints or exits; errors are typed (:mod:`quickscale_toolchain.errors`).
"""
