"""Who acted: a user, the system (task, command, API client), or an anonymous visitor."""

from dataclasses import dataclass


@dataclass(frozen=True)
class SystemActor:
    """A non-human actor. The label survives in the trail: `task:<name>`, `command:<name>`,
    `api-key:<name>`."""

    label: str

    def __post_init__(self):
        if not self.label or len(self.label) > 150:
            raise ValueError("a system actor needs a label of 1 to 150 characters")


ANONYMOUS_LABEL = "anonyme"
