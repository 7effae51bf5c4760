"""Optional accelerators: the content cache, parallel workers, task files one at a time."""
