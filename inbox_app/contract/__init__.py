"""The wire contract of Clinic Inbox: models, errors, live events and the cache policy.

Pure Python with no I/O and no import of any other part of the project; the server and the
client both build on it (ARCHITECTURE.md section 2).
"""

VERSION = "0.1.0"
