"""Where the client keeps its files, and files only the user can read."""
