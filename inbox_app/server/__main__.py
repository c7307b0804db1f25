"""``python -m inbox_app.server``: the same as ``inbox-server``."""

import sys

from inbox_app.server.main import main

sys.exit(main())
