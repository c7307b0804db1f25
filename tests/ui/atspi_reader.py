"""Reads an application's accessibility tree over AT-SPI, as a screen reader (Orca) does.

Runs under the system Python (Debian's pyatspi: python3-pyatspi, gir1.2-atspi-2.0), not the
project's virtual environment, so it imports nothing of the project. Prints JSON.

    atspi_reader.py APP dump
        the tree of application APP: role, name, description, states, children
    atspi_reader.py APP press NAME [SECONDS [EVENT]]
        activates the button called NAME ("A|B": either name) through its "Press" action, as
        a screen reader user does, and prints the EVENTs (default ``object:announcement``)
        APP sends within SECONDS (default 10; it stops at the first one)
"""

from __future__ import annotations

import json
import sys
import time

import pyatspi
from gi.repository import GLib

#: States a test cares about.
STATES = {
    pyatspi.STATE_SHOWING: "showing",
    pyatspi.STATE_VISIBLE: "visible",
    pyatspi.STATE_ENABLED: "enabled",
    pyatspi.STATE_FOCUSABLE: "focusable",
    pyatspi.STATE_SELECTED: "selected",
    pyatspi.STATE_CHECKED: "checked",
}
REGISTRATION_TIMEOUT = 60


def application(name: str) -> pyatspi.Accessible:
    """The application called ``name`` once it has registered a window with the registry.

    Registration happens in the other process at its own pace and the registry sends no
    event this reader could wait for before it is connected: poll, with a deadline.
    """
    deadline = time.monotonic() + REGISTRATION_TIMEOUT
    while True:
        desktop = pyatspi.Registry.getDesktop(0)
        for index in range(desktop.childCount):
            app = desktop.getChildAtIndex(index)
            if app is not None and app.name == name and app.childCount > 0:
                return app
        if time.monotonic() > deadline:
            raise SystemExit(f"no application {name!r} on the accessibility bus")
        time.sleep(0.05)


def labels(acc: pyatspi.Accessible) -> list[str]:
    """The names of what labels ``acc`` (its "labelled by" relations)."""
    names: list[str] = []
    for relation in acc.getRelationSet():
        if relation.getRelationType() == pyatspi.RELATION_LABELLED_BY:
            names += [relation.getTarget(i).name for i in range(relation.getNTargets())]
    return names


def node(acc: pyatspi.Accessible) -> dict[str, object]:
    states = acc.getState()
    return {
        "role": acc.getRoleName(),
        "name": acc.name or "",
        "labelled_by": labels(acc),
        "description": acc.description or "",
        "states": sorted(text for state, text in STATES.items() if states.contains(state)),
        "children": [node(child) for child in acc if child is not None],
    }


#: What a user presses: buttons, and checkable buttons (the list's tabs).
BUTTONS = {"push button", "toggle button", "check box"}


def find(acc: pyatspi.Accessible, names: set[str]) -> pyatspi.Accessible | None:
    if acc.getRoleName() in BUTTONS and acc.name in names:
        return acc
    for child in acc:
        if child is not None:
            found = find(child, names)
            if found is not None:
                return found
    return None


def press(app: pyatspi.Accessible, name: str, seconds: float, kind: str) -> dict[str, object]:
    button = find(app, set(name.split("|")))
    if button is None:
        raise SystemExit(f"no button {name!r}")
    heard: list[dict[str, object]] = []

    def listen(event: pyatspi.event.Event) -> None:
        host = event.host_application
        if host is not None and host.name == app.name:
            heard.append(
                {
                    "type": event.type,
                    "text": str(event.any_data),
                    "detail": event.detail1,
                    "source": event.source.name or "",
                }
            )
            pyatspi.Registry.stop()

    pyatspi.Registry.registerEventListener(listen, kind)
    actions = button.queryAction()
    names = [actions.getName(i) for i in range(actions.nActions)]
    actions.doAction(names.index("Press") if "Press" in names else 0)
    GLib.timeout_add(int(seconds * 1000), pyatspi.Registry.stop)
    pyatspi.Registry.start()
    pyatspi.Registry.deregisterEventListener(listen, kind)
    return {"pressed": button.name, "events": heard}


def main(argv: list[str]) -> None:
    app = application(argv[1])
    if argv[2] == "dump":
        print(json.dumps(node(app)))
    elif argv[2] == "press":
        seconds = float(argv[4]) if len(argv) > 4 else 10.0
        kind = argv[5] if len(argv) > 5 else "object:announcement"
        print(json.dumps(press(app, argv[3], seconds, kind)))
    else:
        raise SystemExit(f"unknown command {argv[2]!r}")


if __name__ == "__main__":
    main(sys.argv)
