"""The command line: parse options, call the core once, hand the result to the renderer."""
