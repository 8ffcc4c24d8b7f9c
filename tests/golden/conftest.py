# The expected trees hold generated packages' own tests: they are compared as files, never collected.
collect_ignore_glob = ["expected/*"]
