"""The typer layer: `app`, the shared `options`, `ui` (language, atomic writes), `errors`
(the one map from an exception to a message and an exit code), and one `*_cmd` module per
command; each keeps its heavy imports inside the function."""
