"""A client process the crash test kills with SIGKILL while its actions are pending.

``python -m tests.e2e.crash_child SERVER_URL DATA_DIR CACHE_DIR CONVERSATION_ID``: logs in,
starts, prints READY, waits for "go" on stdin, queues a note and an archive, prints QUEUED
with their ids and then waits forever (the test kills it).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from inbox_app.client import InboxClient


async def main(url: str, data: str, cache: str, conversation_id: int) -> None:
    client = await InboxClient.login(url, "ana@aurora.example", "demo1234",
                                     data_dir=Path(data), cache_dir=Path(cache))
    await client.start()
    print("READY", flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.readline)
    note = client.add_note(conversation_id, "nota antes do crash")
    archive = client.archive(conversation_id)
    print("QUEUED", note, archive, flush=True)
    await asyncio.Event().wait()  # until SIGKILL


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])))
