"""Small shared library for the guide's scripts: paths, reports, Markdown parsing, browser."""
